"""Integer codes for the candidate rows of `queries.targets`.

At national scale the candidate rows (gap product x related product x producing firm) number in
the millions; grouping, de-duplicating and sorting them by string ids is most of targeting's cost.
`Codes` numbers products and firms in the sorted order of their ids (and firm names in sorted
order), so that every group, join and sort on the codes gives exactly what it gives on the
strings; ids are decoded only for the candidates that make the list.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from queries.scoring import RELS

FIRM_ROW = "firm_row"  # pool column from the tables: the firm's row position in `firms`


def pair_key(a: np.ndarray, b: np.ndarray, width: int) -> np.ndarray:
    """One int64 per pair of codes, `a * width + b` (every b < width): grouping, de-duplicating and
    sorting pairs becomes numpy work on one integer column, which is many times faster than on two
    columns or a MultiIndex, and sorts as (a, b) does.

    >>> pair_key(np.array([0, 1]), np.array([2, 0]), 3).tolist()
    [2, 3]
    """
    return a.astype(np.int64) * width + b


def distinct_pairs(a: np.ndarray, b: np.ndarray, width: int) -> np.ndarray:
    """A mask keeping the first row of each (a, b) pair, in row order.

    >>> distinct_pairs(np.array([0, 1, 0]), np.array([2, 0, 2]), 3).tolist()
    [True, True, False]
    """
    return ~pd.Series(pair_key(a, b, width)).duplicated().to_numpy()


REF_ROWS = "ref_rows"  # frame.attrs key: RefRows of a validated table (`loaders.validate`)


class RefRows:
    """Where each row's references point, as the validator found them: {column: row positions in
    the referenced table}. Kept in a validated frame's attrs, so that the queries need not look
    millions of ids up again; a hint only, to be checked (`rows_of`): a frame changed since
    validation no longer matches it. pandas copies attrs into every frame derived from one; this
    object is shared instead (the arrays are never written)."""

    def __init__(self, rows: dict[str, np.ndarray]):
        self.rows = rows

    def __deepcopy__(self, memo: dict) -> RefRows:
        return self


def rows_of(frame: pd.DataFrame, column: str, index: pd.Index) -> np.ndarray | None:
    """The validator's positions of `frame[column]` in `index` when they still hold (same length,
    and the ids at those positions are the column's values), else None.

    >>> f = pd.DataFrame({"e": ["b", "a"]}); f.attrs[REF_ROWS] = RefRows({"e": np.array([1, 0])})
    >>> rows_of(f, "e", pd.Index(["a", "b"])).tolist(), rows_of(f, "e", pd.Index(["b", "a"]))
    ([1, 0], None)
    """
    ref = frame.attrs.get(REF_ROWS)
    pos = ref.rows.get(column) if isinstance(ref, RefRows) else None
    if pos is None or len(pos) != len(frame) or (len(pos) and (pos.min() < 0 or pos.max() >= len(index))):
        return None
    ok = (index.to_numpy(dtype=object)[pos] == frame[column].to_numpy(dtype=object)).all()
    return pos if ok else None


class Codes:
    """Coded candidate rows and the tables to decode them.

    `rows`: related products joined with the producing firms of `pool`, with columns gap_code and
    product_code (product codes), rel_code (index in RELS), firm_code and the rest of the pool's
    columns (ids never travel through the ranking; `decode` turns codes back into ids).
    """

    firm_rows: np.ndarray  # each firm code's row in the enterprises rows the codes were made with

    def __init__(self, related: pd.DataFrame, pool: pd.DataFrame, firms: pd.DataFrame):
        self.products = np.array(sorted(set(related["gap"]) | set(related["product_id"])), dtype=object)
        position = pd.Series(np.arange(len(self.products)), index=self.products)
        rel = pd.DataFrame({"gap_code": position[related["gap"]].to_numpy(),
                            "product_code": position[related["product_id"]].to_numpy(),
                            "rel_code": related["rel"].map({r: i for i, r in enumerate(RELS)}).to_numpy()})
        pool = pool[pool["product_id"].isin(position.index)]
        firm_code, self.firm_ids = pd.factorize(pool["enterprise_id"], sort=True)
        self.firm_ids = np.asarray(self.firm_ids, dtype=object)
        pool = pool.assign(firm_code=firm_code, product_code=position[pool["product_id"]].to_numpy())
        firm_rows = pool.pop(FIRM_ROW).to_numpy()
        self.rows = rel.merge(pool.drop(columns=["enterprise_id", "product_id"]), on="product_code")
        self.firm_rows = np.empty(len(self.firm_ids), dtype=np.int64)
        self.firm_rows[firm_code] = firm_rows
        self._rank(firms)

    @classmethod
    def from_rows(cls, rows: pd.DataFrame, gap_products: list[str], firms: pd.DataFrame) -> Codes:
        """Codes for candidate rows already joined (gap, product_id, rel and enterprise_id as names,
        plus the pool's columns), as the Neo4j backend fetches them."""
        code = cls.__new__(cls)
        code.products = np.array(sorted(set(gap_products) | set(rows["gap"]) | set(rows["product_id"])), dtype=object)
        position = pd.Series(np.arange(len(code.products)), index=code.products)
        firm_code, ids = pd.factorize(rows["enterprise_id"], sort=True)
        code.firm_ids = np.asarray(ids, dtype=object)
        code.rows = rows.assign(gap_code=position[rows["gap"]].to_numpy(),
                                product_code=position[rows["product_id"]].to_numpy(),
                                rel_code=rows["rel"].map({r: i for i, r in enumerate(RELS)}).to_numpy(dtype=int),
                                firm_code=firm_code).drop(columns=["gap", "product_id", "rel", "enterprise_id"])
        code.firm_rows = pd.Index(firms["enterprise_id"]).get_indexer(code.firm_ids)  # every one fetched
        code._rank(firms)
        return code

    def _rank(self, firms: pd.DataFrame) -> None:
        """`name_rank`: each firm code's name as its rank among the names, so sorting by it sorts by name."""
        rank, _ = pd.factorize(firms["name"].to_numpy(dtype=object)[self.firm_rows], sort=True)
        self.name_rank = np.where(rank < 0, len(rank), rank)  # a missing name sorts last, as NaN does

    def by_product(self, values: pd.Series) -> pd.Series:
        """A Series indexed by product id, re-indexed by product code."""
        return pd.Series(values.reindex(self.products).to_numpy(), index=np.arange(len(self.products)))

    def product_codes(self, ids: list[str]) -> np.ndarray:
        return pd.Series(np.arange(len(self.products)), index=self.products)[ids].to_numpy()

    def decode(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Ranked candidates with product and firm ids again."""
        return frame.assign(product_id=self.products[frame["gap_code"].to_numpy()],
                            enterprise_id=self.firm_ids[frame["firm_code"].to_numpy()])

    def makes(self, chosen: pd.DataFrame) -> tuple[dict[tuple[str, str, str], list[str]], dict[tuple[str, str], Any]]:
        """What each listed candidate makes, {(gap, firm, rel): sorted product ids}, and its locality."""
        p, f = self.products, self.firm_ids
        made: dict[tuple[str, str, str], list[str]] = {}
        columns = [chosen[c].tolist() for c in ("gap_code", "firm_code", "rel_code", "product_code")]
        for g, e, r, q in sorted(zip(*columns)):
            made.setdefault((p[g], f[e], RELS[r]), []).append(p[q])
        locality: dict[tuple[str, str], Any] = {}
        for g, e, where in zip(chosen["gap_code"].tolist(), chosen["firm_code"].tolist(), chosen["locality"].tolist()):
            locality.setdefault((p[g], f[e]), where)
        return made, locality
