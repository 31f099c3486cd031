"""The visual vocabulary of the chain maps: coverage statuses, their Chinese names and colours."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    key: str
    zh: str
    en: str
    background: str
    border: str
    dashed: bool = False


STATUSES: tuple[Status, ...] = (
    Status("local", "本地已有", "made locally", "#a5d6a7", "#2e7d32"),
    Status("weak", "弱链", "weak link", "#ffe082", "#f57f17"),
    Status("captive", "本地自用/副产", "captive or by-product", "#c5e1a5", "#558b2f"),
    Status("project", "在建项目", "project under way", "#90caf9", "#1565c0"),
    Status("neighbour", "周边可配套", "made nearby", "#b2dfdb", "#00796b"),
    Status("missing", "断链", "missing link", "#ef9a9a", "#c62828", dashed=True),
)
STATUS: dict[str, Status] = {s.key: s for s in STATUSES}
UNKNOWN = "missing"  # a product without a coverage row is shown as missing

# Firms shown on demand, by how they relate to a product.
FIRM_COLOURS = {"local": "#2e7d32", "neighbour": "#00796b", "target": "#6a1b9a"}
FOCUS_MARK = "★"
FEEDS_COLOUR = "#546e7a"


def status(key: str) -> Status:
    """The status for a coverage key; unknown keys read as missing.

    >>> status("weak").zh
    '弱链'
    >>> status("???").key
    'missing'
    """
    return STATUS.get(key, STATUS[UNKNOWN])
