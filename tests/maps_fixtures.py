"""Data for the map tests: the tiny tables plus firms placed around China, and a hand-made target list
(with the result key names) whose counts per province, city and trip are worked out by hand.

    北京 (11): E3 (leader bdo, leader pvc), M6 <script> (supporting bdo)     2 firms, 3 targets
    天津 (12): E5 (leader pvc)                                               1 firm,  1 target
    江苏 (32): M1 苏州 (supp bdo), M2 南京 (leader pvc), M3 昆山市→苏州 (supp pvc)  3 firms, 3 targets
    内蒙古 (15): M4 鄂尔多斯, in region qipanjing ≈37 km from Wuhai (supp bdo)   1 firm,  1 target
    unresolved: M5 <img> in 火星省 (leader bdo)
    local: M7 <img> in 海南区 (a local firm, for the local map)
"""
from __future__ import annotations

import copy

from conftest import TINY

XSS_TARGET = "<img src=x onerror=window.__xss=1>"
XSS_BEIJING = "<script>window.__xss=2</script>乙"
XSS_LOCAL = "<img src=x onerror=window.__xss=3>"

TRIPS = {"京津冀": ["北京", "天津市", "河北省"], "长三角": ["上海", "江苏", "浙江", "安徽"], "苏州": ["苏州市"],
         "未知": ["火星"]}


def map_tables() -> dict[str, list[dict[str, str]]]:
    tables = copy.deepcopy(TINY)
    tables["regions"].append({"region_id": "qipanjing", "name_zh": "棋盘井镇", "kind": "town", "parent_id": "",
                              "lat": "39.345", "lon": "107.000"})
    tables["enterprises"] += [
        {"enterprise_id": "M1", "name": "苏州甲公司", "province": "江苏", "city": "苏州", "leader": "否", "source": "test"},
        {"enterprise_id": "M2", "name": "南京乙公司", "province": "江苏省", "city": "南京市", "leader": "是", "source": "test"},
        {"enterprise_id": "M3", "name": "昆山丙公司", "province": "江苏省", "city": "昆山市", "leader": "否", "source": "test"},
        {"enterprise_id": "M4", "name": "鄂尔多斯丁公司", "province": "内蒙古", "city": "鄂尔多斯", "region_id": "qipanjing",
         "leader": "否", "source": "test"},
        {"enterprise_id": "M5", "name": XSS_TARGET, "province": "火星省", "leader": "是", "source": "test"},
        {"enterprise_id": "M6", "name": XSS_BEIJING, "province": "北京市", "city": "北京市", "leader": "否", "source": "test"},
        {"enterprise_id": "M7", "name": XSS_LOCAL, "region_id": "wuhai_hainan", "leader": "否", "source": "test"},
    ]
    tables["produces"].append({"enterprise_id": "M7", "product_id": "carbide", "capacity": "", "status": "在产"})
    return tables


def _t(eid: str, name: str, province: str, city: str, chain: str, product: str, role: str, score: float,
       rank: int) -> dict:
    chains = {"c1": "可降解材料", "c2": "精细化工"}
    products = {"bdo": "1,4-丁二醇", "pvc": "聚氯乙烯"}
    return {"chain_id": chain, "chain_name": chains[chain], "product_id": product, "product_name": products[product],
            "kind": "missing", "kind_zh": "断链", "focus": product == "bdo", "role": role,
            "role_zh": {"leader": "龙头", "supporting": "配套"}[role], "rank": rank, "enterprise_id": eid, "name": name,
            "short_name": "", "province": province, "city": city, "locality": "elsewhere", "srdi_level": "",
            "listed_code": "", "score": score, "components": {}, "makes": {},
            "reason_zh": f"{name}：生产{products[product]}相关产品"}


def map_targets() -> list[dict]:
    """The target list as the queries would give it (new key names); the province and city of each
    come from the enterprises table, as the real target query copies them."""
    return [
        _t("E3", "丙集团股份有限公司", "北京市", "", "c1", "bdo", "leader", 90, 1),
        _t("E3", "丙集团股份有限公司", "北京市", "", "c2", "pvc", "leader", 70, 1),
        _t("M1", "苏州甲公司", "江苏", "苏州", "c1", "bdo", "supporting", 40, 2),
        _t("M2", "南京乙公司", "江苏省", "南京市", "c2", "pvc", "leader", 60, 3),
        _t("M3", "昆山丙公司", "江苏省", "昆山市", "c2", "pvc", "supporting", 30, 1),
        _t("M4", "鄂尔多斯丁公司", "内蒙古", "鄂尔多斯", "c1", "bdo", "supporting", 50, 1),
        _t("M5", XSS_TARGET, "火星省", "", "c1", "bdo", "leader", 20, 3),
        _t("E5", "戊化工集团有限公司", "天津市", "", "c2", "pvc", "leader", 65, 2),
        _t("M6", XSS_BEIJING, "北京市", "北京市", "c1", "bdo", "supporting", 35, 3),
    ]
