"""Files shared by the pages of a written site: the map library once, and data loaded on demand.

Instead of copying vis-network into every chain page, `write_library` writes it once into `lib/`
beside the pages (with the lazy loader and `packed.js`, the reader of packed data), and each page
loads it with `<script src="lib/vis-network.min.js">`; the site folder, not the single page, is then
the unit that works offline (`pages.site`). Data a page loads lazily is written by
`write_data_script` as a `.js` file that assigns the JSON to `window.chainkgData[key]`: script tags
work under file:// where fetch() does not, and `lazy_loader_js()` gives the page a
`chainkgLoad(src, key)` that returns a Promise.

The pages' Content-Security-Policy then allows scripts and styles from the site's own files
('self', which under file:// matches local files, tested in Chromium) besides inline ones, and
still nothing else: no connect-src, so no fetch or XHR at all (`SITE_CSP`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pages.assets import TEMPLATES, VIS_DIR, script_json

LIB = "lib"
DATA = "lib/data"
SITE_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src data:; base-uri 'none'; form-action 'none'")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Library:
    """Paths of the shared library files, relative to the site folder (for src/href attributes)."""
    vis_js: str
    vis_css: str
    lazy_js: str
    packed_js: str


def csp_meta() -> str:
    """The meta tag carrying `SITE_CSP`."""
    return f'<meta http-equiv="Content-Security-Policy" content="{SITE_CSP}">'


def lazy_loader_js() -> str:
    """The script defining `chainkgLoad(src, key)` (see `write_data_script`)."""
    return (TEMPLATES / "lazy.js").read_text(encoding="utf-8")


def packed_js() -> str:
    """The script defining `chainkgPacked`, which reads data packed by `pages.packing` and `pages.reasons`."""
    return (TEMPLATES / "packed.js").read_text(encoding="utf-8")


def write_library(site: str | Path) -> Library:
    """Write vis-network's JS/CSS (as pyvis ships them), the lazy loader and the reader of packed
    data into `site/lib/`, once."""
    lib = Path(site) / LIB
    lib.mkdir(parents=True, exist_ok=True)
    for name in ("vis-network.min.js", "vis-network.css"):
        (lib / name).write_bytes((VIS_DIR / name).read_bytes())
    (lib / "lazy.js").write_text(lazy_loader_js(), encoding="utf-8")
    (lib / "packed.js").write_text(packed_js(), encoding="utf-8")
    return Library(f"{LIB}/vis-network.min.js", f"{LIB}/vis-network.css", f"{LIB}/lazy.js", f"{LIB}/packed.js")


def write_data_script(site: str | Path, name: str, value: Any, key: str | None = None) -> str:
    """Write `value` as `site/lib/data/<name>.js` assigning it to `window.chainkgData[key or name]`;
    return the path relative to the site (for `chainkgLoad`). Names are ASCII letters, digits, _ and -.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> write_data_script(site, "chain_c1", {"name": "</script>"})
    'lib/data/chain_c1.js'
    >>> print((site / "lib/data/chain_c1.js").read_text(encoding="utf-8"))
    (window.chainkgData = window.chainkgData || {})["chain_c1"] = {"name":"\\u003c/script\\u003e"};
    <BLANKLINE>
    """
    key = key or name
    if not _SAFE_NAME.match(name) or not _SAFE_NAME.match(key):
        raise ValueError(f"数据文件名只能用字母、数字、_ 和 - / data file names are letters, digits, _ and -: {name!r}")
    folder = Path(site) / DATA
    folder.mkdir(parents=True, exist_ok=True)
    text = f'(window.chainkgData = window.chainkgData || {{}})["{key}"] = {script_json(value)};\n'
    (folder / f"{name}.js").write_text(text, encoding="utf-8")
    return f"{DATA}/{name}.js"
