"""Render the page templates (HTML-escaping every value unless it is marked safe)."""
from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pages.assets import TEMPLATES
from pages.offline import check_offline


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def percent(value: Any) -> str:
    """A 0..1 score as a percentage; '—' when unknown.

    >>> percent(0.625), percent(None)
    ('62.5%', '—')
    """
    if value is None:
        return "—"
    return f"{float(value) * 100:.1f}%"


def render(template: str, **values: Any) -> str:
    """Render a template and check that it loads nothing from another host."""
    env = environment()
    env.filters["percent"] = percent
    return check_offline(env.get_template(template).render(**values), template)
