"""A what-if from a real signed project in the built-in data moves completeness as its reasons say."""
from __future__ import annotations

import pytest

from graph import ChainGraph
from loaders import load
from queries.coverage import coverage
from queries.whatif import project_additions, what_if


@pytest.fixture(scope="module")
def wuhai() -> ChainGraph:
    return ChainGraph(load()[0])


def test_qingtao_solid_state_battery_project(wuhai: ChainGraph) -> None:
    """P011 清陶（乌海）固态电池及材料项目 (signed): cells made in Wuhai.

    Cells go from 'project' (credit 0.5) to a single local producer (弱链, credit 1). Battery packs
    and storage systems, assembled from cells, turn from 断链 into 延链: local feedstock now exists.
    """
    project = wuhai.tables["projects"].set_index("project_id").loc["P011"]
    assert project["status"] == "签约" and "lithium_ion_cell" in project["product_ids"].split("|")
    cov = coverage(wuhai).set_index(["chain_id", "product_id"])
    assert cov.loc[("battery", "lithium_ion_cell"), "status"] == "project"

    result = what_if(wuhai, project_additions(wuhai, "P011"))

    opened = {(g.chain_id, g.product_id): g for g in result.opened}
    assert opened[("battery", "lithium_ion_cell")].kind == "weak"
    changed = {(c.gap.chain_id, c.gap.product_id): c for c in result.changed}
    pack = changed[("battery", "power_battery_pack")]
    assert (pack.kind_before, pack.kind_after) == ("missing", "extend")
    storage = changed[("energy", "energy_storage_system")]
    assert (storage.kind_before, storage.kind_after) == ("missing", "extend")
    feed = next(r for r in pack.gap.reasons if r["code"] == "local_feedstock")
    assert "lithium_ion_cell" in feed["inputs"]

    # completeness moves by exactly the cell link's credit gain, weighted: (1 - 0.5) * w / sum(w)
    links = wuhai.tables["chain_products"]
    battery = links[links["chain_id"] == "battery"]
    weights = battery["focus"].map({True: 2.0, False: 1.0})
    w_cell = float(weights[battery["product_id"] == "lithium_ion_cell"].iloc[0])
    expected = 0.5 * w_cell / weights.sum()
    assert result.completeness["battery"].delta == pytest.approx(expected, abs=1e-4)
    assert result.completeness["silicon"].delta == 0
