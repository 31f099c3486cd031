"""Users who sign in to the workbench: add one with a password and a role, list them, set a password.

Passwords are hashed by Django (`set_password`, PBKDF2 by default) and checked by its validators
(at least 8 characters, not common, not all digits, not like the user name). Every change is in
the audit log; the password itself never is.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from tracking.audit import record
from tracking.db import PASSWORD_VALIDATORS as VALIDATORS
from tracking.errors import InvalidValue, UnknownReference
from tracking.people import add_member



@dataclass(frozen=True)
class Account:
    username: str
    role: str
    team: str
    has_password: bool
    last_login: str

    def to_json(self) -> dict:
        return asdict(self)


def _check(password: str, user) -> None:
    try:
        validate_password(password, user, password_validators=get_password_validators(VALIDATORS))
    except ValidationError as e:
        text = "；".join(str(m) for m in e.messages)
        raise InvalidValue(f"密码不合要求：{text}", f"password refused: {text}", field="password",
                           code="weak-password") from None


def _user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise UnknownReference(f"未知用户“{username}”", f"unknown user '{username}'", field="user", value=username,
                               code="unknown-user")
    return user


def add_user(actor, username: str, password: str, role: str = "小分队", team: str | None = None):
    """A new user who can sign in: `tracking.people.add_member` plus a checked, hashed password."""
    with transaction.atomic():
        user = add_member(actor, username.strip(), role, team)
        _check(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def first_admin(username: str, password: str):
    """On a workspace with no users yet: the first user, a 管理员 with a password (it records itself)."""
    from tracking.models import Member

    User = get_user_model()
    if User.objects.exists():
        raise InvalidValue("已有用户，请以管理员身份添加 / users exist: add new ones as an admin",
                           "users exist: add new ones as an admin", field="user", code="not-first-user")
    with transaction.atomic():
        user = User(username=username.strip())
        _check(password, user)
        user.set_password(password)
        user.save()
        Member.objects.create(user=user, role="管理员")
        record(user, "create", user, user.username, {"role": "管理员", "bootstrap": True})
    return user


def set_password(actor, username: str, password: str):
    """Set (or reset) a user's password; recorded in the audit log without the password."""
    user = _user(username)
    _check(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(actor, "password", user, username, {"password": "（已更改 / changed）"})
    return user


def list_users() -> list[Account]:
    """Every user, by name, with role and team."""
    out = []
    for u in get_user_model().objects.select_related("member__team").order_by("username"):
        m = getattr(u, "member", None)
        out.append(Account(u.username, m.role if m else "", m.team.name if m and m.team else "", u.has_usable_password(),
                           u.last_login.isoformat(timespec="seconds") if u.last_login else ""))
    return out
