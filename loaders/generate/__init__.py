"""A deterministic, seeded generator of synthetic datasets of any size, for scale tests and benchmarks.

`generate(folder, firms=N, products=M, chains=K, seed=S)` writes the nine tables of
`loaders.tables` as `<table>.csv` (UTF-8); routes is empty (every input is in its output's
default route). The same arguments always give byte-identical files.
Every name is obviously synthetic (合成企业000123, 合成产品00012): this is not demo data.

Shape of what is written:

- regions: the home city `wuhai` with synthetic districts and parks, neighbour towns 20-140 km away,
  a few farther cities (180-400 km) that do not count as neighbours;
- K chains, M products spread over them in six layers (upstream to downstream), about 10 % of
  products in a second chain; FEEDS input -> output only from earlier layers (a DAG), each product
  1-4 raw-material inputs drawn by popularity (a few hubs feed many products), and about a third of
  products one auxiliary input (kind 辅料) from the catalyst/solvent products; with `flows` < 1 only
  that share of products takes part in FEEDS;
- firms: exactly 1 % 龙头 and 3 % 专精特新 (30 % of those national, the rest provincial), `local`
  firms in Wuhai, `neighbours` firms in the neighbour towns, a few in the farther cities, the rest
  elsewhere in China with province and city only; about 3 PRODUCES rows per firm (leaders more),
  capacity empty for 30 %, status mostly 在产; `projects` signed projects in Wuhai.

Modules: `spec` (the `Spec` and the shared constants), `chains` (regions, chains, products, chain
products, feeds) and `firms` (enterprises, produces, projects); this module writes the files.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loaders.generate.chains import chain_tables
from loaders.generate.firms import firm_tables, weighted_pick
from loaders.generate.spec import HOME, SOURCE, Spec, default_products
from loaders.tables import TABLES, TABLES_BY_NAME


def write_table(folder: Path, name: str, frame: pd.DataFrame) -> int:
    """Write one table with exactly the spec's columns, in order; return its row count."""
    columns = [c.id for c in TABLES_BY_NAME[name].columns]
    for c in columns:
        if c not in frame.columns:
            frame[c] = ""
    frame[columns].to_csv(folder / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n",
                          float_format="%.1f")
    return len(frame)


def generate(folder: str | Path, firms: int = 10_000, products: int | None = None, chains: int = 8,
             seed: int = 0, local: int = 300, neighbours: int = 600, projects: int = 40,
             flows: float = 1.0) -> dict[str, int]:
    """Write a synthetic dataset into `folder`; return the rows written per table.

    `local` and `neighbours` are capped at a fifth of the firms each; `products` defaults to
    `default_products(firms)` and must be at least 5 per chain. `flows` below 1 keeps only that
    share of products in FEEDS (the rest have no input or output), the shape of a national
    knowledge graph: e.g. `chains=31, products=44_000, flows=0.1`.
    """
    products = products or default_products(firms)
    if firms < 10 or chains < 1 or products < 5 * chains:
        raise ValueError("need at least 10 firms, 1 chain and 5 products per chain")
    if not 0 < flows <= 1:
        raise ValueError("flows is a share of products, above 0 and at most 1")
    spec = Spec(firms, products, chains, seed, min(local, firms // 5), min(neighbours, firms // 5), projects, flows)
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables, catalogue = chain_tables(spec, rng)
    tables.update(firm_tables(spec, rng, catalogue))
    tables["routes"] = pd.DataFrame(columns=[c.id for c in TABLES_BY_NAME["routes"].columns])  # default routes only
    return {t.name: write_table(folder, t.name, tables[t.name]) for t in TABLES}


__all__ = ["HOME", "SOURCE", "Spec", "default_products", "generate", "weighted_pick"]
