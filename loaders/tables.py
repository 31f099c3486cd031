"""The input tables: their columns, Chinese labels, types and references.

One `Table` per file a planner edits. The loaders read, validate and report against these specs;
the templates are written from them; nothing else hard-codes a column name.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from queries.vocabulary import LIST_SEPARATOR  # noqa: F401  (the loaders read it from here)
from queries.vocabulary import (AUXILIARY_INPUT, EQUIPMENT, MATERIAL, MATERIAL_PRODUCT, NATIONAL_SRDI,
                                OPERATING, PROJECT_DONE, PROJECT_UNDER_WAY, PROVINCIAL_SRDI, SRDI, UNDER_WAY,
                                UNVERIFIED, USE, VERIFIED)

# Column kinds understood by the validator.
TEXT, NUMBER, BOOL, ENUM, DATE, LIST = "text", "number", "bool", "enum", "date", "list"
CREDIT_CODE = "credit_code"  # 统一社会信用代码, check digit per GB 32100
NAME_LENGTH = 200  # longer than any registered firm or product name


@dataclass(frozen=True)
class Column:
    id: str
    label: str  # Chinese header used by the templates
    kind: str = TEXT
    required: bool = False
    note: str = ""  # one line for the template's comment row, Chinese first
    example: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # accepted spelling -> canonical value
    ref: str | None = None  # "table" whose id this column must name
    minimum: float | None = None
    maximum: float | None = None
    default: str = ""  # canonical value an empty ENUM cell takes
    ref_match: tuple[str, str] | None = None  # (own column, referenced row's column) that must be equal
    ref_kind: tuple[str, str] | None = None  # (referenced row's column, value) the referenced row must have
    excludes: str | None = None  # a list column that must not name the row's own value of this column
    unit: str = ""  # NUMBER: the unit the column holds; a cell written with a unit is converted to it
    # NUMBER: (own unit column, reference column, referenced table's unit column): the unit is the
    # row's own when given, else the referenced row's (a capacity in its product's unit)
    unit_from: tuple[str, str, str] | None = None
    max_length: int | None = None  # TEXT: a longer cell is kept, with a notice (a paste gone wrong)


@dataclass(frozen=True)
class Table:
    name: str  # file stem and sheet name
    label: str  # Chinese name, also accepted as sheet name
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns that identify a row; duplicates are rejected
    unique_names: tuple[str, ...] = ()  # further columns that must not repeat (after normalising)
    acyclic: tuple[str, str] | None = None  # (from, to) columns that must form no cycle
    # edges of another table the cycle check counts too: (table, list column of sources, target column)
    acyclic_with: tuple[str, str, str] | None = None

    @property
    def required(self) -> list[str]:
        return [c.id for c in self.columns if c.required]

    def column(self, column_id: str) -> Column:
        return next(c for c in self.columns if c.id == column_id)


YES_NO = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False,
          "true": True, "false": False, "1": True, "0": False, "√": True, "×": False}
SEGMENTS = {"上游": "上游", "中游": "中游", "下游": "下游",
            "upstream": "上游", "midstream": "中游", "downstream": "下游"}
FEED_KINDS = {MATERIAL: MATERIAL, AUXILIARY_INPUT: AUXILIARY_INPUT, "material": MATERIAL, "auxiliary": AUXILIARY_INPUT}
PRODUCE_STATUS = {OPERATING: OPERATING, UNDER_WAY[0]: UNDER_WAY[0], UNDER_WAY[1]: UNDER_WAY[1],
                  "operating": OPERATING, "building": UNDER_WAY[0], "planned": UNDER_WAY[1]}
PROJECT_STATUS = {PROJECT_UNDER_WAY[0]: PROJECT_UNDER_WAY[0], PROJECT_UNDER_WAY[1]: PROJECT_UNDER_WAY[1],
                  PROJECT_DONE: PROJECT_DONE,
                  "signed": PROJECT_UNDER_WAY[0], "building": PROJECT_UNDER_WAY[1], "operating": PROJECT_DONE}
SRDI_LEVELS = {NATIONAL_SRDI: NATIONAL_SRDI, "小巨人": NATIONAL_SRDI, "国家级": NATIONAL_SRDI,
               PROVINCIAL_SRDI: PROVINCIAL_SRDI, "省级": PROVINCIAL_SRDI, SRDI: SRDI,
               "national": NATIONAL_SRDI, "provincial": PROVINCIAL_SRDI, "srdi": SRDI}
REGION_KINDS = {"city": "city", "district": "district", "park": "park", "county": "county",
                "town": "town", "league": "city", "市": "city", "盟": "city", "区": "district",
                "旗": "county", "县": "county", "园区": "park", "镇": "town"}
PRODUCT_KINDS = {MATERIAL_PRODUCT: MATERIAL_PRODUCT, EQUIPMENT: EQUIPMENT, USE: USE, "服务": USE,
                 "material": MATERIAL_PRODUCT, "equipment": EQUIPMENT, "use": USE}
VERIFIED_STATES = {VERIFIED: VERIFIED, UNVERIFIED: UNVERIFIED, "verified": VERIFIED, "unverified": UNVERIFIED}
TIERS = {"千亿级集群": "千亿级集群", "百亿级产业链": "百亿级产业链", "重点产业链": "重点产业链"}

VERIFIED_COLUMNS = (
    Column("verified", "核实状态", ENUM, choices=VERIFIED_STATES, default=UNVERIFIED,
           note="已核实 / 待核实（空=待核实：有出处可查证才算已核实）/ verified against the cited source?",
           example="待核实"),
    Column("verified_on", "核实日期", DATE, note="对照出处核实的日期 YYYY-MM-DD / date checked", example="2024-05-20"),
)
MATERIAL_ONLY = ("kind", MATERIAL_PRODUCT)  # FEEDS joins materials only

SOURCE = Column("source", "数据来源", note="数据出处：年报、交易所公告、官网、新闻（媒体+年份）/ where the facts come from",
                example="公司2022年年度报告")

TABLES: tuple[Table, ...] = (
    Table("regions", "区域", (
        Column("region_id", "区域编号", required=True, note="唯一编号 / unique id", example="wuhai_hainan"),
        Column("name_zh", "区域名称", required=True, note="中文名称 / name", example="海南区", max_length=NAME_LENGTH),
        Column("kind", "区域类型", ENUM, required=True, choices=REGION_KINDS,
               note="city 市 / district 区 / park 园区 / county 旗县 / town 镇", example="district"),
        Column("parent_id", "上级区域编号", ref="regions", note="上级区域编号，市级留空 / parent region id",
               example="wuhai"),
        Column("province", "省份", note="省、自治区 / province", example="内蒙古自治区"),
        Column("lat", "纬度", NUMBER, minimum=-90, maximum=90, note="十进制纬度，用于计算距离 / latitude",
               example="39.42", unit="°"),
        Column("lon", "经度", NUMBER, minimum=-180, maximum=180, note="十进制经度 / longitude",
               example="106.82", unit="°"),
        SOURCE,
    ), key=("region_id",), acyclic=("region_id", "parent_id")),
    Table("chains", "产业链", (
        Column("chain_id", "产业链编号", required=True, note="唯一编号 / unique id", example="degradable"),
        Column("name_zh", "产业链名称", required=True, note="中文名称 / Chinese name", example="可降解材料",
               max_length=NAME_LENGTH),
        Column("name_en", "英文名称", note="English name", example="Biodegradable materials", max_length=NAME_LENGTH),
        Column("tier", "层级", ENUM, choices=TIERS, note="千亿级集群 / 百亿级产业链 / 重点产业链",
               example="百亿级产业链"),
        Column("description", "说明", note="一句话说明 / one-line description", example="BDO-PBAT、THF-PTMEG-氨纶"),
        SOURCE,
    ), key=("chain_id",), unique_names=("name_zh",)),
    Table("products", "产品", (
        Column("product_id", "产品编号", required=True, note="唯一编号（英文） / unique id", example="bdo"),
        Column("name_zh", "产品名称", required=True, note="中文名称 / Chinese name", example="1,4-丁二醇",
               max_length=NAME_LENGTH),
        Column("name_en", "英文名称", note="English name", example="1,4-Butanediol", max_length=NAME_LENGTH),
        Column("aliases", "别名", LIST, note="别名，用 | 分隔 / aliases separated by |", example="BDO|丁二醇"),
        Column("unit", "产能单位", note="常用产能单位 / usual capacity unit", example="万吨/年"),
        Column("kind", "产品类型", ENUM, choices=PRODUCT_KINDS, default=MATERIAL_PRODUCT,
               note="物料 / 设备 / 用途（服务）；空=物料。投入产出只连接物料 / material, equipment or use",
               example="物料"),
        Column("note", "备注", note="备注 / note", example=""),
    ), key=("product_id",), unique_names=("name_zh",)),
    Table("routes", "工艺路线", (
        Column("route_id", "工艺路线编号", required=True, note="唯一编号 / unique id", example="bdo:reppe"),
        Column("product_id", "产出产品编号", required=True, ref="products",
               note="该路线生产的产品 / the product this route makes", example="bdo"),
        Column("name_zh", "路线名称", required=True, note="中文名称 / Chinese name", example="炔醛法（Reppe法）",
               max_length=NAME_LENGTH),
        Column("name_en", "英文名称", note="English name", example="Reppe process", max_length=NAME_LENGTH),
        Column("captive", "自用中间体", LIST, ref="products",
               note="一体化装置自产自用的中间产品，用 | 分隔 / captive intermediates, separated by |",
               excludes="product_id", example="acetylene|butynediol"),
        Column("byproducts", "副产品", LIST, ref="products",
               note="必然产出的副产品、联产品，用 | 分隔 / by-products and co-products, separated by |",
               excludes="product_id", example=""),
        Column("source", "数据来源", required=True, note="路线出处：教材、标准、公司报告、新闻 / where the route is described",
               example="《化工工艺学》"),
        Column("note", "备注", note="备注 / note", example=""),
    ), key=("route_id",)),
    Table("chain_products", "链上产品", (
        Column("chain_id", "产业链编号", required=True, ref="chains", note="见“产业链”表 / chain id",
               example="degradable"),
        Column("product_id", "产品编号", required=True, ref="products",
               note="产品编号或产品名称 / product id or name", example="bdo"),
        Column("segment", "环节位置", ENUM, required=True, choices=SEGMENTS, note="上游 / 中游 / 下游",
               example="中游"),
        Column("focus", "重点招商产品", BOOL, choices=YES_NO, note="是 / 否", example="是"),
    ), key=("chain_id", "product_id")),
    Table("feeds", "投入产出", (
        Column("input_id", "投入产品编号", required=True, ref="products", ref_kind=MATERIAL_ONLY,
               note="原料产品（须为物料）/ input product (a material)", example="acetylene"),
        Column("output_id", "产出产品编号", required=True, ref="products", ref_kind=MATERIAL_ONLY,
               note="产出产品（须为物料）/ output product (a material)", example="bdo"),
        Column("route_id", "工艺路线编号", ref="routes", ref_match=("output_id", "product_id"),
               note="产出产品的工艺路线，见“工艺路线”表；空=默认路线 / route of the output; empty: its default route",
               example="bdo:reppe"),
        Column("kind", "投入类型", ENUM, choices=FEED_KINDS, note="原料 / 辅料（催化剂、溶剂、助剂）",
               example="原料"),
        Column("note", "备注", note="工艺路线等 / route", example="Reppe法"),
    ), key=("input_id", "output_id", "route_id"), acyclic=("input_id", "output_id"),
        acyclic_with=("routes", "captive", "product_id")),
    Table("enterprises", "企业", (
        Column("enterprise_id", "企业编号", required=True, note="唯一编号 / unique id", example="L001"),
        Column("name", "企业名称", required=True, note="工商登记全称 / registered name",
               example="某某新材料股份有限公司", max_length=NAME_LENGTH),
        Column("short_name", "企业简称", note="简称 / short name", example="某某新材", max_length=NAME_LENGTH),
        Column("province", "省份", note="省份 / province", example="浙江省"),
        Column("city", "城市", note="城市 / city", example="杭州市"),
        Column("region_id", "所在区域编号", ref="regions", note="本地及周边企业填写，见“区域”表 / region id",
               example=""),
        Column("leader", "龙头企业", BOOL, choices=YES_NO, note="是 / 否", example="是"),
        Column("srdi_level", "专精特新级别", ENUM, choices=SRDI_LEVELS,
               note="国家级专精特新小巨人 / 省级专精特新 / 专精特新 / 空", example=""),
        Column("listed_code", "股票代码", note="如 600516.SH / stock code", example=""),
        SOURCE,
        *VERIFIED_COLUMNS,
        Column("note", "备注", note="不确定的信息请在此说明 / mark uncertain facts", example=""),
        Column("credit_code", "统一社会信用代码", CREDIT_CODE,
               note="18位，可不填；填写后用于跨次载入识别同一企业 / optional; identifies the firm across reloads",
               example=""),
    ), key=("enterprise_id",), unique_names=("name", "credit_code")),
    Table("produces", "企业产品", (
        Column("enterprise_id", "企业编号", required=True, ref="enterprises", note="见“企业”表 / enterprise id",
               example="L001"),
        Column("product_id", "产品编号", required=True, ref="products",
               note="产品编号或产品名称 / product id or name", example="bdo"),
        Column("capacity", "产能", NUMBER, minimum=0, maximum=1e12,
               note="数字，未知留空；可带单位（如 20万吨）/ number, empty if unknown; may carry a unit",
               example="10", unit_from=("unit", "product_id", "unit")),
        Column("unit", "单位", note="产能单位 / unit", example="万吨/年"),
        Column("status", "状态", ENUM, choices=PRODUCE_STATUS, note="在产 / 在建 / 规划", example="在产"),
        Column("route_id", "工艺路线编号", ref="routes", ref_match=("product_id", "product_id"),
               note="该装置采用的工艺路线，见“工艺路线”表；空=未知 / the route this plant runs; empty: unknown",
               example="bdo:reppe"),
        SOURCE,
        *VERIFIED_COLUMNS,
    ), key=("enterprise_id", "product_id")),
    Table("projects", "招商项目", (
        Column("project_id", "项目编号", required=True, note="唯一编号 / unique id", example="P001"),
        Column("name", "项目名称", required=True, note="项目名称 / project name",
               example="年产3万吨四氢呋喃项目", max_length=NAME_LENGTH),
        Column("enterprise_id", "投资企业编号", ref="enterprises", note="见“企业”表 / investor",
               example="W001"),
        Column("product_ids", "产品编号", LIST, ref="products", note="用 | 分隔 / separated by |",
               example="thf"),
        Column("region_id", "落地区域编号", ref="regions", note="见“区域”表 / region id", example="wuhai_hainan"),
        Column("amount", "总投资（亿元）", NUMBER, minimum=0, maximum=1e5, unit="亿元",
               note="亿元；写作 3000万元 也可 / 100 million CNY", example="5"),
        Column("status", "项目状态", ENUM, choices=PROJECT_STATUS, note="签约 / 在建 / 投产", example="在建"),
        Column("date", "日期", DATE, note="YYYY-MM 或 YYYY-MM-DD", example="2023-09"),
        SOURCE,
        Column("note", "备注", note="备注 / note", example=""),
    ), key=("project_id",)),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
