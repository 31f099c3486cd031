"""What-if: if these firms made these products here, which gaps close and which open?

>>> from loaders import load; from graph import ChainGraph
>>> cg = ChainGraph(load()[0])
>>> project_additions(cg, "P011")[0].product
'lithium_ion_cell'
"""
from __future__ import annotations

import math
import re
import unicodedata
import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from graph import ChainGraph
from queries.coverage import coverage
from queries.errors import InputError
from queries.gaps import completeness, find_gaps
from queries.locality import local_regions
from queries.names import PRODUCT, PROJECT, firm_names, match_key, names_in, resolve
from queries.results import ChainScore, Gap, KindChange, Plant, ScoreChange, WhatIf
from queries.settings import load_settings
from queries.source import Source, as_source
from queries.vocabulary import LIST_SEPARATOR, OPERATING

HYPOTHETICAL = "假设 / hypothetical"
NEW_FIRM_ID = "hypothetical-{n}@{home}"  # never an id of the data: ids there carry no '@'
LIST_SPLIT = re.compile(r"[,，、]")


def capacity_value(value: Any, option: str = "--add") -> float | None:
    """A plant's capacity as a number (None when not given): full-width digits and thousands
    separators are read; text that is no number, NaN, infinity and negative numbers are refused.

    >>> capacity_value("１２,５00"), capacity_value(""), capacity_value(3)
    (12500.0, None, 3.0)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        number = math.nan
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
        try:
            number = float(text)
        except ValueError:
            number = math.nan
    if not math.isfinite(number):
        raise InputError(f"产能“{value}”不是有限的数字", f"capacity '{value}' is not a finite number",
                         code="bad-capacity", option=option, hint_zh="产能写数字，未知则不写", hint_en="write a number, or leave it out")
    if number < 0:
        raise InputError(f"产能“{value}”是负数", f"capacity '{value}' is negative", code="negative-capacity", option=option)
    return number


@dataclass(frozen=True)
class NewFirm:
    """A hypothetical investor that is not in the data (名称, and where it comes from): its plant
    shows as 假设 / hypothetical and is never written anywhere.

    >>> NewFirm("某某新材料", "浙江省", "杭州市").name
    '某某新材料'
    """
    name: str
    province: str = ""
    city: str = ""

    def __post_init__(self) -> None:
        for attr in ("name", "province", "city"):
            object.__setattr__(self, attr, str(getattr(self, attr) or "").strip())
        if not match_key(self.name):
            raise InputError("新投资方名称为空", "the new investor's name is empty", code="bad-new-firm",
                             option="--new-firm")


@dataclass(frozen=True)
class Addition:
    """A hypothetical plant: `firm` (id, name or short name, or a `NewFirm`) makes `product` (id,
    name or alias) in the home region. A capacity that is not a finite number >= 0 is refused.

    >>> Addition("E1", "bdo", "5").capacity
    5.0
    """
    firm: str | NewFirm
    product: str
    capacity: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "capacity", capacity_value(self.capacity))


def parse_addition(text: str) -> Addition:
    """FIRM:PRODUCT[:CAPACITY] as typed (half- or full-width colons), e.g. 'L001:pbat:10'.

    >>> parse_addition("某公司：BDO：１０")
    Addition(firm='某公司', product='BDO', capacity=10.0)
    """
    text = text.replace("：", ":")
    parts = text.rsplit(":", 2) if text.count(":") >= 2 else text.split(":")
    if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
        raise InputError(f"“{text}”应写作 企业:产品[:产能]", f"'{text}' should be FIRM:PRODUCT[:CAPACITY]",
                         code="bad-addition", option="--add", hint_zh="例如 --add 乙化学有限公司:BDO:5",
                         hint_en="for example --add E2:bdo:5")
    return Addition(parts[0].strip(), parts[1].strip(), parts[2] if len(parts) == 3 else None)


def parse_new_firm(text: str) -> NewFirm:
    """NAME[,PROVINCE[,CITY]] (half- or full-width commas), e.g. '某某新材料,浙江省,杭州市'.

    >>> parse_new_firm("某某新材料，浙江省，杭州市")
    NewFirm(name='某某新材料', province='浙江省', city='杭州市')
    """
    parts = LIST_SPLIT.split(text)
    if len(parts) > 3:
        raise InputError(f"“{text}”应写作 名称,省,市", f"'{text}' should be NAME,PROVINCE,CITY", code="bad-new-firm",
                         option="--new-firm", hint_zh="名称中不要有逗号", hint_en="no comma inside the name")
    return NewFirm(*parts)


def with_new_firms(additions: list[Addition], new_firms: list[NewFirm]) -> list[Addition]:
    """The additions with each firm spelt like a declared new investor replaced by it; a new
    investor declared twice, or that no addition names, is refused (a name mistyped in one place).

    >>> with_new_firms([Addition("某某 新材料", "bdo")], [NewFirm("某某新材料")])[0].firm
    NewFirm(name='某某新材料', province='', city='')
    """
    declared: dict[str, NewFirm] = {}
    for firm in new_firms:
        key = match_key(firm.name)
        if key in declared:
            raise InputError(f"新投资方“{firm.name}”重复", f"new investor '{firm.name}' given twice",
                             code="duplicate-new-firm", option="--new-firm")
        declared[key] = firm
    bound = [Addition(declared.get(match_key(a.firm), a.firm), a.product, a.capacity) if isinstance(a.firm, str) else a
             for a in additions]
    used = {match_key(a.firm.name) for a in bound if isinstance(a.firm, NewFirm)}
    for key, firm in declared.items():
        if key not in used:
            raise InputError(f"新投资方“{firm.name}”没有被任何 --add 使用", f"no --add names the new investor '{firm.name}'",
                             code="new-firm-unused", option="--new-firm", hint_zh=f"写 --add {firm.name}:产品",
                             hint_en=f"write --add {firm.name}:PRODUCT")
    return bound


def _row(columns: pd.Index, dtypes: pd.Series, **values: Any) -> dict[str, Any]:
    """An enterprises row: empty cells of each column's kind, then `values`."""
    empty = {c: False if pd.api.types.is_bool_dtype(dtypes[c]) else "" for c in columns}
    return {**empty, **values}


def with_plants(source: ChainGraph | Source, additions: list[Addition], settings: dict[str, Any] | None = None) -> Source:
    """The source with each addition as a plant in operation in the home region (`plants`)."""
    return plants(source, additions, settings)[0]


def plants(source: ChainGraph | Source, additions: list[Addition],
           settings: dict[str, Any] | None = None) -> tuple[Source, list[Plant]]:
    """The source with each addition as a plant in operation in the home region, and the plants.

    A local firm gets the PRODUCES row itself; a firm from elsewhere gets a plant: a new
    enterprise '<id>@<home>' located in the home region, with the firm's tags; a new investor
    (`NewFirm`) a new enterprise 'hypothetical-N@<home>' named as hypothetical. Unknown names are
    `UnknownName` errors with the closest spellings.
    """
    s = settings or load_settings()
    src = as_source(source)
    home = s["home_region"]
    t = src.small.tables
    local = local_regions(src.small, home)
    home_name = t["regions"].set_index("region_id")["name_zh"].get(home, home)
    products = names_in(src.small, PRODUCT)
    columns, dtypes = t["enterprises"].columns, t["enterprises"].dtypes
    new_firms: dict[str, dict[str, Any]] = {}
    new_rows, assumed = [], []
    names = t["products"].set_index("product_id")["name_zh"]
    for a in additions:
        if isinstance(a.firm, NewFirm):
            known = firm_names(src.firms_named(a.firm.name)).find(a.firm.name)
            if known:
                raise InputError(f"新投资方“{a.firm.name}”已在企业表中（{known[0]}）",
                                 f"new investor '{a.firm.name}' is already in the data ({known[0]})",
                                 code="new-firm-exists", option="--new-firm",
                                 hint_zh=f"直接写 --add {known[0]}:产品", hint_en=f"write --add {known[0]}:PRODUCT")
            key = match_key(a.firm.name)
            if key not in new_firms:
                new_firms[key] = _row(columns, dtypes, enterprise_id=NEW_FIRM_ID.format(n=len(new_firms) + 1, home=home),
                                      name=f"{a.firm.name}（假设新投资方，{home_name}新建）", province=a.firm.province,
                                      city=a.firm.city, region_id=home, source=HYPOTHETICAL, note=HYPOTHETICAL)
            eid, name = new_firms[key]["enterprise_id"], new_firms[key]["name"]
        else:
            named = src.firms_named(a.firm)
            eid = firm_names(named).resolve(a.firm)
            firm = named[named["enterprise_id"] == eid].iloc[0].to_dict()
            if firm["region_id"] not in local:
                firm.update(enterprise_id=f"{eid}@{home}", name=f"{firm['name']}（{home_name}新建）", region_id=home,
                            note=HYPOTHETICAL)
                new_firms.setdefault(firm["enterprise_id"], firm)
                eid = firm["enterprise_id"]
            name = firm["name"]
        pid = products.resolve(a.product)
        new_rows.append({"enterprise_id": eid, "product_id": pid, "capacity": a.capacity,
                         "unit": "", "status": OPERATING, "source": HYPOTHETICAL})
        assumed.append(Plant(eid, name, pid, str(names[pid]), a.capacity, isinstance(a.firm, NewFirm)))
    firms = pd.DataFrame(list(new_firms.values()), columns=columns)
    return src.with_plants(firms, pd.DataFrame(new_rows, columns=t["produces"].columns)), assumed


def compare(gaps_before: list[Gap], gaps_after: list[Gap], comp_before: dict[str, ChainScore],
            comp_after: dict[str, ChainScore]) -> WhatIf:
    """The what-if result from the gaps and completeness before and after: gaps closed, gaps whose
    kind changed (e.g. 断链 -> 弱链 when a single new plant fills a link), gaps opened (typically
    延链 made possible by the new local feedstock) and each chain's completeness change."""
    before = {(g.chain_id, g.product_id): g for g in gaps_before}
    after = {(g.chain_id, g.product_id): g for g in gaps_after}
    return WhatIf(
        closed=[g for k, g in before.items() if k not in after],
        changed=[KindChange(after[k], g.kind, after[k].kind) for k, g in before.items()
                 if k in after and after[k].kind != g.kind],
        opened=[g for k, g in after.items() if k not in before],
        completeness={c: ScoreChange(c, b.chain_name, b.score, comp_after[c].score,
                                     round(comp_after[c].score - b.score, 4)) for c, b in comp_before.items()})


def what_if(source: ChainGraph | Source, additions: list[Addition], settings: dict[str, Any] | None = None) -> WhatIf:
    """Compare gaps and completeness before and after the hypothetical plants (see `compare`)."""
    s = settings or load_settings()
    src = as_source(source)
    after, assumed = plants(src, additions, s)
    cov_before, cov_after = coverage(src, s), coverage(after, s)
    result = compare(find_gaps(src, settings=s, cov=cov_before), find_gaps(after, settings=s, cov=cov_after),
                     completeness(src, s, cov_before), completeness(after, s, cov_after))
    return dataclasses.replace(result, plants=assumed)


def project_additions(source: ChainGraph | Source, project: str) -> list[Addition]:
    """The plants a signed project (id or name) would put in operation: its investor making its products."""
    small = as_source(source).small
    project_id = resolve(small, PROJECT, project)
    p = small.tables["projects"].set_index("project_id").loc[project_id]
    return [Addition(p["enterprise_id"], pid) for pid in p["product_ids"].split(LIST_SEPARATOR) if pid]
