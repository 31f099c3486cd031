"""Browser pages: one offline chain map per chain (pyvis / vis-network) and an overview site.

Nothing these pages load comes from another host: the vis-network JS and CSS that pyvis ships are
inlined, and `pages.offline.external_refs` checks every page before it is written.
"""
from __future__ import annotations

from typing import Any

__all__ = ["write_site"]


def __getattr__(name: str) -> Any:
    """`pages.write_site`, imported on first use: `pages.serve` alone needs none of pyvis."""
    if name == "write_site":
        from pages.site import write_site

        return write_site
    raise AttributeError(f"module 'pages' has no attribute {name!r}")
