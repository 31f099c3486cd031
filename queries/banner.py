"""The data banner (数据说明横幅): what the data is, how much of it is confirmed, what that means.

Shown on every page and on the first sheet of every workbook, so a planner never mistakes the
built-in demonstration data for the bureau's own lists.

Example:
    >>> from loaders import load
    >>> tables, _ = load(None)
    >>> b = data_banner(tables, demo=True)
    >>> b.local_firms, b.confirmed_rows                       # doctest: +SKIP
    (32, 4)
    >>> print(b.zh)                                            # doctest: +SKIP
    演示数据：……
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from queries.vocabulary import OPERATING, VERIFIED

HOME = "wuhai"


@dataclass(frozen=True)
class Banner:
    """Counts behind the banner and its two texts (Chinese first, English beside it)."""

    demo: bool
    local_firms: int        # firms located in the home region (its districts and parks included)
    local_plants: int       # their PRODUCES rows (在产, 在建, 规划)
    local_operating: int    # of which 在产
    confirmed_rows: int     # firm and plant rows marked 已核实, whole dataset
    rows: int               # firm and plant rows, whole dataset
    local_confirmed: int    # local firm and plant rows marked 已核实
    zh: str
    en: str

    def lines(self) -> list[str]:
        """The banner as two lines: Chinese, then English."""
        return [self.zh, self.en]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def data_banner(tables: dict[str, pd.DataFrame], demo: bool | None = None, home: str = HOME) -> Banner:
    """The banner for these tables: `demo` is True for the built-in data; None asks the tables
    (`loaders.load` marks the built-in ones, `attrs["builtin"]`).

    Counts are plain row counts: a firm is local when its region is `home` or lies under it in the
    regions table; a row is confirmed only when its 核实状态 is 已核实 (tables without that column,
    as older templates, count as unconfirmed).
    """
    firms, plants = tables["enterprises"], tables["produces"]
    demo = bool(firms.attrs.get("builtin")) if demo is None else demo
    local_firm = firms["region_id"].isin(_under(tables["regions"], home)).to_numpy()
    local_ids = set(firms.loc[local_firm, "enterprise_id"])
    local_plant = plants["enterprise_id"].isin(local_ids).to_numpy()
    firm_ok, plant_ok = _confirmed(firms), _confirmed(plants)
    counts = dict(
        local_firms=len(local_ids), local_plants=int(local_plant.sum()),
        local_operating=int((plants.loc[local_plant, "status"] == OPERATING).sum()),
        confirmed_rows=int(firm_ok.sum() + plant_ok.sum()), rows=len(firms) + len(plants),
        local_confirmed=int(firm_ok[local_firm].sum() + plant_ok[local_plant].sum()))
    return Banner(demo=demo, **counts, zh=_zh(demo, **counts), en=_en(demo, **counts))


def _zh(demo: bool, local_firms: int, local_plants: int, local_operating: int, confirmed_rows: int,
        rows: int, local_confirmed: int) -> str:
    what = ("演示数据：内置的乌海数据由公开资料（年报、交易所公告、新闻报道）整理而成，不是招商局的正式名单。"
            if demo else "本数据为载入的名单。")
    counts = (f"本地企业 {local_firms} 家、生产记录 {local_plants} 条（在产 {local_operating} 条）；"
              f"企业与生产记录共 {rows} 行，已核实 {confirmed_rows} 行（本地 {local_confirmed} 行），其余为待核实。")
    meaning = ("待核实的记录照常计入，因此断链、弱链和链条完整度只反映这些记录：未被公开报道的本地企业不在其中，"
               "报道过时的装置可能已停产或尚未投产，完整度可能偏高也可能偏低。")
    how = ("载入贵局名单：运行 chainkg template 模板文件夹 得到带中文表头的空白模板（企业、企业-产品、工艺路线、招商项目等），"
           "填好后以 --data 模板文件夹 载入；核实过的行在“核实状态”填“已核实”并写“核实日期”。"
           "待核实事项见 chainkg checklist --out 核实清单.xlsx。")
    return what + counts + meaning + how


def _en(demo: bool, local_firms: int, local_plants: int, local_operating: int, confirmed_rows: int,
        rows: int, local_confirmed: int) -> str:
    what = ("Demonstration data: the built-in Wuhai data was compiled from public sources (annual reports, "
            "exchange filings, news), not the bureau's official lists. " if demo else "Data as loaded. ")
    counts = (f"{local_firms} local firms with {local_plants} plant rows ({local_operating} operating); "
              f"{confirmed_rows} of {rows} firm and plant rows are confirmed ({local_confirmed} local), "
              "the rest are unconfirmed (待核实). ")
    meaning = ("Unconfirmed rows still count, so gaps, weak links and completeness reflect these rows only: local "
               "firms no public report names are missing, and plants reported years ago may have closed or not "
               "started, so completeness may be too high or too low. ")
    how = ("To load the bureau's own lists: `chainkg template DIR` writes empty templates with Chinese headers "
           "(firms, plants, routes, projects, ...); fill them and pass `--data DIR`; mark checked rows 已核实 "
           "with the date. Open items: `chainkg checklist --out 核实清单.xlsx`.")
    return what + counts + meaning + how


def _under(regions: pd.DataFrame, home: str) -> set[str]:
    """`home` and every region whose parent chain reaches it."""
    parent = dict(zip(regions["region_id"], regions["parent_id"].fillna("")))
    found = {home}
    for region in parent:
        seen, r = set(), region
        while r and r not in found and r not in seen:
            seen.add(r)
            r = parent.get(r, "")
        if r in found:
            found |= seen
    return found


def _confirmed(frame: pd.DataFrame) -> np.ndarray:
    """Whether each row is 已核实 (a missing value is not)."""
    if "verified" not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame["verified"].to_numpy(dtype=object) == VERIFIED
