"""The reading pages: each calls the library and renders what it returns (no computation here)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.static import serve

from reports.call_list import write_call_list
from tracking.audit import AuditRecord
from tracking.outreach import status
from tracking.projects import list_projects
from tracking.settings import tracking_settings
from tracking.workspace import open_workspace
from workbench import access, data
from workbench.forms import AssignForm, BulletinForm, LogForm, WhatIfForm

STATIC = Path(__file__).resolve().parent / "static"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workspace():
    return open_workspace(settings.CHAINKG_HOME)


def bureau() -> str:
    return tracking_settings()["tracking"]["bureau_name"]


@login_not_required
def static(request, path: str):
    """The workbench's own CSS and JS (no CDN), for the login page too."""
    return serve(request, path, document_root=STATIC)


def overview(request):
    ws = workspace()
    _, analysis = data.current(ws)
    return render(request, "workbench/overview.html", {
        "completeness": [c.to_json() for c in analysis.completeness.values()],
        "home_name": analysis.home_name, "snapshot": data.snapshot_label(ws),
        "gap_count": len(analysis.gaps), "target_count": len(analysis.targets)})


def gaps(request):
    _, analysis = data.current(workspace())
    return render(request, "workbench/gaps.html", {"gaps": [g.to_json() for g in analysis.gaps]})


def library(request):
    _, analysis = data.current(workspace())
    return render(request, "workbench/library.html", {"rows": analysis.library()})


def calls(request, form: LogForm | None = None, error: str = ""):
    """The call list the user may see (a 小分队 member: its own team's only) with a log form each."""
    team = access.visible_team(request.user)
    r = access.role_of(request.user)
    return render(request, "workbench/calls.html", {
        "states": [s.to_json() for s in status(team)], "team": team or "",
        "stages": tracking_settings()["tracking"]["stages"],
        "activities": tracking_settings()["tracking"]["activities"],
        "can_log": r.is_admin or r.role == access.TEAM, "can_assign": r.assigns,
        "assign_form": AssignForm(), "error": error, "log_form": form})


def calls_download(request):
    """The call list workbook, with the rows the user may read only."""
    team = access.visible_team(request.user)
    folder = Path(tempfile.mkdtemp(prefix="chainkg_dl_"))
    path = write_call_list([s.to_json() for s in status(team)], folder / "联系清单.xlsx", bureau(), with_phones=True)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=XLSX)


def bulletin_page(request, result=None, error: str = ""):
    form = BulletinForm(request.GET or None)
    paragraph, period, teams = "", "", None
    if form.is_valid():
        from reports.bulletin import team_frame
        from tracking.bulletin import parse_period
        from tracking.bulletin_data import bulletin_from_store

        try:
            period = form.cleaned_data["period"]
            b = bulletin_from_store(parse_period(period))
            paragraph, teams = b.paragraph, team_frame(b)
        except ValueError as e:
            error = str(e)
    return render(request, "workbench/bulletin.html", {"form": form, "paragraph": paragraph, "period": period,
                                                       "error": error, "team_columns": list(teams.columns)
                                                       if teams is not None else [],
                                                       "team_rows": teams.values.tolist() if teams is not None else [],
                                                       "can_download": access.role_of(request.user).reads_all})


def bulletin_download(request):
    """The bulletin workbook (its 依据 sheet names every team's records): 管理员 and 领导 only."""
    if not access.role_of(request.user).reads_all:
        raise access.PermissionDenied("通报明细仅领导和管理员可下载 / leaders and admins only")
    from reports.bulletin import write_bulletin
    from tracking.bulletin import parse_period
    from tracking.bulletin_data import bulletin_from_store

    try:
        period = parse_period(request.GET.get("period", ""))
    except ValueError:
        raise Http404("期间无效 / bad period") from None
    folder = Path(tempfile.mkdtemp(prefix="chainkg_dl_"))
    path = write_bulletin(bulletin_from_store(period), folder / "通报.xlsx", bureau())
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=XLSX)


def projects(request):
    """The project library: all for 管理员 and 领导; a 小分队 member sees its team's district's."""
    return render(request, "workbench/projects.html",
                  {"projects": access.visible_projects(request.user, list_projects())})


def site(request, path: str = "index.html"):
    """The offline site of the current data (chain maps, target map), behind login."""
    return serve(request, path or "index.html", document_root=data.site_folder(workspace()))


def audit(request):
    access.require_admin(request.user)
    return render(request, "workbench/audit.html", {"records": AuditRecord.objects.order_by("-at", "-id")[:500]})


def whatif_page(request, form: WhatIfForm | None = None, result=None, error: str = ""):
    return render(request, "workbench/whatif.html", {"form": form or WhatIfForm(), "result": result, "error": error})
