"""Districts/departments, teams and members; the user the CLI acts as."""
from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.db import transaction

from tracking.audit import record
from tracking.errors import Duplicate, InvalidValue, UnknownReference
from tracking.models import DISTRICT_KINDS, ROLES, District, Member, Team


def os_user() -> str:
    """The operating-system user name, the CLI's default --user."""
    try:
        return getpass.getuser() or "chainkg"
    except Exception:  # no user name in the environment (some service accounts)
        return "chainkg"


def acting_user(username: str | None = None):
    """The user recording a change. On a workspace with no users yet, the first one is created as
    管理员 (so a fresh install works); after that an unknown name is refused."""
    User = get_user_model()
    name = (username or os_user()).strip()
    user = User.objects.filter(username=name).first()
    if user:
        return user
    if User.objects.exists():
        raise UnknownReference(f"未知用户“{name}”，请管理员先添加（track member add）",
                               f"unknown user '{name}'; an admin must add it first (track member add)",
                               field="user", value=name, code="unknown-user")
    with transaction.atomic():
        user = User.objects.create_user(name)
        Member.objects.create(user=user, role="管理员")
        record(user, "create", user, name, {"role": "管理员", "bootstrap": True})
    return user


def district(name: str) -> District:
    found = District.objects.filter(name=name.strip()).first()
    if not found:
        raise UnknownReference(f"未知区/部门“{name}”", f"unknown district or department '{name}'", field="district",
                               value=name, code="unknown-district")
    return found


def team(name: str) -> Team:
    found = Team.objects.filter(name=(name or "").strip()).first()
    if not found:
        known = "、".join(Team.objects.order_by("name").values_list("name", flat=True)[:10]) or "（尚无 / none yet）"
        raise UnknownReference(f"未知小分队“{name}”（已有：{known}）", f"unknown team '{name}' (known: {known})",
                               field="team", value=name, code="unknown-team")
    return found


def add_district(user, name: str, kind: str = "区") -> District:
    name = name.strip()
    if kind not in dict(DISTRICT_KINDS):
        raise InvalidValue(f"类型“{kind}”应为 区 或 部门", f"kind '{kind}' must be 区 or 部门", field="kind", value=kind,
                           code="bad-kind")
    if District.objects.filter(name=name).exists():
        raise Duplicate(f"区/部门“{name}”已存在", f"district '{name}' exists", field="district", value=name,
                        code="duplicate-district")
    with transaction.atomic():
        d = District.objects.create(name=name, kind=kind)
        record(user, "create", d, name, {"kind": kind})
    return d


def add_team(user, name: str, district_name: str | None = None) -> Team:
    name = name.strip()
    if not name:
        raise InvalidValue("小分队名称为空", "team name is empty", field="team", code="bad-team")
    if Team.objects.filter(name=name).exists():
        raise Duplicate(f"小分队“{name}”已存在", f"team '{name}' exists", field="team", value=name,
                        code="duplicate-team")
    d = district(district_name) if district_name else None
    with transaction.atomic():
        t = Team.objects.create(name=name, district=d)
        record(user, "create", t, name, {"district": d.name if d else ""})
    return t


def add_member(user, username: str, role: str = "小分队", team_name: str | None = None):
    """A user (no password: the workbench sets one) with a role and, for 小分队, a team."""
    User = get_user_model()
    if role not in dict(ROLES):
        raise InvalidValue(f"角色“{role}”应为 管理员 / 领导 / 小分队", f"role '{role}' must be 管理员, 领导 or 小分队",
                           field="role", value=role, code="bad-role")
    if User.objects.filter(username=username).exists():
        raise Duplicate(f"用户“{username}”已存在", f"user '{username}' exists", field="user", value=username,
                        code="duplicate-user")
    t = team(team_name) if team_name else None
    with transaction.atomic():
        member = User.objects.create_user(username)
        Member.objects.create(user=member, role=role, team=t)
        record(user, "create", member, username, {"role": role, "team": t.name if t else ""})
    return member
