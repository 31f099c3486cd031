"""Browser pages: one offline chain map per chain (pyvis / vis-network) and an overview site.

Nothing these pages load comes from another host: the vis-network JS and CSS that pyvis ships are
inlined, and `pages.offline.external_refs` checks every page before it is written.
"""
from __future__ import annotations

from pages.site import write_site

__all__ = ["write_site"]
