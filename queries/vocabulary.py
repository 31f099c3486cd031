"""The words of the trade as the code spells them: one place for every status, kind and role.

Stored values (what a validated table holds) and the words queries add (coverage statuses, gap
kinds, candidate roles) are both here, so the loaders, the queries, the Cypher text, the pages and
the workbook cannot drift apart. This module imports nothing.

>>> KIND_ZH[MISSING], ROLE_ZH[LEADER]
('断链', '龙头')
"""

LIST_SEPARATOR = "|"  # several ids in one cell: "bdo|thf"

# Positions of a link in its chain (chain_products.segment), upstream first.
SEGMENTS = ("上游", "中游", "下游")
SEGMENT_ORDER = {s: i for i, s in enumerate(SEGMENTS)}

# What an input is to its output (feeds.kind).
MATERIAL, AUXILIARY_INPUT = "原料", "辅料"

# What a product is (products.kind): only materials are joined by FEEDS.
MATERIAL_PRODUCT, EQUIPMENT, USE = "物料", "设备", "用途"

# Whether a fact was checked against its cited source (produces.verified, enterprises.verified).
VERIFIED, UNVERIFIED = "已核实", "待核实"

# A product's inputs listed without a route form this route of it.
DEFAULT_ROUTE = "{product}:default"

# A firm's plant for a product (produces.status).
OPERATING = "在产"
UNDER_WAY = ("在建", "规划")

# A project's state (projects.status): signed or being built counts as under way; 投产 as producing.
PROJECT_UNDER_WAY = ("签约", "在建")
PROJECT_DONE = "投产"

# SRDI tiers (enterprises.srdi_level), top tier first.
NATIONAL_SRDI, PROVINCIAL_SRDI, SRDI = "国家级专精特新小巨人", "省级专精特新", "专精特新"

# Where a firm is relative to the home region.
LOCAL, NEIGHBOUR, ELSEWHERE = "local", "neighbour", "elsewhere"

# How the home region covers a link (coverage.status), best first.
# "captive": made locally only inside an integrated plant, as a captive intermediate or by-product of
# the route it runs (本地自用/副产).
COVERAGE_STATUSES = ("local", "weak", "captive", "project", "neighbour", "missing")
COVERED = ("local", "weak", "captive")  # made locally, 弱链 and 自用/副产 included
MADE_FOR_SALE = ("local", "weak")  # a local firm in operation lists the product itself

# Gap kinds, in the order a planner reads them.
MISSING, WEAK, EXTEND = "missing", "weak", "extend"
KIND_ZH = {MISSING: "断链", WEAK: "弱链", EXTEND: "延链"}
KIND_ORDER = {k: i for i, k in enumerate(KIND_ZH)}

# Candidate roles in 龙头+配套 targeting.
LEADER, SUPPORTING = "leader", "supporting"
ROLE_ZH = {LEADER: "龙头", SUPPORTING: "配套"}

# A gap's reason: one Chinese clause per reason code (queries.gaps; the pages rebuild reasons from
# these too); fields are the reason's own keys (lists of names joined
# with 、), plus home (the home region's name), product (the link's name) and supply (local
# inputs with their producers).
REASON_ZH = {
    "no_local_producer": "{home}无在产企业、无在建项目",
    "single_producer": "{home}仅{firm_names}一家生产",
    "low_capacity": "本地已知产能{capacity:g}{unit}，低于{threshold:g}{unit}",
    "local_feedstock": "本地已有原料{supply}，可就地转化",
    "local_demand": "本地{output_names}需要{product}作原料",
    "route_unknown": "本地{output_name}（{firm_names}）工艺路线未知，可选路线：{route_names}；是否需要{product}作原料待核实",
    "captive_only": "{home}仅由{plants}自用生产或副产，暂无对外销售的在产企业，可延链强链",
    "unverified": "所依据的本地生产信息待核实（{firm_names}）",
    "neighbour_supply": "周边{firm_names}有生产",
    "no_producer_known": "库中暂无生产企业，需补充目标企业",
    "focus": "为重点招商产品",
}
# what a target makes around its gap (p: the gap's product, x: the products it makes), by relation
REL_ZH = {"self": "生产{p}", "downstream": "生产其下游产品{x}", "input": "生产其原料{x}", "auxiliary": "生产其辅料{x}"}
