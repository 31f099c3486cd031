"""Who can be a candidate and what its score is made of: the targeting rules, defined once.

The table source and the Cypher text both build their pool and their score from these names;
`queries.cypher.candidates` has one Cypher expression per part and fails on a part it lacks, so a
part added here cannot silently be missing on Neo4j. Weights come from `settings.toml`
([leader_score], [support_score]).

- pool: a firm not in the home region that is 龙头, or 专精特新, or in the neighbouring area;
- leader (龙头) for a gap: a 龙头 firm making the gap product or a direct output of it;
- supporting (配套): a non-leader 专精特新 firm, or a firm in the neighbouring area, making the
  gap product, a direct output, an input (原料) or an auxiliary (辅料) of it — unless it is the
  gap's leader.

>>> in_pool(np.array([True, False, False]), np.array(["", "省级专精特新", ""], dtype=object),
...         np.array(["elsewhere", "elsewhere", "elsewhere"], dtype=object)).tolist()
[True, True, False]
"""
from __future__ import annotations

from typing import Any

import numpy as np

from queries.vocabulary import LOCAL, NEIGHBOUR

# Relation of a related product to the gap product, by code (index in RELS).
SELF, DOWNSTREAM, INPUT, AUXILIARY = "self", "downstream", "input", "auxiliary"
RELS = (SELF, DOWNSTREAM, INPUT, AUXILIARY)
LEADER_RELS = (SELF, DOWNSTREAM)  # what a 龙头 must make to lead for a gap

# Firm-level parts, then the gap-level parts of a leader's score (the same for every firm of a
# gap, so they cannot change who is in a gap's top N: Cypher's pre-filter leaves them out).
LEADER_PARTS = ("makes_gap_product", "makes_downstream", "listed", "capacity_top")
LEADER_GAP_PARTS = ("local_feedstock",)  # a fact of the product, so the same in every chain
SUPPORT_PARTS = ("makes_gap_product", "makes_downstream", "makes_input", "makes_auxiliary", "national_srdi",
                 "provincial_srdi", "neighbour")
MAX_FEEDSTOCK = 3  # local_feedstock counts at most this many local inputs
COMPETITOR_PENALTY = "competitor_penalty"  # the one part subtracted: [targets] competitor_penalty


def competitor(rel_code: np.ndarray, product_local: np.ndarray) -> np.ndarray:
    """The competitor rule over candidate rows: a firm competes with the home region for a gap when
    it makes a direct output (downstream) of the gap product that the home region already makes.
    Courting it for the gap brings a rival of the local plants more than a customer, so
    `competitor_penalty` (non-negative, from settings.toml) is subtracted from its score; a firm
    making a locally made product in any other relation only carries the mark 竞争者
    (`Target.competes_with`).

    Worked example: the gap is maleic anhydride (顺酐), whose output BDO Wuhai already makes; a BDO
    maker elsewhere with makes_downstream 20 + listed 10 scores 30 - 20 = 10 with the default
    penalty, 30 with competitor_penalty = 0 (still marked 竞争者: BDO).

    >>> competitor(np.array([RELS.index(DOWNSTREAM), RELS.index(SELF)]), np.array([True, True])).tolist()
    [True, False]
    """
    return (rel_code == RELS.index(DOWNSTREAM)) & product_local


def gap_priority(focus: bool, settings: dict[str, Any]) -> float:
    """How pressing a gap is in its chain, from the chain-level facts (kept out of every firm's
    score, so a firm scores the same for a product in every chain): [gap_priority] focus_product
    when the product is a focus product of the chain, else 0. Gaps are ordered by it.

    >>> gap_priority(True, {"gap_priority": {"focus_product": 15}}), gap_priority(False, {"gap_priority": {}})
    (15.0, 0.0)
    """
    return float(settings.get("gap_priority", {}).get("focus_product", 0)) if focus else 0.0


def in_pool(leader: np.ndarray, srdi_level: np.ndarray, locality: np.ndarray) -> np.ndarray:
    """The targeting pool's mask over producer rows (see the module doc)."""
    return (locality != LOCAL) & (leader | (srdi_level != "") | (locality == NEIGHBOUR))


def supports(leader: np.ndarray, srdi_level: np.ndarray, locality: np.ndarray) -> np.ndarray:
    """Rows whose firm may support a gap (when it does not lead it)."""
    return (~leader & (srdi_level != "")) | (locality == NEIGHBOUR)
