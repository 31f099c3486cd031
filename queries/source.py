"""Where the analysis reads its data: the small interface a backend implements.

Like a networkx backend, a source supplies only what differs between stores: the firm-scale
aggregations (producers per product, candidate rows for targeting) and the firm rows a result
names. Everything else (link judgement, gaps, completeness, ranking, texts) is written once in
`queries/` and runs on `small`, a ChainGraph holding every row of the small tables (regions,
chains, products, chain_products, feeds, projects: thousands of rows whatever the number of firms).

`TableSource` reads the validated tables in memory (pandas); `queries.cypher.Neo4jSource` asks a
Neo4j database. A ChainGraph passed where a source is expected is wrapped in a TableSource.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from graph import ChainGraph
from queries.codes import Codes
from queries.names import look_alike, match_key, match_keys
from queries.producers import (FIRM_ROW, LOCALITIES, PRODUCT_ROW, RUNNING, WHERE, firm_where, lists,
                               product_producers, producer_table, values)
from queries.scoring import in_pool
from queries.vocabulary import LOCAL

FIRM_TAGS = ["leader", "srdi_level", "listed_code"]  # candidate rows carry these of their firm
NAME_COLUMNS = ("enterprise_id", "name", "short_name")


@dataclass(frozen=True)
class Candidates:
    """Candidate rows for targeting, coded (`Codes`: gap_code, product_code, rel_code, firm_code and
    the other POOL_COLUMNS), the largest known capacity of each gap product (by product id), and enterprises
    rows holding at least every candidate firm; the products the home region makes, and which of
    them each candidate firm makes too (the mark 竞争者)."""
    code: Codes
    max_capacity: pd.Series
    firms: pd.DataFrame
    local_products: frozenset[str] = frozenset()  # products local firms make in operation
    competes: dict[str, list[str]] = field(default_factory=dict)  # candidate firm -> local_products it makes


class Source(Protocol):
    small: ChainGraph

    def product_producers(self, settings: dict[str, Any]) -> pd.DataFrame:
        """Per product id: the columns of `queries.producers.PRODUCER_COLUMNS`."""

    def candidates(self, related: pd.DataFrame, settings: dict[str, Any]) -> Candidates:
        """Candidates around the gap products of `related` (rows gap, product_id, rel)."""

    def firm_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Enterprise id -> name, for the firms a result names."""

    def firms_named(self, text: str) -> pd.DataFrame:
        """Enterprises rows (table order) whose id, name or short name may be `text`: at least
        every row whose `queries.names.match_key` of one of them is that of `text`; when no row
        is, some rows spelt like it (containing it, or close), for suggestions."""

    def with_plants(self, firms: pd.DataFrame, produces: pd.DataFrame) -> Source:
        """The same data plus hypothetical enterprises rows and PRODUCES rows (a produces row
        replaces the one with the same firm and product)."""


class TableSource:
    """The validated tables in memory: firm-scale work in pandas and numpy (`queries.producers`)."""

    def __init__(self, cg: ChainGraph):
        self.small = cg

    def product_producers(self, settings: dict[str, Any]) -> pd.DataFrame:
        return product_producers(self.small, settings)

    def candidates(self, related: pd.DataFrame, settings: dict[str, Any]) -> Candidates:
        prod = producer_table(self.small, settings)
        products = self.small.tables["products"]["product_id"].to_numpy(dtype=object)
        top = prod["capacity"].groupby(prod[PRODUCT_ROW].to_numpy()).max()
        max_capacity = pd.Series(top.to_numpy(), index=products[top.index.to_numpy()])
        firms = self.small.tables["enterprises"]
        where = np.array(LOCALITIES, dtype=object)[firm_where(self.small, settings["home_region"],
                                                              float(settings["neighbour_radius_km"]))]
        eligible = in_pool(firms["leader"].to_numpy(dtype=bool), values(firms["srdi_level"]), where)  # per firm
        wanted = self.small.ids["products"].get_indexer(pd.unique(pd.concat([related["gap"], related["product_id"]])))
        firm_row, product_row = prod[FIRM_ROW].to_numpy(), prod[PRODUCT_ROW].to_numpy()
        in_pool_row = eligible[firm_row]
        keep = in_pool_row & np.isin(product_row, wanted)
        pool = prod.loc[keep, ["enterprise_id", "product_id", "capacity", "locality", FIRM_ROW]]
        for col in FIRM_TAGS:  # from the firm's row, for the pool's rows only
            pool[col] = firms[col].array.take(firm_row[keep])  # ExtensionArray.take: numpy and pyarrow alike
        local = prod[RUNNING].to_numpy() & (prod[WHERE].to_numpy() == LOCALITIES.index(LOCAL))
        made_here = frozenset(prod.loc[local, "product_id"])
        rivals = prod.loc[in_pool_row & np.isin(product_row, np.unique(product_row[local])),
                          ["enterprise_id", "product_id"]]
        competes = lists(rivals, "enterprise_id", "product_id").to_dict()
        return Candidates(Codes(related, pool, firms), max_capacity, firms, made_here, competes)

    def firm_names(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(ids))
        rows = self.small.ids["enterprises"].get_indexer(wanted)
        return dict(zip(wanted, self.small.tables["enterprises"]["name"].to_numpy(dtype=object)[rows]))

    def firms_named(self, text: str) -> pd.DataFrame:
        firms = self.small.tables["enterprises"]
        if "firm_keys" not in self.small.derived:
            self.small.derived["firm_keys"] = [match_keys(firms[c].fillna("").astype(str)).to_numpy(dtype=object)
                                               for c in NAME_COLUMNS]
        keys, key = self.small.derived["firm_keys"], match_key(text)
        match = np.zeros(len(firms), dtype=bool)
        for k in keys:
            match |= k == key
        return firms[match if match.any() or not key else look_alike(keys, key)]

    def with_plants(self, firms: pd.DataFrame, produces: pd.DataFrame) -> TableSource:
        t = dict(self.small.tables)
        t["enterprises"] = pd.concat([t["enterprises"], firms.reindex(columns=t["enterprises"].columns)],
                                     ignore_index=True).drop_duplicates("enterprise_id")
        replaced = pd.MultiIndex.from_frame(produces[["enterprise_id", "product_id"]])
        old = t["produces"]
        kept = old[~pd.MultiIndex.from_frame(old[["enterprise_id", "product_id"]]).isin(replaced)]
        t["produces"] = pd.concat([kept, produces.reindex(columns=old.columns)], ignore_index=True)
        return TableSource(ChainGraph(t))


def as_source(source: ChainGraph | Source) -> Source:
    """`source` itself, or a TableSource over a ChainGraph."""
    return TableSource(source) if isinstance(source, ChainGraph) else source
