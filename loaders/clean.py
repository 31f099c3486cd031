"""Characters no cell should hold: control characters, invisible ones, odd spaces, huge cells.

- control characters (NUL, U+0001–U+001F except tab and line breaks, DEL, U+0080–U+009F) break
  writers and terminals: removed, with a Notice;
- invisible characters (zero-width space and joiners U+200B–U+200D, word joiner U+2060, BOM
  U+FEFF, soft hyphen, direction marks) make `L001\\u200b` a different id from `L001` and a name
  a different name: removed from every cell, with a Notice;
- other spaces (no-break U+00A0, U+2000–U+200A, U+202F, U+205F, ideographic U+3000) become a
  plain space, silently: nothing is lost, and the number and id checks then see ordinary text;
- cells longer than a spreadsheet cell holds (32,767 characters) and names longer than a name
  can sensibly be (`Column.max_length`) are kept, with a Notice.

Each column is tested once with a regex over all its cells joined (C speed); only a column that
holds such a character is cleaned, on its distinct values.

>>> shown("L001\\u200b\\x00")
'L001\\\\u200b\\\\x00'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd


CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
ANY = re.compile(f"[{CONTROL}{INVISIBLE}{SPACES}]")
REMOVED = re.compile(f"[{CONTROL}{INVISIBLE}]")
HAS_CONTROL = re.compile(f"[{CONTROL}]")
HAS_INVISIBLE = re.compile(f"[{INVISIBLE}]")
SPACE = re.compile(f"[{SPACES}]")
ESCAPED = re.compile(f"[{CONTROL}{INVISIBLE}\t\n\r]")
EXCEL_CELL_LIMIT = 32767


SHOWN_LENGTH = 80  # characters of a value a message quotes


def shown(value: str) -> str:
    """A value for a message: control, invisible and line-break characters written as escapes, and
    cut after SHOWN_LENGTH characters."""
    value = value if len(value) <= SHOWN_LENGTH else value[:SHOWN_LENGTH] + "…"
    return ESCAPED.sub(lambda m: ascii(m.group())[1:-1], value) if ESCAPED.search(value) else value


@dataclass(frozen=True)
class Cleaned:
    """The rows of one column whose cells held removed characters (`kind` "control" or "invisible"),
    with the cell as read."""
    column: str
    kind: str
    rows: np.ndarray  # positions in the frame
    values: np.ndarray


def clean_characters(frame: pd.DataFrame, columns: list[str]) -> list[Cleaned]:
    """Clean the text `columns` of `frame` in place; return what was removed, per column and kind."""
    found = []
    for c in columns:
        original = frame[c].to_numpy(dtype=object)
        if not ANY.search("".join(original.tolist())):
            continue
        codes, uniques = pd.factorize(original)
        for kind, pattern in (("control", HAS_CONTROL), ("invisible", HAS_INVISIBLE)):
            hit = np.array([pattern.search(v) is not None for v in uniques], dtype=bool)[codes]
            if hit.any():
                rows = np.flatnonzero(hit)
                found.append(Cleaned(c, kind, rows, original[rows]))
        cleaned = np.array([SPACE.sub(" ", REMOVED.sub("", v)) for v in uniques], dtype=object)
        frame[c] = pd.Series(cleaned[codes], index=frame.index, dtype=frame[c].dtype)
    return found


def too_long(s: pd.Series, limit: int) -> np.ndarray:
    """Positions of the cells longer than `limit` characters."""
    values = s.to_numpy(dtype=object).tolist()
    if max(map(len, values), default=0) <= limit:
        return np.array([], dtype=np.int64)
    return np.flatnonzero(np.fromiter(map(len, values), dtype=np.int64, count=len(values)) > limit)
