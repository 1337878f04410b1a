"""Every table of a zone's data directory, declared once: columns, types, Chinese headers, units, ranges,
references and keys.

From these declarations come the parquet schema (`arrow_schema`, used by the sample generator, `cockpit.data.zone
init` and every commit), the import validator (`cockpit.data.ingest`), the Excel templates and the onboarding
workbook (`cockpit.data.templates`) and the table in `data/README.md` (`readme_table`).

Adding a column is one line in a declaration. A column added later must be optional (`required=False`):
an existing zone's files get it (empty) on their next start (`cockpit.data.store.evolve`).
`SPECS` is in dependency order: a table only refers to tables declared before it, which is also the order in
which an onboarding workbook is validated (片区 → 行业 → 地块 → 企业 → monthly facts → 项目 → …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

YTD = "ytd:"  # prefix of the field a flow column's 1—本月累计 value is read into


@dataclass(frozen=True)
class Col:
    name: str  # column in the parquet table
    header: str  # Chinese header in templates and files
    kind: str  # str | int | float | date | bool
    required: bool = True  # False: may be blank (stored as null, or as `blank`)
    unit: str = ""
    min: float | None = None
    max: float | None = None
    ref: str | None = None  # a code that must exist in this table …
    ref_col: str | None = None  # … in this column of it (default: that table's key)
    choices: tuple[str, ...] = ()  # allowed values
    not_future: bool = False  # a fact: the date (or year/month) cannot lie after today
    flow: bool = False  # a monthly flow that may also arrive as 1—本月累计 (see ytd_header)
    blank: str | None = None  # the stored value of a blank cell (None = null)
    note: str = ""
    max_chars: int = 200  # longest text accepted in a cell

    @property
    def ytd_header(self) -> str:
        """Header of the 1—本月累计 form of a flow column."""
        return "1—本月累计" + self.header

    @property
    def ytd_name(self) -> str:
        """The field a 1—本月累计 value is read into (never a column name)."""
        return YTD + self.name


@dataclass(frozen=True)
class TableSpec:
    table: str
    title: str  # Chinese name: template title and onboarding workbook sheet name
    key: tuple[str, ...]
    columns: tuple[Col, ...]
    description: str
    period: str | None = None  # "month" (year+month columns), "year", or the name of a date column
    headline: tuple[str, ...] = ()  # numeric columns whose totals the preview compares
    checks: tuple[str, ...] = field(default=())  # named cross-field checks in cockpit.data.ingest
    importable: bool = True  # False: derived by the program (indicators)
    grain: str = ""  # one row per … (data/README.md)

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


YEAR: dict[str, Any] = dict(kind="int", min=2000, max=2100, unit="年")
MONTH: dict[str, Any] = dict(kind="int", min=1, max=12, unit="月")
MONEY: dict[str, Any] = dict(kind="float", unit="万元", min=0, max=10_000_000)
CODE_ENT = Col("ent_id", "统一社会信用代码", "str", ref="enterprises", note="18 位统一社会信用代码，须已在企业名录中")
CODE_AREA = Col("area_code", "片区代码", "str", ref="areas", note="须已在片区表中")

SPECS: dict[str, TableSpec] = {}


def _spec(*args, **kwargs) -> None:
    spec = TableSpec(*args, **kwargs)
    SPECS[spec.table] = spec


# -- reference tables: the zone's own codes --------------------------------------------------------

_spec(
    "areas",
    "片区",
    ("area_code",),
    (
        Col("area_code", "片区代码", "str", note="本区自定的片区代码，如 A01"),
        Col("area_name", "片区名称", "str"),
        Col("park", "所属园区", "str", required=False),
        Col("is_chemical_cluster", "是否化工集聚区", "bool", note="是/否；有化工集聚区时，安全生产页显示其风险等级"),
    ),
    "开发区的片区（筛选栏的“片区”）。先导入片区，再导入引用片区代码的企业、地块、项目等。",
    grain="one row per 片区",
)

_spec(
    "sectors",
    "行业与产业链",
    ("sector_code",),
    (
        Col("sector_code", "行业代码", "str", note="GB/T 4754-2017 国民经济行业大类两位代码，如 13、36"),
        Col("sector_name", "行业名称", "str", note="大类名称"),
        Col("chain", "产业链", "str", note="本区自定的主导产业链名称（筛选栏的“产业链”）"),
        Col("is_high_tech", "是否默认高新", "bool", note="是/否：该行业是否默认计入高新技术产业"),
    ),
    "本区企业所属的国民经济行业大类及其所属产业链。",
    checks=("sector_code_format",),
    grain="one row per GB/T 4754 大类 the zone uses",
)

_spec(
    "parcels",
    "地块",
    ("parcel_id",),
    (
        Col("parcel_id", "地块编号", "str"),
        CODE_AREA,
        Col("area_mu", "地块面积（亩）", "float", unit="亩", min=0.01, max=100_000),
        Col(
            "x",
            "示意横坐标",
            "float",
            required=False,
            unit="百米",
            min=-100_000,
            max=100_000,
            note="地块示意图用，单位百米，可不填",
        ),
        Col(
            "y",
            "示意纵坐标",
            "float",
            required=False,
            unit="百米",
            min=-100_000,
            max=100_000,
            note="地块示意图用，单位百米，可不填",
        ),
        Col("land_use", "用途", "str", choices=("工业", "闲置")),
        Col(
            "boundary_geojson",
            "地块边界（GeoJSON）",
            "str",
            required=False,
            max_chars=32_000,
            note="可不填：GeoJSON 的 Polygon 或 MultiPolygon 几何，经纬度坐标（WGS84/CGCS2000），面积与地块面积相差"
            "不超过 10%；也可单独导入按地块编号对应的 .geojson 文件",
        ),
    ),
    "工业用地地块；企业和低效用地整治按地块编号引用。",
    checks=("parcel_boundary",),
    grain="one row per land parcel",
)

# -- enterprises and their monthly statistics ------------------------------------------------------

_spec(
    "enterprises",
    "企业名录",
    ("ent_id",),
    (
        Col("ent_id", "统一社会信用代码", "str", note="18 位"),
        Col("ent_name", "企业名称", "str"),
        Col("sector_code", "行业代码", "str", ref="sectors", note="GB/T 4754 大类两位代码，须已在行业表中"),
        CODE_AREA,
        Col("parcel_id", "地块编号", "str", required=False, ref="parcels", note="几家企业可共用一个地块"),
        Col(
            "land_mu",
            "用地面积（亩）",
            "float",
            unit="亩",
            min=0,
            max=10_000,
            note="本企业使用的面积；共用地块的各企业之和等于地块面积",
        ),
        Col("is_above_scale", "是否规上", "bool", note="是/否（最近一年）"),
        Col("is_high_tech", "是否高新", "bool", note="是/否：计入高新技术产业"),
        Col("first_year", "首次入规年份", required=False, **YEAR),
        Col(
            "size_class",
            "企业规模",
            "str",
            required=False,
            choices=("大型", "中型", "小型", "微型"),
            note="按《统计上大中小微型企业划分办法》（筛选栏的“企业规模”），可不填",
        ),
    ),
    "开发区企业名录；新企业先导入名录，再导入其月度数据。",
    checks=("credit_code_format",),
    grain="one row per enterprise",
)

_spec(
    "enterprise_month",
    "企业月度数据",
    ("ent_id", "year", "month"),
    (
        CODE_ENT,
        Col("year", "年份", not_future=True, **YEAR),
        Col("month", "月份", not_future=True, **MONTH),
        Col("output_wan", "工业总产值（万元）", flow=True, note="当月值，现价", **MONEY),
        Col("value_added_wan", "工业增加值（万元）", flow=True, note="当月值，不大于当月产值", **MONEY),
        Col("revenue_wan", "营业收入（万元）", flow=True, note="当月值", **MONEY),
        Col("tax_wan", "实缴税金（万元）", flow=True, note="当月值", **MONEY),
        Col("energy_tce", "综合能耗（吨标准煤）", "float", unit="吨标准煤", min=0, max=10_000_000, flow=True),
        Col("emission_t", "主要污染物排放（吨）", "float", unit="吨", min=0, max=1_000_000, flow=True),
        Col("power_10k_kwh", "用电量（万千瓦时）", "float", unit="万千瓦时", min=0, max=10_000_000, flow=True),
        Col("employees", "从业人员期末人数（人）", "int", unit="人", min=0, max=200_000),
        Col("rd_wan", "R&D经费支出（万元）", flow=True, note="当月值", **MONEY),
    ),
    "规上工业企业每月报送的当月数据（1—2月合并报送时，2月填两个月之和，1月不填）。统计局报表为"
    "“1—本月累计”时，可把表头改为「1—本月累计工业总产值（万元）」等，或导入时选择“累计值”："
    "系统用已导入的上期累计算出当月值。",
    period="month",
    headline=("output_wan", "value_added_wan", "tax_wan"),
    checks=("va_not_above_output",),
    grain="one row per enterprise and month it reported",
)

_spec(
    "county_month",
    "全县月度数据",
    ("year", "month"),
    (
        Col("year", "年份", not_future=True, **YEAR),
        Col("month", "月份", not_future=True, **MONTH),
        Col("county_output_wan", "全县规上工业产值（万元）", note="当月值，用于计算本区占全县比重", **MONEY),
    ),
    "全县规上工业每月产值（当月值），用于“占全县比重”。",
    period="month",
    headline=("county_output_wan",),
    grain="one row per month",
)

_spec(
    "price_index",
    "工业生产者出厂价格指数",
    ("year", "month"),
    (
        Col("year", "年份", not_future=True, **YEAR),
        Col("month", "月份", not_future=True, **MONTH),
        Col("ppi_yoy_month", "当月指数（上年同月=100）", "float", unit="上年同月=100", min=50, max=200),
        Col(
            "ppi_yoy_ytd",
            "1—本月累计指数（上年同期=100）",
            "float",
            required=False,
            unit="上年同期=100",
            min=50,
            max=200,
        ),
    ),
    "工业生产者出厂价格指数（PPI），每月一行；可不导入。",
    period="month",
    grain="one row per month",
)

# -- investment and projects -----------------------------------------------------------------------

_spec(
    "projects",
    "项目库",
    ("project_id",),
    (
        Col("project_id", "项目编号", "str"),
        Col("project_name", "项目名称", "str"),
        Col("kind", "项目类型", "str", choices=("产业", "基础设施", "平台提升")),
        Col("sector_code", "行业代码", "str", required=False, ref="sectors", note="非工业项目留空"),
        CODE_AREA,
        Col("is_industrial", "是否工业项目", "bool", note="计入工业投资"),
        Col("is_high_tech", "是否高新技术产业项目", "bool", note="计入高新技术产业投资"),
        Col("is_special_bond", "是否专项债项目", "bool"),
        Col("is_reserve", "是否储备项目", "bool"),
        Col("plan_year", "计划年度", note="列入哪一年的计划", **YEAR),
        Col("total_invest_wan", "计划总投资（万元）", **MONEY),
        Col("date_idea", "谋划日期", "date", required=False, not_future=True),
        Col("date_talk", "在谈日期", "date", required=False, not_future=True),
        Col("date_sign", "签约日期", "date", required=False, not_future=True),
        Col("date_start", "开工日期", "date", required=False, not_future=True),
        Col("date_complete", "竣工日期", "date", required=False, not_future=True),
        Col("date_produce", "投产日期", "date", required=False, not_future=True),
        Col("plan_start", "计划开工日期", "date", required=False),
        Col("plan_produce", "计划投产日期", "date", required=False, note="基础设施项目填计划竣工日期"),
        Col("note", "备注", "str", required=False),
        Col("duty_unit", "责任单位", "str", required=False, note="负责推进项目的科室或单位，如：项目推进科"),
        Col("duty_person", "责任人", "str", required=False),
        Col("liaison_leader", "包联领导", "str", required=False, note="重点项目的包联领导，可留空"),
        Col(
            "ent_id",
            "项目业主统一社会信用代码",
            "str",
            required=False,
            ref="enterprises",
            note="实施项目的本区企业；新引进、尚未在企业名录中的项目和基础设施项目留空",
        ),
    ),
    "项目基本信息与各阶段日期（未到达的阶段留空）。",
    checks=("stage_dates_ordered",),
    grain="one row per project",
)

_spec(
    "project_month",
    "项目月度投资",
    ("project_id", "year", "month"),
    (
        Col("project_id", "项目编号", "str", ref="projects"),
        Col("year", "年份", not_future=True, **YEAR),
        Col("month", "月份", not_future=True, **MONTH),
        Col("invest_wan", "当月完成投资（万元）", **MONEY),
        Col("plan_wan", "当月计划投资（万元）", **MONEY),
        Col("funds_in_wan", "当月到位资金（万元）", **MONEY),
    ),
    "在建项目每月完成投资（固定资产投资口径）。",
    period="month",
    headline=("invest_wan",),
    grain="one row per project and month with activity",
)

_spec(
    "bond_events",
    "专项债",
    ("bond_id", "event", "event_date"),
    (
        Col("bond_id", "专项债编号", "str"),
        Col("project_id", "项目编号", "str", ref="projects"),
        Col("bond_year", "批次年度", **YEAR),
        Col("event", "环节", "str", choices=("申报", "获批", "到位", "支出")),
        Col("event_date", "日期", "date", not_future=True),
        Col("amount_wan", "金额（万元）", **MONEY),
    ),
    "专项债申报、获批、到位、支出，每一笔一行。",
    period="event_date",
    headline=("amount_wan",),
    grain="one row per 专项债 event",
)

# -- land, safety ----------------------------------------------------------------------------------

_spec(
    "land_actions",
    "低效用地整治",
    ("action_id",),
    (
        Col("action_id", "整治编号", "str"),
        Col("parcel_id", "地块编号", "str", ref="parcels"),
        CODE_AREA,
        Col("plan_year", "计划年度", **YEAR),
        Col("method", "整治方式", "str", choices=("收回", "收购", "企业重组/兼并", "提升改造", "二次招商")),
        Col("status", "进度", "str", choices=("摸排", "方案", "实施", "验收")),
        Col("area_mu", "整治面积（亩）", "float", unit="亩", min=0.01, max=5_000),
        Col("date_found", "摸排日期", "date", required=False, not_future=True),
        Col("date_plan", "方案日期", "date", required=False, not_future=True),
        Col("date_start", "实施日期", "date", required=False, not_future=True),
        Col("date_accepted", "验收日期", "date", required=False, not_future=True, note="验收后计入当年整治亩数"),
        Col("ent_before", "原企业", "str", required=False),
        Col(
            "mujun_tax_before_wan",
            "整治前亩均税收（万元/亩）",
            "float",
            required=False,
            unit="万元/亩",
            min=0,
            max=10_000,
        ),
        Col("new_use", "新用途或新企业", "str", required=False),
        Col(
            "mujun_tax_after_wan",
            "整治后亩均税收（万元/亩）",
            "float",
            required=False,
            unit="万元/亩",
            min=0,
            max=10_000,
        ),
    ),
    "低效工业用地整治台账，每个整治事项一行。",
    period="date_accepted",
    headline=("area_mu",),
    grain="one row per 低效用地整治 action",
)

_spec(
    "hazards",
    "安全隐患",
    ("hazard_id",),
    (
        Col("hazard_id", "隐患编号", "str"),
        CODE_ENT,
        CODE_AREA,
        Col("level", "隐患等级", "str", choices=("一般", "重大")),
        Col("category", "隐患类别", "str", choices=("厂中厂", "电气焊", "危化品", "有限空间", "消防", "用电", "其他")),
        Col("source", "发现途径", "str", choices=("专项排查", "日常巡查", "专家检查")),
        Col("found_date", "发现日期", "date", not_future=True),
        Col("deadline", "整改期限", "date"),
        Col("rectified_date", "整改完成日期", "date", required=False, not_future=True, note="未整改留空"),
        Col("description", "隐患描述", "str", required=False),
        Col("rectify_person", "整改责任人", "str", required=False, note="企业负责整改的人员"),
        Col("supervise_office", "监管科室", "str", required=False, note="督促整改的科室，如：安全生产科"),
    ),
    "安全隐患台账：发现、期限、整改完成（未整改留空）。",
    period="found_date",
    checks=("hazard_dates_ordered",),
    grain="one row per 隐患",
)

_spec(
    "accidents",
    "生产安全事故",
    ("accident_id",),
    (
        Col("accident_id", "事故编号", "str"),
        Col("accident_date", "事故日期", "date", not_future=True),
        CODE_ENT,
        CODE_AREA,
        Col("kind", "事故类型", "str"),
        Col("deaths", "死亡人数（人）", "int", unit="人", min=0, max=1000),
        Col("injuries", "受伤人数（人）", "int", unit="人", min=0, max=10_000),
        Col("loss_wan", "直接经济损失（万元）", **MONEY),
    ),
    "生产安全事故，每起一行。",
    period="accident_date",
    headline=("loss_wan",),
    grain="one row per 生产安全事故",
)

_spec(
    "trainings",
    "培训演练",
    ("training_id",),
    (
        Col("training_id", "编号", "str"),
        Col("training_date", "日期", "date", not_future=True),
        Col("kind", "类型", "str", choices=("培训", "演练")),
        Col("topic", "主题", "str"),
        Col("area_code", "片区代码", "str", required=False, ref="areas", note="全区性的留空"),
        Col("participants", "参加人次", "int", unit="人次", min=0, max=1_000_000),
    ),
    "安全培训与应急演练，每场一行。",
    period="training_date",
    headline=("participants",),
    grain="one row per training or drill",
)

_spec(
    "risk_assessments",
    "化工园区风险评估",
    ("park", "assess_date"),
    (
        Col(
            "park",
            "化工集聚区名称",
            "str",
            ref="areas",
            ref_col="area_name",
            note="须为片区表中“是否化工集聚区”为“是”的片区名称",
        ),
        Col("assess_date", "评估日期", "date", not_future=True),
        Col("assessor", "评估方", "str", note="如：自评、省应急厅评估"),
        Col("score", "得分（分）", "float", unit="分", min=0, max=100),
        Col("grade", "公布等级", "str", choices=("A", "B", "C", "D"), note="D 类风险最低"),
    ),
    "化工集聚区（化工园区）安全风险评估，每次一行；没有化工集聚区的开发区不填。",
    period="assess_date",
    checks=("park_is_chemical_cluster",),
    grain="one row per 化工集聚区 assessment",
)

# -- targets and the indicator catalogue -----------------------------------------------------------

_spec(
    "indicators",
    "指标",
    ("indicator_id",),
    (
        Col("indicator_id", "指标代码", "str"),
        Col("name_cn", "指标名称", "str"),
        Col("unit", "计量单位", "str"),
        Col("definition", "口径", "str"),
        Col("formula", "计算方法", "str"),
        Col("higher_is_better", "是否越大越好", "bool"),
        Col(
            "warn_points",
            "预警带（个百分点）",
            "float",
            required=False,
            unit="个百分点",
            note="空 = config/rules.toml 的黄灯带",
        ),
        Col("frequency", "频度", "str", note="月度 / 年度 / 实时"),
        Col("source_table", "来源表", "str"),
        Col("office", "责任科室", "str"),
    ),
    "指标目录（由程序生成，不导入）：年度目标按指标代码引用。",
    importable=False,
    grain="indicator catalogue",
)

_spec(
    "targets",
    "年度目标",
    ("year", "indicator_id", "scope_kind", "scope_code"),
    (
        Col("year", "年份", **YEAR),
        Col("indicator_id", "指标代码", "str", ref="indicators", note="见“代码表”中的指标代码"),
        Col("scope_kind", "范围", "str", choices=("全区", "产业链", "片区")),
        Col(
            "scope_code",
            "范围代码",
            "str",
            required=False,
            blank="",
            note="全区留空；产业链填产业链名称，片区填片区代码",
        ),
        Col("target_value", "目标值", "float", min=-1_000_000, max=10_000_000, note="以指标的计量单位填写（见代码表）"),
        Col("source", "目标来源", "str", required=False, blank=""),
    ),
    "各年度目标值（完成率与红黄绿灯的依据）。同一年份、指标、范围再次导入时以新值替换。",
    period="year",
    headline=("target_value",),
    checks=("targets_rules",),
    grain="one row per target",
)


# Conditional references the per-column `ref` cannot express: (table, column, when column, value,
# referenced table, referenced column). A target's 范围代码 is a 片区代码 or an 产业链 name.
CONDITIONAL_REFS = (
    ("targets", "scope_code", "scope_kind", "片区", "areas", "area_code"),
    ("targets", "scope_code", "scope_kind", "产业链", "sectors", "chain"),
)


def importable() -> list[str]:
    """Tables a clerk can import, in dependency order."""
    return [t for t, s in SPECS.items() if s.importable]


def ref_column(col: Col) -> str:
    return col.ref_col or SPECS[col.ref].key[0]


def references() -> list[tuple[str, str, str | None, str | None, str, str]]:
    """Every reference: (table, column, when column, when value, referenced table, referenced column)."""
    out = [(t, c.name, None, None, c.ref, ref_column(c)) for t, s in SPECS.items() for c in s.columns if c.ref]
    return out + list(CONDITIONAL_REFS)


# -- storage types ---------------------------------------------------------------------------------

_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}


def pandas_dtype(col: Col) -> str | None:
    """The pandas dtype a column is held in (dates stay datetime.date objects: None)."""
    if col.kind == "int":
        return "int64" if col.required else "Int64"
    return {"str": "str", "float": "float64", "bool": "bool", "date": None}[col.kind]


def arrow_schema(table: str) -> pa.Schema:
    """The parquet schema of a table (every field nullable at the file level)."""
    return pa.schema([(c.name, _ARROW[c.kind]) for c in SPECS[table].columns])


def empty_frame(table: str):
    """A frame with the table's columns and dtypes and no rows."""
    import pandas as pd

    return typed_frame(table, pd.DataFrame(columns=SPECS[table].names))


def typed_frame(table: str, df):
    """`df`'s declared columns, in declared order, with their declared dtypes (dates as datetime.date)."""
    out = df[SPECS[table].names].copy()
    for col in SPECS[table].columns:
        dtype = pandas_dtype(col)
        if dtype is None:
            out[col.name] = out[col.name].astype(object).where(out[col.name].notna(), None)
        else:
            out[col.name] = out[col.name].astype(dtype)
    return out


# -- documentation ---------------------------------------------------------------------------------

README_START = "<!-- tables: generated by `python -m cockpit.data.templates` from cockpit/data/schema.py -->"
README_END = "<!-- end of generated tables -->"


def _doc(c: Col) -> str:
    bits = [c.header]
    if c.unit and c.unit not in c.header:
        bits.append(c.unit)
    if c.choices:
        bits.append(" / ".join(c.choices))
    if c.ref:
        bits.append(f"→ `{c.ref}.{ref_column(c)}`")
    if not c.required:
        bits.append("可空")
    text = f"`{c.name}` ({'；'.join(bits)})"
    return text + (f" — {c.note}" if c.note else "")


def readme_table() -> str:
    """The markdown table of every declared table (data/README.md shows it between the markers)."""
    lines = ["| table | 中文名 | grain / key | columns (中文表头；单位；取值；引用) |", "| --- | --- | --- | --- |"]
    for t, s in SPECS.items():
        key = ", ".join(f"`{k}`" for k in s.key)
        lines.append(f"| `{t}` | {s.title} | {s.grain}; key {key} | {'<br>'.join(_doc(c) for c in s.columns)} |")
    return "\n".join(lines)
