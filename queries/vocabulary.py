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
