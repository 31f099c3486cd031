"""The tracking store: Django on first use, WAL, teams, assignments, append-only events, projects,
firm identity across reloads, audit, and every bad write refused with its code."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from tracking_fixtures import _template_db, admin, tiny_index, tracking_ws  # noqa: F401

D = dt.date


def test_library_code_runs_without_django():
    code = ("import sys; import loaders, queries.gaps, reports.target_list, tracking, tracking.workspace, "
            "tracking.credit_code, tracking.settings; from django.conf import settings; "
            "assert not settings.configured; assert 'tracking.models' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_sqlite_is_wal_with_immediate_transactions(tracking_ws):
    from django.db import connection

    with connection.cursor() as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
    assert connection.transaction_mode == "IMMEDIATE"
    assert connection.settings_dict["NAME"] == str(tracking_ws.database)


def test_first_user_is_bootstrapped_then_unknown_users_refused(tracking_ws):
    from tracking.errors import UnknownReference
    from tracking.people import acting_user

    first = acting_user("王科长")
    assert first.member.role == "管理员"
    assert acting_user("王科长") == first
    with pytest.raises(UnknownReference) as err:
        acting_user("陌生人")
    assert err.value.code == "unknown-user"


def _setup_team(admin):
    from tracking.people import add_district, add_member, add_team

    add_district(admin, "海南区")
    add_team(admin, "第一小分队", "海南区")
    return add_member(admin, "队员乙", "小分队", "第一小分队")


def test_assign_log_and_status(admin, tiny_index):
    from tracking.models import AuditRecord
    from tracking.outreach import assign, log_event, status

    member = _setup_team(admin)
    a, changes = assign(admin, "E3", tiny_index, product_id="bdo", team="第一小分队", contact_person="赵经理",
                        contact_phone="0473-1234567", priority="a", leader="李副市长")
    assert a.priority == "A" and changes["team"][1].name == "第一小分队"
    _, again = assign(admin, "id:E3", tiny_index, product_id="bdo", team="第一小分队")
    assert again == {}  # nothing changed, nothing audited
    e, created = log_event(member, a, "2023-09-05", "接洽", note="电话沟通", next_step="月底上门")
    assert created
    _, created = log_event(member, a, "2023-09-05", "接洽", note="电话沟通", next_step="月底上门")
    assert not created  # the same event twice is stored once
    log_event(member, a, D(2023, 9, 20), "考察", activity="走访企业", problem="用地指标")
    [s] = status("第一小分队")
    assert (s.firm_name, s.stage, s.stage_date, s.problem, s.events) == ("丙集团股份有限公司", "考察", "2023-09-20",
                                                                         "用地指标", 2)
    assert status(on=D(2023, 9, 10))[0].stage == "接洽"
    actions = list(AuditRecord.objects.values_list("action", "model", "username"))
    assert ("create", "Assignment", "管理员甲") in actions
    assert actions.count(("create", "Event", "队员乙")) == 2


def test_events_are_append_only(admin, tiny_index):
    from tracking.models import AppendOnlyError, Event
    from tracking.outreach import assign, log_event

    _setup_team(admin)
    a, _ = assign(admin, "E3", tiny_index, product_id="bdo", team="第一小分队")
    e, _ = log_event(admin, a, "2023-09-05", "接洽")
    e.note = "改写"
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.update(note="x")
    assert Event.objects.get().note == ""


@pytest.mark.parametrize("call, code", [
    (lambda a, ix: __import__("tracking.outreach").outreach.assign(a, "E3", ix, team="不存在的队"), "unknown-team"),
    (lambda a, ix: __import__("tracking.outreach").outreach.assign(a, "E999", ix), "unknown-firm"),
    (lambda a, ix: __import__("tracking.outreach").outreach.assign(a, "E3", ix, product_id="nylon"), "unknown-product"),
    (lambda a, ix: __import__("tracking.outreach").outreach.assign(a, "E3", ix, priority="D"), "bad-priority"),
    (lambda a, ix: __import__("tracking.outreach").outreach.assign(a, "E3", ix, contact_phone="call me"), "bad-phone"),
    (lambda a, ix: __import__("tracking.projects").projects.add_money(a, "P9", "2023-01-01", "国内", "1"),
     "unknown-project"),
])
def test_bad_references_are_refused(admin, tiny_index, call, code):
    from tracking.errors import TrackingError
    from tracking.models import Assignment, AuditRecord

    _setup_team(admin)
    before = AuditRecord.objects.count()
    with pytest.raises(TrackingError) as err:
        call(admin, tiny_index)
    assert err.value.code == code and " / " in str(err.value)
    assert Assignment.objects.count() == 0 and AuditRecord.objects.count() == before


@pytest.mark.parametrize("kwargs, code", [
    ({"date": "2023-09-10", "stage": "喝茶"}, "bad-stage"),
    ({"date": "2999-01-01", "stage": "接洽"}, "future-date"),
    ({"date": "2023-02-30", "stage": "接洽"}, "bad-date"),
    ({"date": "2023-09-10", "stage": "接洽", "activity": "吃饭"}, "bad-activity"),
    ({"date": "2023-09-10", "stage": "线索"}, "stage-backwards"),
])
def test_bad_events_are_refused(admin, tiny_index, kwargs, code):
    from tracking.errors import TrackingError
    from tracking.outreach import assign, log_event

    _setup_team(admin)
    a, _ = assign(admin, "E3", tiny_index, product_id="bdo", team="第一小分队")
    log_event(admin, a, "2023-09-01", "洽谈")
    with pytest.raises(TrackingError) as err:
        log_event(admin, a, **kwargs)
    assert err.value.code == code
    assert a.events.count() == 1


def test_stage_may_go_back_with_a_note(admin, tiny_index):
    from tracking.outreach import assign, log_event

    _setup_team(admin)
    a, _ = assign(admin, "E3", tiny_index, team="第一小分队")
    log_event(admin, a, "2023-09-01", "洽谈")
    _, created = log_event(admin, a, "2023-09-02", "接洽", note="对方换了负责人，重新接洽")
    assert created


def test_projects_and_money(admin, tiny_index):
    from tracking.errors import TrackingError
    from tracking.projects import add_money, add_project, list_projects, update_project

    _setup_team(admin)
    add_project(admin, "X1", "年产10万吨BDO项目", tiny_index, investor="E3", products="bdo|thf", district="海南区",
                total_investment="10.00", key_project=True, plan_year=2023, new_build=True, signed_on="2023-03-01",
                leader="张副市长", task_force="BDO专班", plan="一企一策")
    add_project(admin, "X2", "新投资者项目", tiny_index, investor="某新能源公司（新）", total_investment="0.3")
    changes = update_project(admin, "X1", started_on="2023-05-10")
    assert changes == {"started_on": (None, D(2023, 5, 10))}
    add_money(admin, "X1", "2023-06-30", "国内到位资金", "2.5")
    _, again = add_money(admin, "X1", "2023-06-30", "国内到位资金", "2.5")
    assert not again
    rows = {r["code"]: r for r in list_projects()}
    assert rows["X1"]["investor"] == "丙集团股份有限公司" and rows["X2"]["investor"] == "某新能源公司（新）"
    assert rows["X1"]["money_domestic"] == Decimal("2.5") and rows["X1"]["total_investment"] == Decimal("10.00")
    for call, code in [(lambda: add_money(admin, "X1", "2023-06-30", "国内", "-1"), "negative-money"),
                       (lambda: add_money(admin, "X1", "2023-06-30", "国内", "很多"), "bad-money"),
                       (lambda: add_money(admin, "X1", "2023-06-30", "贷款", "1"), "bad-money-kind"),
                       (lambda: update_project(admin, "X1", started_on="2999-01-01"), "future-date"),
                       (lambda: update_project(admin, "X1", total_investment="-3"), "negative-money"),
                       (lambda: update_project(admin, "X1", district="火星区"), "unknown-district"),
                       (lambda: update_project(admin, "X1", tiny_index, products="nylon"), "unknown-product"),
                       (lambda: add_project(admin, "X1", "重复"), "duplicate-project")]:
        with pytest.raises(TrackingError) as err:
            call()
        assert err.value.code == code
    assert list_projects()[0]["started_on"] == D(2023, 5, 10)


def test_firm_identity_across_reloads(admin):
    """Matched by credit code when known (even if the enterprise_id changes), else by enterprise_id;
    a firm gone from the data is flagged, its assignment kept; it is unflagged when it comes back."""
    from tracking.firms import FirmIndex
    from tracking.models import Assignment, Firm
    from tracking.outreach import assign
    from tracking.firms import sync_firms

    code = "914403001922038216"
    v1 = FirmIndex({"A1": (code, "甲公司"), "B1": ("", "乙公司")}, {code: "A1"})
    assign(admin, "A1", v1)
    assign(admin, "B1", v1)
    assert Firm.objects.get(enterprise_id="A1").credit_code == code
    v2 = FirmIndex({"Z9": (code, "甲股份公司")}, {code: "Z9"})  # renumbered and renamed; 乙 gone
    assert sync_firms(v2, admin, today=D(2023, 10, 1)) == {"matched": 1, "updated": 1, "missing": 1, "back": 0}
    a = Firm.objects.get(credit_code=code)
    assert (a.enterprise_id, a.name, a.missing_since) == ("Z9", "甲股份公司", None)
    assert Firm.objects.get(enterprise_id="B1").missing_since == D(2023, 10, 1)
    assert Assignment.objects.count() == 2  # nothing deleted
    assert sync_firms(v1, admin)["back"] == 1
