"""Names as people type them: one matching key, and the look-up of a chain, region, product, firm
or project by its id, name, short name or alias, with the closest spellings when nothing fits.

`match_key` is for comparing only: stored and displayed values are never rewritten with it. The
loaders' duplicate-name check uses the same key (`match_keys`, one call per distinct value), so
two names the loader calls the same are the names a look-up cannot tell apart.

>>> match_key("Ｐｏｌｙ （ 乙烯 ）【A】")
'poly(乙烯)[a]'
>>> chains = pd.DataFrame({"chain_id": ["coal_chem", "silicon"], "name_zh": ["现代煤化工", "硅基新材料"]})
>>> names = Names.of(CHAIN, chains, [["name_zh"]])
>>> names.resolve("现代 煤化工"), names.resolve("Coal_Chem")
('coal_chem', 'coal_chem')
>>> names.resolve("煤化工")
Traceback (most recent call last):
...
queries.errors.UnknownName: 未知产业链“煤化工”，是否指：现代煤化工(coal_chem)？ / unknown chain '煤化工'; did you mean: 现代煤化工(coal_chem)?

This module imports nothing from `loaders` or `graph` (the loaders import it).
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from queries.errors import AmbiguousName, InputError, UnknownName
from queries.vocabulary import LIST_SEPARATOR

# After NFKC (which already folds full-width ASCII, the ideographic space and compatibility forms):
# the CJK brackets, quotes and dashes NFKC leaves alone, and the invisible characters it keeps.
_FOLD = str.maketrans({
    "【": "[", "】": "]", "〔": "[", "〕": "]", "〖": "[", "〗": "]", "［": "[", "］": "]",
    "《": "<", "》": ">", "〈": "<", "〉": ">",
    "「": '"', "」": '"', "『": '"', "』": '"', "“": '"', "”": '"', "‘": "'", "’": "'",
    "、": ",", "，": ",", "。": ".", "；": ";", "：": ":", "！": "!", "？": "?",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})

# The common part of the key as plain replacements, for a database that cannot run NFKC (Cypher).
FOLD_PAIRS = ((" ", ""), ("\u3000", ""), ("\t", ""), ("\xa0", ""), ("（", "("), ("）", ")"),
              *((chr(c), t or "") for c, t in _FOLD.items()))
_CLOSE = 0.6  # difflib's cutoff for a close spelling
SHOWN = 5  # suggestions listed


@functools.cache
def _rare() -> re.Pattern[str]:
    """Characters for which a key needs NFKC and folding: every BMP character NFKC changes or that
    combines with the one before, the folded ones, and any character beyond the BMP (they simply
    take the slow way), except （）， and the ideographic space, which `match_key` replaces itself.
    Built on first use (about 0.1 s)."""
    changed = {c for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000 and
               (unicodedata.combining(chr(c)) or unicodedata.normalize("NFKC", chr(c)) != chr(c))}
    codes = sorted((changed | set(_FOLD)) - {ord(c) for c in "（），\u3000"})
    runs: list[list[int]] = []
    for c in codes:
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    spans = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)
    return re.compile(f"[{spans}\U00010000-\U0010FFFF]")


def match_key(text: Any) -> str:
    """The key two spellings of one name share: NFKC, CJK punctuation and brackets as ASCII, no
    whitespace or invisible characters, case-folded.

    >>> match_key("甲化工（乌海）有限公司"), match_key(" BDO\\u200b "), match_key("ＣＯＡＬ＿chem")
    ('甲化工(乌海)有限公司', 'bdo', 'coal_chem')
    """
    text = str(text)
    if not text.isascii():  # NFKC and translate are slow: the usual full-width marks are replaced directly
        if _rare().search(text):
            text = unicodedata.normalize("NFKC", text).translate(_FOLD)
        else:
            text = text.replace("（", "(").replace("）", ")").replace("，", ",").replace("\u3000", " ")
    return "".join(text.split()).casefold()


def match_keys(values: pd.Series) -> pd.Series:
    """`match_key` of every cell, computed once per distinct value (same index and name).

    >>> match_keys(pd.Series(["Ａ b", "a\\u3000B", "Ａ b"])).tolist()
    ['ab', 'ab', 'ab']
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    keys = np.array([match_key(u) for u in uniques], dtype=object)
    return pd.Series(keys[codes] if len(values) else [], index=values.index, name=values.name, dtype=object)


def shown(text: str) -> str:
    """`text` for a message: trimmed, invisible and control characters written as \\uXXXX."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in str(text).strip())


@dataclass(frozen=True)
class Kind:
    """What a name names, for messages and error codes (`unknown-<code>`, `ambiguous-<code>`)."""
    code: str
    zh: str
    en: str
    option: str  # the command-line flag that takes it


CHAIN = Kind("chain", "产业链", "chain", "--chain")
REGION = Kind("region", "区域", "region", "--region")
PRODUCT = Kind("product", "产品", "product", "--add")
FIRM = Kind("firm", "企业", "firm", "--add")
PROJECT = Kind("project", "项目", "project", "--project")

# Region names also answer to their short form: 乌海 for 乌海市, 内蒙古 for 内蒙古自治区.
REGION_SUFFIX = (r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|"
                 r"省|市|区|县|旗|盟|镇|乡)$")


@dataclass(frozen=True)
class Names:
    """The spellings that name the rows of one table, by match key, in tiers: ids first, then
    names, then short names or aliases. A key that names two rows in its tier is ambiguous."""
    kind: Kind
    ids: frozenset[str]
    tiers: tuple[dict[str, tuple[str, ...]], ...]
    labels: dict[str, str]  # id -> '名称(id)'

    @classmethod
    def of(cls, kind: Kind, frame: pd.DataFrame, tiers: list[list[str]], lists: Iterable[str] = ()) -> Names:
        """The names of `frame`'s rows: its first column is the id, `tiers` the name columns by
        precedence (after the id), `lists` the columns holding several spellings (aliases)."""
        frame = frame.reset_index(drop=True).fillna("")
        id_col = frame.columns[0]
        ids = frame[id_col].astype(str)
        found = [_spellings(ids, ids)]
        for columns in tiers:
            tier: dict[str, tuple[str, ...]] = {}
            for col in columns:
                if col not in frame:
                    continue
                values = frame[col].astype(str)
                if col in lists:
                    values = values.str.split(LIST_SEPARATOR).explode()
                for key, owners in _spellings(values, ids[values.index]).items():
                    tier[key] = tuple(dict.fromkeys(tier.get(key, ()) + owners))
            found.append(tier)
        name_col = tiers[0][0] if tiers and tiers[0][0] in frame else id_col
        labels = {i: f"{n}({i})" if n and n != i else i for i, n in zip(ids, frame[name_col].astype(str))}
        return cls(kind, frozenset(ids), tuple(found), labels)

    def find(self, text: str) -> list[str]:
        """The ids `text` names in the first tier where it names any ([] when none)."""
        if text in self.ids:
            return [text]
        key = match_key(text)
        for tier in self.tiers:
            if key in tier:
                return list(tier[key])
        return []

    def resolve(self, text: str, option: str | None = None) -> str:
        """The id `text` names; `UnknownName` (with the closest spellings) when none,
        `AmbiguousName` when it names several rows."""
        where = {"option": self.kind.option if option is None else option}
        if not match_key(text):
            raise InputError(f"{self.kind.zh}名称为空", f"the {self.kind.en} name is empty", code="empty-name", **where)
        found = self.find(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousName(f"“{shown(text)}”可指多个{self.kind.zh}，请写编号或全称",
                                f"'{shown(text)}' names several {self.kind.en}s; give the id or the full name",
                                matches=[self.labels[i] for i in found], code=f"ambiguous-{self.kind.code}", **where)
        raise UnknownName(f"未知{self.kind.zh}“{shown(text)}”", f"unknown {self.kind.en} '{shown(text)}'",
                          matches=self.suggest(text), code=f"unknown-{self.kind.code}", **where)

    def suggest(self, text: str, n: int = SHOWN) -> list[str]:
        """Labels of the rows spelt most like `text`: spellings containing it (or contained in it),
        nearest in length first, then difflib's close spellings."""
        key = match_key(text)
        owners: dict[str, tuple[str, ...]] = {}
        for tier in self.tiers:
            for k, ids in tier.items():
                owners[k] = owners.get(k, ()) + ids
        contained = sorted((k for k in owners if key and (key in k or (len(k) >= 2 and k in key))),
                           key=lambda k: (abs(len(k) - len(key)), k))
        close = difflib.get_close_matches(key, list(owners), n=n, cutoff=_CLOSE)
        ids = dict.fromkeys(i for k in contained + close for i in owners[k])
        return [self.labels[i] for i in list(ids)[:n]]


LOOK_ALIKE_ROWS = 200  # rows a failed firm look-up returns for suggestions, at most
CLOSE_SEARCH = 200_000  # distinct spellings difflib searches for close ones, at most (about a second)
_CONTAINS = np.frompyfunc(str.__contains__, 2, 1)
_LEN = np.frompyfunc(len, 1, 1)


def look_alike(keys: list[np.ndarray], key: str) -> np.ndarray:
    """Rows whose key (any of the parallel `keys` arrays) contains `key`, is contained in it, or
    is among difflib's close spellings of it (searched when there are at most CLOSE_SEARCH distinct
    keys); at most LOOK_ALIKE_ROWS rows, the close ones first."""
    rows = np.zeros(len(keys[0]) if keys else 0, dtype=bool)
    if not key or not len(rows):
        return rows
    distinct = pd.unique(np.concatenate(keys))
    close = difflib.get_close_matches(key, list(distinct), n=SHOWN, cutoff=_CLOSE) if len(distinct) <= CLOSE_SEARCH else []
    near = np.zeros_like(rows)
    for k in keys:
        near |= np.isin(k, close)
        rows |= _CONTAINS(k, key).astype(bool) | ((_LEN(k) >= 2) & _CONTAINS(key, k)).astype(bool)
    order = np.concatenate([np.flatnonzero(near), np.flatnonzero(rows & ~near)])[:LOOK_ALIKE_ROWS]
    out = np.zeros_like(rows)
    out[order] = True
    return out


def _spellings(values: pd.Series, ids: pd.Series) -> dict[str, tuple[str, ...]]:
    """Match key -> the ids spelt that way (table order), skipping empty spellings."""
    keys = match_keys(values).to_numpy(dtype=object)
    found: dict[str, tuple[str, ...]] = {}
    for key, i in zip(keys, ids.to_numpy(dtype=object)):
        if key and i not in found.get(key, ()):
            found[key] = found.get(key, ()) + (i,)
    return found


def table_names(tables: dict[str, pd.DataFrame], kind: Kind) -> Names:
    """The names of the chains, regions, products or projects in the (validated) tables."""
    if kind is CHAIN:
        return Names.of(kind, tables["chains"][["chain_id", "name_zh", "name_en"]], [["name_zh", "name_en"]])
    if kind is REGION:
        regions = tables["regions"][["region_id", "name_zh"]].copy()
        short = regions["name_zh"].astype(str).str.replace(REGION_SUFFIX, "", regex=True)
        regions["short"] = short.where(short.str.len() >= 2, "")
        return Names.of(kind, regions, [["name_zh"], ["short"]])
    if kind is PRODUCT:
        products = tables["products"][["product_id", "name_zh", "name_en", "aliases"]]
        return Names.of(kind, products, [["name_zh", "name_en"], ["aliases"]], lists=["aliases"])
    if kind is PROJECT:
        return Names.of(kind, tables["projects"][["project_id", "name"]], [["name"]])
    raise ValueError(f"no table of {kind.en} names")  # a programming error, not a user's


def firm_names(firms: pd.DataFrame) -> Names:
    """The names of these enterprises rows: id, then full name, then short name."""
    return Names.of(FIRM, firms[["enterprise_id", "name", "short_name"]], [["name"], ["short_name"]])


def names_in(small: Any, kind: Kind) -> Names:
    """`table_names` of a ChainGraph's tables, kept in its `derived` (the tables never change)."""
    key = ("names", kind.code)
    if key not in small.derived:
        small.derived[key] = table_names(small.tables, kind)
    return small.derived[key]


def resolve(small: Any, kind: Kind, text: str, option: str | None = None) -> str:
    """The id of the chain, region, product or project `text` names in a ChainGraph.

    >>> from loaders import load; from graph import ChainGraph
    >>> cg = ChainGraph(load()[0])
    >>> resolve(cg, CHAIN, "可降解材料"), resolve(cg, REGION, "乌海"), resolve(cg, PRODUCT, "bdo")
    ('degradable', 'wuhai', 'bdo')
    """
    return names_in(small, kind).resolve(text, option)
