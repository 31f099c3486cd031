"""`chainkg track ...`, `chainkg library`, `chainkg bulletin`, `chainkg project ...`: thin mirrors of
the tracking layer, the library and the bulletin (registered by `add_track_parsers(sub)`).
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.common import add_data_flags, load_graph, say, settings_of, workspace_errors, write_out
from queries.errors import ChainkgError, InputError


def guarded(fn: Callable[[argparse.Namespace], None]) -> Callable[[argparse.Namespace], None]:
    """A known problem (a tracking error included) becomes its one bilingual line and exit status,
    also where a command runs without `cli.main`'s handler."""
    @functools.wraps(fn)
    def run(args: argparse.Namespace) -> None:
        try:
            fn(args)
        except ChainkgError as e:
            say(e.line())
            sys.exit(e.exit_code)
    return run


def _open(args: argparse.Namespace):
    """Open the workspace (Django on first use) and the acting user."""
    from tracking.db import open_tracking

    with workspace_errors(args.home):
        ws = open_tracking(args.home)
    from tracking.people import acting_user

    return ws, acting_user(args.user)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    from tracking.settings import tracking_settings

    return tracking_settings(getattr(args, "config", None))


def _graph_and_index(args: argparse.Namespace, ws, user):
    """The current data (--data, else the workspace's snapshot, else built-in), firms synced."""
    from tracking.firms import FirmIndex, sync_firms

    if not getattr(args, "data", None) and ws.current_data():
        args.data = str(ws.current_data())
    cg = load_graph(args)
    index = FirmIndex.from_tables(cg.tables)
    counts = sync_firms(index, user)
    if counts["missing"]:
        say(f"注意：{counts['missing']} 家已跟踪企业不在当前数据中，已标记保留 / {counts['missing']} tracked firms "
            f"are not in the current data: kept and flagged")
    return cg, index


def tracking_rows(args: argparse.Namespace) -> dict[str, dict] | None:
    """With --with-tracking: every assignment's state by row key (phones only with --with-phones),
    after a warning; else None. For `targets --out` and `library --out`."""
    if not getattr(args, "with_tracking", False):
        return None
    say("警告：输出文件含跟踪记录（负责小分队、进展），请勿外传 / warning: the file carries tracking records; "
        "do not share it outside the bureau" + ("；含联系电话 / includes phones" if args.with_phones else ""))
    ws, _ = _open(args)
    from tracking.outreach import states_by_key

    return states_by_key(with_phones=args.with_phones)


@guarded
def cmd_assign(args: argparse.Namespace) -> None:
    ws, user = _open(args)
    _, index = _graph_and_index(args, ws, user)
    from tracking.outreach import assign

    a, changes = assign(user, args.firm, index, product_id=args.product or "", team=args.team, leader=args.leader,
                        contact_person=args.contact, contact_phone=args.phone, priority=args.priority,
                        remarks=args.remarks)
    print(f"{a.key}\t{a.firm.name}\t{a.team.name if a.team else ''}\t{a.priority}")
    say("已保存 / saved" if changes else "没有变化 / nothing changed")


@guarded
def cmd_log(args: argparse.Namespace) -> None:
    ws, user = _open(args)
    _, index = _graph_and_index(args, ws, user)
    from tracking.outreach import assign, log_event

    a, _ = assign(user, args.firm, index, product_id=args.product or "")
    e, created = log_event(user, a, args.date or dt.date.today(), args.stage, note=args.note or "",
                           next_step=args.next or "", problem=args.problem or "", activity=args.activity or "",
                           settings=_settings(args))
    print(f"{a.key}\t{e.date}\t{e.stage}\t{e.note}")
    say("已记录 / recorded" if created else "此条已记录过，未重复写入 / already recorded, not written twice")


def _workbook(path: str) -> str:
    """A team's .xlsx that openpyxl can open, else a bilingual error naming it."""
    import zipfile

    from queries.errors import SourceError

    if not Path(path).is_file():
        raise SourceError("找不到该文件", "no such file", code="source-missing", file=path)
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        raise SourceError("应为本工具写出的 .xlsx 工作簿", "expected an .xlsx workbook the tool wrote", code="source-kind",
                          file=path)
    try:
        zipfile.ZipFile(path).close()
    except (zipfile.BadZipFile, OSError) as err:
        raise SourceError("文件已损坏或不是 .xlsx 工作簿，请用 Excel/WPS 打开后另存为 .xlsx",
                          "the file is damaged or not an .xlsx workbook: open it in Excel/WPS and save it as .xlsx",
                          code="xlsx-corrupt", file=path) from err
    return path


@guarded
def cmd_import(args: argparse.Namespace) -> None:
    ws, user = _open(args)
    _, index = _graph_and_index(args, ws, user)
    from tracking.workbook_import import import_workbook

    report = import_workbook(_workbook(args.file), user, index, _settings(args))
    for line in report.lines():
        print(line)
    if report.rejected and args.strict:
        raise InputError(f"有 {report.rejected} 行未导入", f"{report.rejected} rows were not imported", code="rows-rejected",
                         option="--strict", file=args.file)


def _states(args):
    from tracking.outreach import status

    return [s.to_json() for s in status(args.team)]


@guarded
def cmd_status(args: argparse.Namespace) -> None:
    _open(args)
    states = _states(args)
    if args.json:
        from cli.common import print_json

        print_json([{**s, "contact_phone": s["contact_phone"] if args.with_phones else ""} for s in states])
        return
    for s in states:
        flag = "（已不在数据中）" if s["firm_missing"] else ""
        print(f"{s['priority'] or '-'}\t{s['team'] or '（未分配）'}\t{s['firm_name']}{flag}\t{s['product_id']}\t"
              f"{s['stage'] or '未开始'}\t{s['stage_date']}\t{s['next_step']}")
    say(f"共 {len(states)} 条 / {len(states)} assignments")


@guarded
def cmd_export(args: argparse.Namespace) -> None:
    _open(args)
    from reports.call_list import write_call_list

    if args.with_phones:
        say("警告：联系清单含联系电话，请勿外传 / warning: the list includes phone numbers; keep it inside the bureau")
    states, bureau = _states(args), _settings(args)["tracking"]["bureau_name"]
    path = write_out([args.out], lambda: write_call_list(states, args.out, bureau, args.with_phones))
    say(f"已写入 / written: {path}")


@guarded
def cmd_team_add(args: argparse.Namespace) -> None:
    _, user = _open(args)
    from tracking.people import add_team

    print(add_team(user, args.name, args.district).name)


@guarded
def cmd_district_add(args: argparse.Namespace) -> None:
    _, user = _open(args)
    from tracking.people import add_district

    print(add_district(user, args.name, args.kind).name)


@guarded
def cmd_member_add(args: argparse.Namespace) -> None:
    _, user = _open(args)
    from tracking.people import add_member

    print(add_member(user, args.username, args.role, args.team).username)


@guarded
def cmd_library(args: argparse.Namespace) -> None:
    from queries.analysis import analyse, firm_tracking
    from reports.library import write_library

    from tracking.workspace import open_workspace

    tracking = tracking_rows(args)
    if not getattr(args, "data", None):  # the workspace's current data, else the built-in data
        with workspace_errors(args.home):
            current = open_workspace(args.home).current_data()
        args.data = str(current) if current else None
    analysis = analyse(load_graph(args), settings_of(args))
    by_firm, priorities = firm_tracking(list((tracking or {}).values()))
    rows = analysis.library(priorities)
    if not args.out:
        for r in rows:
            print(f"{r['priority'] or '-'}\t{r['name']}\t{r['best_score']:g}\t{r['link_count']}\t"
                  f"{'；'.join(l['product_name'] for l in r['links'])}")
        return
    bureau = _settings(args)["tracking"]["bureau_name"]
    path = write_out([args.out], lambda: write_library(rows, args.out, bureau=bureau, tracking=by_firm or None))
    say(f"已写入 / written: {path}（{len(rows)} 家企业 / firms）")


@guarded
def cmd_bulletin(args: argparse.Namespace) -> None:
    from tracking.bulletin import parse_period

    try:
        period = parse_period(args.period, args.kind)
    except ValueError as err:  # its message is 'zh / en'
        zh, _, en = str(err).partition(" / ")
        raise InputError(zh, en or zh, code="bad-period", option="--period") from err
    _open(args)
    from reports.bulletin import write_bulletin
    from tracking.bulletin_data import bulletin_from_store

    s = _settings(args)
    b = bulletin_from_store(period, s)
    print(b.paragraph)
    if args.out:
        path = write_out([args.out], lambda: write_bulletin(b, args.out, s["tracking"]["bureau_name"]))
        say(f"已写入 / written: {path}")


PROJECT_FIELDS = {"investor": "投资方（企业编号、信用代码或新投资者名称） / investor", "products": "产品编号，用 | 分隔 / products",
                  "district": "责任区/部门 / district", "region_id": "落地区域编号 / region", "park": "园区 / park",
                  "total_investment": "总投资（亿元） / total, 亿元", "agreement_investment": "协议投资（亿元） / agreed, 亿元",
                  "plan_year": "重点项目计划年度 / plan year", "signed_on": "签约日期 / signed",
                  "started_on": "开工日期 / started", "resumed_on": "复工日期 / resumed",
                  "operating_on": "投产日期 / in operation", "leader": "包联领导 / leader",
                  "task_force": "专班 / task force", "plan": "方案 / plan", "note": "备注 / note"}


def _project_fields(args: argparse.Namespace) -> dict[str, Any]:
    fields = {k: getattr(args, k) for k in PROJECT_FIELDS if getattr(args, k) is not None}
    for flag in ("key_project", "new_build"):
        if getattr(args, flag) is not None:
            fields[flag] = getattr(args, flag) == "是"
    return fields


@guarded
def cmd_project_add(args: argparse.Namespace) -> None:
    ws, user = _open(args)
    _, index = _graph_and_index(args, ws, user)
    from tracking.projects import add_project

    p = add_project(user, args.code, args.name, index, **_project_fields(args))
    print(f"{p.code}\t{p.name}")


@guarded
def cmd_project_update(args: argparse.Namespace) -> None:
    ws, user = _open(args)
    _, index = _graph_and_index(args, ws, user)
    from tracking.projects import update_project

    changes = update_project(user, args.code, index, **_project_fields(args))
    for k, (old, new) in changes.items():
        print(f"{k}\t{old} -> {new}")
    say("已保存 / saved" if changes else "没有变化 / nothing changed")


@guarded
def cmd_project_money(args: argparse.Namespace) -> None:
    _, user = _open(args)
    from tracking.projects import add_money

    m, created = add_money(user, args.code, args.date, args.kind, args.amount, args.note or "")
    print(f"{args.code}\t{m.date}\t{m.kind}\t{m.amount}")
    say("已记录 / recorded" if created else "此条已记录过 / already recorded")


@guarded
def cmd_project_list(args: argparse.Namespace) -> None:
    _open(args)
    from tracking.projects import list_projects

    rows = list_projects()
    if args.json:
        from cli.common import print_json

        print_json(rows)
        return
    for r in rows:
        print(f"{r['code']}\t{r['name']}\t{r['district']}\t{r['total_investment'] or ''}\t到位 {r['money_domestic']}"
              f"\t签约 {r['signed_on'] or ''}\t开工 {r['started_on'] or ''}")


def add_workspace_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--home", help="工作区文件夹（默认 CHAINKG_HOME 或本用户数据目录） / workspace folder")
    p.add_argument("--user", help="以此用户身份记录（默认为操作系统用户名） / act as this user (default: the OS user)")


def add_tracking_flags(p: argparse.ArgumentParser) -> None:
    """For writers of static files: tracking data only when asked, phones only when asked again."""
    p.add_argument("--with-tracking", action="store_true",
                   help="写入跟踪记录（小分队、进展），会提示勿外传 / include tracking records (with a warning)")
    p.add_argument("--with-phones", action="store_true", help="同时写入联系电话 / include contact phones")


def _sub(actions, name: str, help_text: str, fn, data: bool = False):
    p = actions.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(func=fn)
    if data:
        add_data_flags(p)
    add_workspace_flags(p)
    return p


def add_track_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `track`, `library`, `bulletin` and `project` on the `chainkg` sub-parsers."""
    track = sub.add_parser("track", help="招商跟踪：分派、记录、导入、导出 / tracking", description="招商跟踪 / tracking")
    ta = track.add_subparsers(dest="action", required=True)
    p = _sub(ta, "assign", "把目标企业（及环节）分派给小分队 / assign a target to a team", cmd_assign, True)
    p.add_argument("firm", help="企业编号、统一社会信用代码 / enterprise id or credit code")
    p.add_argument("--product", help="环节（产品编号） / link (product id)")
    for flag, text in (("--team", "小分队 / team"), ("--leader", "包联领导 / leader"), ("--contact", "联系人 / contact"),
                       ("--phone", "联系电话 / phone"), ("--priority", "优先级 A/B/C/本季度 / priority"),
                       ("--remarks", "备注 / remarks")):
        p.add_argument(flag, help=text)
    p = _sub(ta, "log", "记录一次对接（阶段、说明、下一步、困难问题） / log an outreach step", cmd_log, True)
    p.add_argument("firm", help="企业编号或统一社会信用代码 / enterprise id or credit code")
    p.add_argument("--product", help="环节（产品编号） / link")
    p.add_argument("--stage", required=True, help="阶段：线索/接洽/考察/洽谈/签约/落地 / stage")
    p.add_argument("--date", help="日期 YYYY-MM-DD（默认今天） / date (today)")
    for flag, text in (("--note", "说明 / note"), ("--next", "下一步 / next step"), ("--problem", "困难问题 / problems"),
                       ("--activity", "工作方式：外出招商/走访企业/来访接待/电话联系/其他 / activity")):
        p.add_argument(flag, help=text)
    p = _sub(ta, "import", "导入小分队填写的目标企业清单 / import a filled-in target workbook", cmd_import, True)
    p.add_argument("file", help="本工具写出的 .xlsx / an .xlsx the tool wrote")
    p = _sub(ta, "status", "各小分队目标企业进展 / where each assignment stands", cmd_status)
    p.add_argument("--team", help="只看一个小分队 / one team")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.add_argument("--with-phones", action="store_true", help="含联系电话 / include phones")
    p = _sub(ta, "export", "写出联系清单（可打印） / write the call list", cmd_export)
    p.add_argument("--out", required=True, help=".xlsx 或 .csv / output file")
    p.add_argument("--team", help="只写一个小分队 / one team")
    p.add_argument("--with-phones", action="store_true", help="含联系电话 / include phones")
    p.add_argument("--config", help="参数文件 / settings file")
    p = _sub(ta, "team", "新增小分队 / add a team", cmd_team_add)
    p.add_argument("name")
    p.add_argument("--district", help="所属区/部门 / district")
    p = _sub(ta, "district", "新增区或部门 / add a district or department", cmd_district_add)
    p.add_argument("name")
    p.add_argument("--kind", default="区", choices=["区", "部门"])
    p = _sub(ta, "member", "新增用户（角色、小分队） / add a user", cmd_member_add)
    p.add_argument("username")
    p.add_argument("--role", default="小分队", choices=["管理员", "领导", "小分队"])
    p.add_argument("--team", help="小分队 / team")

    p = _sub(sub, "library", "目标企业库：每家企业一行 / the target-enterprise library", cmd_library, True)
    p.add_argument("--out", help="输出文件 .xlsx / .csv / .json / output file")
    add_tracking_flags(p)

    p = _sub(sub, "bulletin", "旬调度/月通报/季总结/年排名 / the bulletins", cmd_bulletin)
    p.add_argument("--period", required=True, help="2023-09-上旬、2023-09、2023-Q3、2023 / period")
    p.add_argument("--kind", choices=["旬", "月", "季", "年"], help="类型（默认由期间判断） / kind")
    p.add_argument("--out", help="输出 .xlsx / .docx / .html / .json / output file")
    p.add_argument("--config", help="参数文件 / settings file")

    project = sub.add_parser("project", help="项目库 / the project library", description="项目库 / project library")
    pa = project.add_subparsers(dest="action", required=True)
    for name, fn, text in (("add", cmd_project_add, "新增项目 / add a project"),
                           ("update", cmd_project_update, "修改项目 / update a project")):
        p = _sub(pa, name, text, fn, True)
        p.add_argument("code", help="项目编号 / project code")
        if name == "add":
            p.add_argument("name", help="项目名称 / project name")
        for field, help_text in PROJECT_FIELDS.items():
            p.add_argument("--" + field.replace("_", "-"), dest=field, help=help_text)
        p.add_argument("--key-project", choices=["是", "否"], help="市级重点 / key project")
        p.add_argument("--new-build", choices=["是", "否"], help="新建（否则续建） / new build")
    p = _sub(pa, "money", "记录到位资金或完成投资 / record funds or investment", cmd_project_money)
    p.add_argument("code")
    p.add_argument("--date", required=True, help="日期 / date")
    p.add_argument("--kind", required=True, help="国内 / 外资 / 完成投资")
    p.add_argument("--amount", required=True, help="亿元 / 100 million CNY")
    p.add_argument("--note")
    p = _sub(pa, "list", "列出项目 / list projects", cmd_project_list)
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
