"""The writing pages: each checks the role, calls one validated function of the tracking layer (or
of `workbench.data`) and shows its bilingual error in the page when it refuses."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from queries.analysis import Addition, NewFirm, what_if
from queries.errors import ChainkgError
from tracking.errors import TrackingError
from tracking.firms import FirmIndex, sync_firms
from tracking.models import Assignment
from tracking.outreach import assign, log_event
from tracking.projects import update_project
from workbench import access, data, views
from workbench.forms import AcceptForm, AssignForm, LogForm, ProjectForm, UploadForm, WhatIfForm


def error_text(e: TrackingError) -> str:
    return f"错误 / error [{e.code}]: {e.zh} / {e.en}"


def form_errors(form) -> str:
    return "；".join(f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}" for k, v in form.errors.items())


def _index(request) -> FirmIndex:
    cg, _ = data.current(views.workspace())
    index = FirmIndex.from_tables(cg.tables)
    sync_firms(index, request.user)
    return index


@require_POST
def assign_view(request):
    access.require_assigner(request.user)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return views.calls(request, error=form_errors(form))
    c = form.cleaned_data
    try:
        a, _ = assign(request.user, c["firm"], _index(request), product_id=c["product"], team=c["team"],
                      priority=c["priority"] or None, leader=c["leader"] or None)
    except TrackingError as e:
        return views.calls(request, error=error_text(e))
    messages.success(request, f"已分派 / assigned: {a.firm.name} → {a.team.name if a.team else ''}")
    return redirect("calls")


def _assignment(request, key: str) -> Assignment:
    """The assignment of a row key, if the user may write to it (else 403, also for unknown keys)."""
    from tracking.outreach import status

    for s in status(access.visible_team(request.user)):
        if s.key == key:
            access.require_writer_for(request.user, s.team)
            for a in Assignment.objects.select_related("firm", "team"):
                if a.key == key:
                    return a
    raise access.PermissionDenied("没有这条记录或无权修改 / no such entry, or not yours to change")


@require_POST
def log_view(request):
    form = LogForm(request.POST)
    if not form.is_valid():
        return views.calls(request, error=form_errors(form))
    c = form.cleaned_data
    a = _assignment(request, c["key"])
    try:
        log_event(request.user, a, c["date"] or dt.date.today(), c["stage"], note=c["note"], next_step=c["next_step"],
                  problem=c["problem"], activity=c["activity"], source="web")
    except TrackingError as e:
        return views.calls(request, error=error_text(e))
    messages.success(request, f"已记录 / recorded: {a.firm.name} {c['stage']}")
    return redirect("calls")


@require_POST
def project_view(request):
    form = ProjectForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("projects")
    c = form.cleaned_data
    rows = {p["code"]: p for p in access.visible_projects(request.user, views.list_projects())}
    if c["code"] not in rows or access.role_of(request.user).role == access.LEADER:
        raise access.PermissionDenied("无权修改该项目 / not your project to change")
    fields = {k: v for k, v in c.items() if k != "code" and v}
    try:
        update_project(request.user, c["code"], _index(request), **fields)
    except (TrackingError, ValueError) as e:
        messages.error(request, error_text(e) if isinstance(e, TrackingError) else str(e))
        return redirect("projects")
    messages.success(request, f"已保存 / saved: {c['code']}")
    return redirect("projects")


def upload_view(request):
    """Upload a workbook or a zip of CSV files: the validation report; then add or replace (管理员)."""
    access.require_admin(request.user)
    ws = views.workspace()
    context = {"form": UploadForm(), "upload": None, "error": ""}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            context["error"] = form_errors(form)
        else:
            f = form.cleaned_data["file"]
            try:
                up = data.receive(ws, f.name, f.chunks())
            except data.UploadError as e:
                context["error"] = str(e)
            else:
                context.update(upload=up, accept=AcceptForm(initial={"token": up.token}))
    return render(request, "workbench/upload.html", context)


@require_POST
def accept_view(request):
    access.require_admin(request.user)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("upload")
    ws = views.workspace()
    try:
        up = data.pending(ws, form.cleaned_data["token"])
        snapshot = data.accept(ws, up, replace=form.cleaned_data["mode"] == "replace")
    except data.UploadError as e:
        messages.error(request, str(e))
        return redirect("upload")
    messages.success(request, f"已更新当前数据（快照 {snapshot.name}，之前的快照已保留） / current data updated "
                              f"(snapshot {snapshot.name}; the previous one is kept)")
    return redirect("overview")


def rejected_download(request, token: str):
    access.require_admin(request.user)
    try:
        path = data.pending(views.workspace(), token).rejected_file()
    except data.UploadError:
        path = None
    if path is None:
        raise views.Http404("没有被拒绝的行 / no rejected rows")
    return FileResponse(path.open("rb"), as_attachment=True, filename="被拒绝的行.xlsx", content_type=views.XLSX)


def template_download(request):
    access.require_admin(request.user)
    import tempfile
    from pathlib import Path

    try:
        path = data.template_workbook(views.workspace(), Path(tempfile.mkdtemp(prefix="chainkg_dl_")))
    except ChainkgError as e:  # e.g. a national list longer than a sheet holds (out-too-many-rows)
        messages.error(request, e.line())
        return redirect("upload")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=views.XLSX)


def whatif_view(request):
    form = WhatIfForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return views.whatif_page(request, form, error=form_errors(form) if request.method == "POST" else "")
    c = form.cleaned_data
    cg, analysis = data.current(views.workspace())
    try:
        firm = NewFirm(c["firm"], c["province"], c["city"]) if c["new_firm"] else c["firm"]
        additions = [Addition(firm, p.strip(), c["capacity"]) for p in c["products"].split("|") if p.strip()]
        result = what_if(cg, additions, settings=analysis.settings)
    except ChainkgError as e:
        return views.whatif_page(request, form, error=e.line())
    return views.whatif_page(request, form, result=result.to_json())
