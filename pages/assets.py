"""What the pages carry: the vis-network JS/CSS bundled with pyvis, our own JS/CSS, and data.

A page rendered alone inlines everything, so it works copied anywhere with no network; a written
site keeps one copy of the library and of our scripts in its `lib/` folder (`write_own`, and
`pages.shared_assets.write_library`), and the folder is the unit that works offline. Text that would
end its <script>/<style> element early is refused, and data is embedded as JSON that cannot close
the element it sits in.
"""
from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import pyvis

VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
TEMPLATES = Path(__file__).parent / "templates"

_CLOSING = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}
_PLAIN = (str, int, bool, type(None))
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def inline(text: str, element: str) -> str:
    """`text` checked to be safe inside <script> or <style> (it must not close the element).

    >>> inline("a < b", "script")
    'a < b'
    >>> inline("x = '</SCRIPT>'", "script")
    Traceback (most recent call last):
    ...
    ValueError: text would close its <script> element
    """
    if _CLOSING[element].search(text):
        raise ValueError(f"text would close its <{element}> element")
    return text


@cache
def vis_js() -> str:
    """vis-network's JS as shipped inside the pyvis package."""
    return inline((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"), "script")


@cache
def vis_css() -> str:
    """vis-network's CSS as shipped inside the pyvis package."""
    return inline((VIS_DIR / "vis-network.css").read_text(encoding="utf-8"), "style")


def own(name: str) -> str:
    """One of our own .js/.css files from pages/templates, checked for inlining."""
    element = "script" if name.endswith(".js") else "style"
    return inline((TEMPLATES / name).read_text(encoding="utf-8"), element)


def write_own(folder: Path, names: tuple[str, ...], prefix: str) -> dict[str, str]:
    """Copy our own files `names` from pages/templates into `folder`; return each name's path as
    `prefix/name` (what a page beside `folder` writes in src/href).

    >>> import tempfile
    >>> write_own(Path(tempfile.mkdtemp()), ("chain.js",), "lib")
    {'chain.js': 'lib/chain.js'}
    """
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in names:
        (folder / name).write_text(own(name), encoding="utf-8")
        out[name] = f"{prefix}/{name}"
    return out


def plain(value: Any) -> Any:
    """`value` with numpy scalars made Python ones and NaN made None, ready for strict JSON.

    >>> plain({"a": float("nan"), "b": [1.5, (2, 3)]})
    {'a': None, 'b': [1.5, [2, 3]]}
    """
    if type(value) in _PLAIN:  # most values: nothing to do
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _scalar(value: Any) -> Any:
    """A numpy scalar as a Python one (json.dumps asks for each value it cannot write)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON")


def script_json(value: Any) -> str:
    """Compact JSON for a <script type="application/json"> element or a data script: no '<', '>'
    or '&' left to break out; numpy scalars as numbers, NaN as null.

    >>> script_json({"name": "</script><img src=x>", "n": [1, float("nan")]})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e","n":[1,null]}'
    """
    options = {"ensure_ascii": False, "allow_nan": False, "separators": (",", ":")}
    try:  # plain data (what the pages build) in one pass; `plain` walks it only when needed
        text = json.dumps(value, default=_scalar, **options)
    except (ValueError, TypeError):  # a NaN, or a key json cannot write
        text = json.dumps(plain(value), **options)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)
