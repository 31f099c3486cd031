"""Who may see and change what: 管理员 (data and users), 领导 (reads everything, assigns), 小分队 (its
own team's assignments, events and projects only).

Views ask these functions; they never filter by hand. A refusal is `PermissionDenied` (403).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

ADMIN, LEADER, TEAM = "管理员", "领导", "小分队"


@dataclass(frozen=True)
class Role:
    """A user's role and team name ('' for none)."""

    role: str
    team: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def reads_all(self) -> bool:
        return self.role in (ADMIN, LEADER)

    @property
    def assigns(self) -> bool:
        return self.role in (ADMIN, LEADER)


def role_of(user) -> Role:
    """The user's role; a user without a member row (made outside chainkg) is a 小分队 with no team,
    who sees nothing."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is None:
        return Role(TEAM, "")
    return Role(member.role, member.team.name if member.team else "")


def visible_team(user) -> str | None:
    """The team whose rows the user may read: None for all (管理员, 领导), else the user's own team."""
    r = role_of(user)
    if r.reads_all:
        return None
    if not r.team:
        raise PermissionDenied("尚未分配小分队，请联系管理员 / no team yet; ask an admin")
    return r.team


def require_admin(user) -> None:
    if not role_of(user).is_admin:
        raise PermissionDenied("仅管理员可以操作 / admins only")


def require_assigner(user) -> None:
    if not role_of(user).assigns:
        raise PermissionDenied("仅管理员或领导可以分派 / only admins and leaders assign targets")


def require_writer_for(user, team_name: str) -> None:
    """管理员 writes anything; a 小分队 member only its own team's entries; 领导 reads only."""
    r = role_of(user)
    if r.is_admin:
        return
    if r.role == TEAM and r.team and r.team == team_name:
        return
    raise PermissionDenied("只能修改本小分队的记录 / you may change only your own team's entries")


def team_district(user) -> str:
    member = getattr(user, "member", None)
    return member.team.district.name if member and member.team and member.team.district else ""


def visible_projects(user, rows: list[dict]) -> list[dict]:
    """The project rows (`tracking.projects.list_projects`) the user may read: every one for 管理员 and
    领导; for a 小分队 member, those of its team's district."""
    if role_of(user).reads_all:
        return rows
    district = team_district(user)
    return [p for p in rows if district and p["district"] == district]


def context(request) -> dict:
    """Template context: the user's role (for the menu)."""
    if not request.user.is_authenticated:
        return {}
    return {"role": role_of(request.user)}
