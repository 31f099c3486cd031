"""The bulletin's rows from the tracking database (the computation itself is `tracking.bulletin`)."""
from __future__ import annotations

from tracking.bulletin import Bulletin, EventRow, MoneyRow, Period, ProjectRow, TeamStage, bulletin
from tracking.models import Event, MoneyEntry, Project
from tracking.outreach import status
from tracking.settings import tracking_settings


def bulletin_from_store(period: Period, settings: dict | None = None) -> Bulletin:
    """Read projects, money entries, events and each assignment's stage at the cut-off; compute."""
    s = settings or tracking_settings()
    projects = [ProjectRow(p.code, p.name, p.district.name if p.district else "", p.total_investment,
                           p.agreement_investment, p.key_project, p.plan_year, p.new_build, p.signed_on, p.started_on,
                           p.resumed_on, p.operating_on) for p in Project.objects.select_related("district")]
    money = [MoneyRow(m.project.code, m.date, m.kind, m.amount) for m in MoneyEntry.objects.select_related("project")]
    events = [EventRow(e.assignment.team.name if e.assignment.team else "",
                       e.assignment.team.district.name if e.assignment.team and e.assignment.team.district else "",
                       e.assignment.firm.key, e.date, e.stage, e.activity)
              for e in Event.objects.select_related("assignment__team__district", "assignment__firm")
              .filter(date__lte=period.end)]
    stages = [TeamStage(x.team, x.stage, x.key) for x in status(on=period.end)]
    return bulletin(period, projects, money, events, stages, s)
