"""Find references in a page that would make a browser fetch from another host.

A reference is an attribute (src, href, action, poster, data, srcset), a CSS `@import` or a CSS
`url()` whose value starts with http://, https:// or // (protocol-relative). Text that merely
mentions an address (a licence comment, an SVG namespace in JS) is not a reference.

>>> external_refs('<script src="https://cdn.example/x.js"></script>')
['src="https://cdn.example/x.js']
>>> external_refs('<a href="chain_bdo.html">x</a> var ns = "http://www.w3.org/2000/svg";')
[]
"""
from __future__ import annotations

import re
from pathlib import Path

_REMOTE = r"(?:https?:)?//"
EXTERNAL = re.compile(
    r"""\b(?:src|href|action|poster|data|srcset)\s*=\s*["']?\s*""" + _REMOTE + r"""[^\s"'<>)]*"""
    r"""|@import\s+(?:url\(\s*)?["']?\s*""" + _REMOTE + r"""[^\s"'<>)]*"""
    r"""|\burl\(\s*["']?\s*""" + _REMOTE + r"""[^\s"'<>)]*""",
    re.IGNORECASE)


def external_refs(html: str) -> list[str]:
    """Every reference in `html` to another host, as found in the text."""
    return [m.group(0) for m in EXTERNAL.finditer(html)]


class NotOffline(ValueError):
    """A page would load something from another host."""


def check_offline(html: str, name: str = "page") -> str:
    """Return `html` unchanged, or raise NotOffline naming the references to other hosts."""
    refs = external_refs(html)
    if refs:
        raise NotOffline(f"{name} 引用了外部资源 / loads from another host: {refs[:5]}")
    return html


def pages_with_external_refs(folder: Path) -> dict[str, list[str]]:
    """For each .html/.css/.js file under `folder` that references another host: the references."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".html", ".htm", ".css", ".js") and path.is_file():
            refs = external_refs(path.read_text(encoding="utf-8", errors="replace"))
            if refs:
                found[str(path.relative_to(folder))] = refs
    return found
