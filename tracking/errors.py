"""Typed errors of the tracking layer: a stable code, a Chinese and an English message.

Every write is validated; what fails raises one of these, never a bare exception, so the CLI and
the workbench print a bilingual line and the workbook import reports the row.

>>> e = UnknownReference("未知小分队“甲”", "unknown team '甲'", field="team", value="甲", code="unknown-team")
>>> e.code, str(e)
('unknown-team', "未知小分队“甲” / unknown team '甲'")
"""
from __future__ import annotations

from queries.errors import InputError


class TrackingError(InputError):
    """Base class; `code` is stable (tests and the web app key on it)."""

    code = "tracking-error"

    def __init__(self, zh: str, en: str, field: str = "", value: object = "", code: str | None = None):
        super().__init__(zh, en, code=code, column=field)
        self.field, self.value = field, "" if value is None else str(value)


class UnknownReference(TrackingError):
    """A team, firm, user, project or district that does not exist."""

    code = "unknown-reference"


class InvalidValue(TrackingError):
    """A value of the wrong form: a bad date, stage, priority, phone, credit code or amount."""

    code = "invalid-value"


class StageBackwards(TrackingError):
    """An outreach stage earlier than the last one, without a note saying why."""

    code = "stage-backwards"


class Conflict(TrackingError):
    """Two edits of the same entry that cannot both be kept (e.g. two teams' copies of one row)."""

    code = "conflict"


class Duplicate(TrackingError):
    """An id that already exists (a project code, a team name)."""

    code = "duplicate"
