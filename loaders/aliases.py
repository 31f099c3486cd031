"""Spellings that could name two rows: product aliases that clash, ids that differ only in case.

References resolve exactly, then ignoring case (`loaders.validate.spellings`), so a spelling that
two products share cannot be resolved without choosing one arbitrarily. An alias that is another
product's id or name is dropped from the other products listing it (kept by the product it names);
one that two products both list, and that is neither's id or name, is dropped from both; each with
a Notice naming the other product; the rows stay. Ids that differ only in case are caught by
the duplicate check (`loaders.validate`), which rejects the later row.

>>> frame = pd.DataFrame({"product_id": ["bdo", "thf", "gbl"], "name_zh": ["1,4-丁二醇", "四氢呋喃", "γ-丁内酯"],
...                       "aliases": ["BDO|丁二醇|THF", "THF|溶剂", "溶剂"]})
>>> kept, clashes = ambiguous_aliases(frame)
>>> kept.tolist()
['BDO|丁二醇', 'THF', '']
>>> [(c.row, c.alias, c.others) for c in clashes]
[(0, 'THF', ('thf',)), (1, '溶剂', ('gbl',)), (2, '溶剂', ('thf',))]
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pandas as pd

from loaders.tables import LIST_SEPARATOR


def ambiguity_key(value: str) -> str:
    """What two spellings must differ in to be told apart: not case, width or spaces."""
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


@dataclass(frozen=True)
class Clash:
    row: int  # position in the frame
    alias: str
    others: tuple[str, ...]  # ids of the other products the alias names


def ambiguous_aliases(frame: pd.DataFrame, keep: pd.Series | None = None) -> tuple[pd.Series, list[Clash]]:
    """The `aliases` column without the clashing aliases, and each alias dropped. Only the rows in
    `keep` (default: all) are compared; the others are left as they are."""
    keep = pd.Series(True, index=frame.index) if keep is None else keep
    rows = frame[keep]
    items = rows["aliases"].str.split(LIST_SEPARATOR).explode()
    items = items[items.notna() & (items != "")]
    if items.empty:
        return frame["aliases"], []
    keys = items.map(ambiguity_key)
    owner = rows["product_id"]
    claims = pd.DataFrame({"key": pd.concat([rows["product_id"].map(ambiguity_key), rows["name_zh"].map(ambiguity_key),
                                             keys], ignore_index=True),
                           "pid": pd.concat([owner, owner, owner[items.index]], ignore_index=True)}).drop_duplicates()
    counts = claims["key"].value_counts()
    claims = claims[claims["key"].isin(counts.index[counts > 1])]  # keys more than one product answers to
    shared = {k: set(g) for k, g in claims.groupby("key")["pid"]} if len(claims) else {}
    named = pd.Series(pd.concat([owner, owner], ignore_index=True).to_numpy(),
                      index=pd.concat([rows["product_id"], rows["name_zh"]]).map(ambiguity_key).to_numpy())
    named = named[~named.index.duplicated(keep=False)]  # a key that is one product's id or name
    clash = keys.isin(list(shared)).to_numpy() & (keys.map(named).to_numpy() != owner[items.index].to_numpy())
    if not clash.any():
        return frame["aliases"], []
    pos = pd.Series(range(len(frame)), index=frame.index)
    clashes = [Clash(int(pos[i]), alias, tuple(sorted(shared[k] - {owner[i]})))
               for i, alias, k in zip(items.index[clash], items[clash], keys[clash])]
    joined = items[~clash].groupby(level=0).agg(LIST_SEPARATOR.join)
    out = frame["aliases"].copy()
    out[rows.index] = joined.reindex(rows.index, fill_value="")
    return out, clashes


def names_that_are_ids(frame: pd.DataFrame, keep: pd.Series | None = None) -> list[Clash]:
    """Products whose Chinese name is another kept product's id, ignoring case and width: a
    reference spelled like the id means the id's product (ids win), easily not what was meant.

    >>> names_that_are_ids(pd.DataFrame({"product_id": ["pvc", "x1"], "name_zh": ["聚氯乙烯", "PVC"]}))
    [Clash(row=1, alias='PVC', others=('pvc',))]
    """
    keep = pd.Series(True, index=frame.index) if keep is None else keep
    rows = frame[keep]
    ids = pd.Series(rows["product_id"].to_numpy(), index=rows["product_id"].map(ambiguity_key).to_numpy())
    ids = ids[~ids.index.duplicated()]
    other = rows["name_zh"].map(ambiguity_key).map(ids)
    hit = other.notna() & (other != rows["product_id"])
    pos = pd.Series(range(len(frame)), index=frame.index)
    return [Clash(int(pos[i]), name, (pid,)) for i, name, pid in zip(rows.index[hit], rows["name_zh"][hit], other[hit])]
