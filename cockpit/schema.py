"""What can be imported: each importable table's Chinese headers, types, units, ranges and codes.

One declaration serves the validator (cockpit.ingest), the Excel templates (cockpit.templates) and the
instructions sheet, so a rule is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Col:
    name: str                      # column in the parquet table
    header: str                    # Chinese header in templates and files
    kind: str                      # str | int | float | date | bool
    required: bool = True
    unit: str = ""
    min: float | None = None
    max: float | None = None
    ref: str | None = None         # code must exist in this table: sectors, areas, enterprises, …
    choices: tuple[str, ...] = ()  # allowed values
    not_future: bool = False       # a date (or year/month) that cannot lie in the future
    note: str = ""
    max_chars: int = 200           # longest text accepted in a cell


@dataclass(frozen=True)
class TableSpec:
    table: str
    title: str
    key: tuple[str, ...]
    columns: tuple[Col, ...]
    description: str
    period: str | None = None      # "month" (year+month columns) or the name of a date column
    headline: tuple[str, ...] = ()  # numeric columns whose totals the preview compares
    checks: tuple[str, ...] = field(default=())  # named cross-field checks in cockpit.ingest

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


YEAR = dict(kind="int", min=2000, max=2100, unit="年")
MONEY = dict(kind="float", unit="万元", min=0, max=10_000_000)
CODE_ENT = Col("ent_id", "统一社会信用代码", "str", ref="enterprises",
               note="18 位统一社会信用代码，须已在企业名录中")
CODE_AREA = Col("area_code", "片区代码", "str", ref="areas", note="见“代码表”中的片区代码")

SPECS: dict[str, TableSpec] = {}


def _spec(*args, **kwargs) -> None:
    spec = TableSpec(*args, **kwargs)
    SPECS[spec.table] = spec


_spec(
    "enterprise_month", "企业月度数据", ("ent_id", "year", "month"),
    (
        CODE_ENT,
        Col("year", "年份", not_future=True, **YEAR),
        Col("month", "月份", "int", min=1, max=12, unit="月", not_future=True),
        Col("output_wan", "工业总产值（万元）", note="当月值，现价", **MONEY),
        Col("value_added_wan", "工业增加值（万元）", note="当月值，不大于当月产值", **MONEY),
        Col("revenue_wan", "营业收入（万元）", note="当月值", **MONEY),
        Col("tax_wan", "实缴税金（万元）", note="当月值", **MONEY),
        Col("energy_tce", "综合能耗（吨标准煤）", "float", unit="吨标准煤", min=0, max=10_000_000),
        Col("emission_t", "主要污染物排放（吨）", "float", unit="吨", min=0, max=1_000_000),
        Col("power_10k_kwh", "用电量（万千瓦时）", "float", unit="万千瓦时", min=0, max=10_000_000),
        Col("employees", "从业人员期末人数（人）", "int", unit="人", min=0, max=200_000),
        Col("rd_wan", "R&D经费支出（万元）", note="当月值", **MONEY),
        Col("output_ytd_wan", "1—本月累计工业总产值（万元）", required=False,
            note="可选；填写时须等于此前各月当月产值之和加本月", **MONEY),
    ),
    "规上工业企业每月报送的当月数据（1—2月合并报送时，2月填两个月之和，1月可不填）。",
    period="month", headline=("output_wan", "value_added_wan", "tax_wan"),
    checks=("va_not_above_output", "ytd_consistent"),
)

_spec(
    "parcels", "地块", ("parcel_id",),
    (
        Col("parcel_id", "地块编号", "str"),
        CODE_AREA,
        Col("area_mu", "地块面积（亩）", "float", unit="亩", min=0.01, max=100_000),
        Col("x", "示意横坐标", "float", required=False, unit="百米", min=-100_000, max=100_000,
            note="地块示意图用，单位百米，可不填"),
        Col("y", "示意纵坐标", "float", required=False, unit="百米", min=-100_000, max=100_000,
            note="地块示意图用，单位百米，可不填"),
        Col("land_use", "用途", "str", choices=("工业", "闲置")),
        Col("boundary_geojson", "地块边界（GeoJSON）", "str", required=False, max_chars=32_000,
            note="可不填：GeoJSON 的 Polygon 或 MultiPolygon 几何，经纬度坐标（WGS84/CGCS2000），面积与地块面积相差"
                 "不超过 10%；也可单独导入按地块编号对应的 .geojson 文件"),
    ),
    "工业用地地块；企业和低效用地整治按地块编号引用。",
    checks=("parcel_boundary",),
)

_spec(
    "enterprises", "企业名录", ("ent_id",),
    (
        Col("ent_id", "统一社会信用代码", "str", note="18 位"),
        Col("ent_name", "企业名称", "str"),
        Col("sector_code", "行业代码", "str", ref="sectors", note="GB/T 4754 大类两位代码"),
        CODE_AREA,
        Col("parcel_id", "地块编号", "str", required=False, ref="parcels"),
        Col("land_mu", "用地面积（亩）", "float", unit="亩", min=0, max=10_000),
        Col("is_above_scale", "是否规上", "bool", note="是/否"),
        Col("is_high_tech", "是否高新", "bool", note="是/否"),
        Col("first_year", "首次入规年份", required=False, **YEAR),
    ),
    "开发区企业名录；新企业先导入名录，再导入其月度数据。",
    checks=("credit_code_format",),
)

_spec(
    "projects", "项目库", ("project_id",),
    (
        Col("project_id", "项目编号", "str"),
        Col("project_name", "项目名称", "str"),
        Col("kind", "项目类型", "str", choices=("产业", "基础设施", "平台提升")),
        Col("sector_code", "行业代码", "str", required=False, ref="sectors"),
        CODE_AREA,
        Col("is_industrial", "是否工业项目", "bool"),
        Col("is_high_tech", "是否高新技术产业项目", "bool"),
        Col("is_special_bond", "是否专项债项目", "bool"),
        Col("is_reserve", "是否储备项目", "bool"),
        Col("plan_year", "计划年度", **YEAR),
        Col("total_invest_wan", "计划总投资（万元）", **MONEY),
        Col("date_idea", "谋划日期", "date", required=False, not_future=True),
        Col("date_talk", "在谈日期", "date", required=False, not_future=True),
        Col("date_sign", "签约日期", "date", required=False, not_future=True),
        Col("date_start", "开工日期", "date", required=False, not_future=True),
        Col("date_complete", "竣工日期", "date", required=False, not_future=True),
        Col("date_produce", "投产日期", "date", required=False, not_future=True),
        Col("plan_start", "计划开工日期", "date", required=False),
        Col("plan_produce", "计划投产日期", "date", required=False),
        Col("note", "备注", "str", required=False),
        Col("ent_id", "项目业主统一社会信用代码", "str", required=False, ref="enterprises",
            note="实施项目的本区企业；新引进、尚未在企业名录中的项目和基础设施项目留空"),
    ),
    "项目基本信息与各阶段日期（未到达的阶段留空）。",
    checks=("stage_dates_ordered",),
)

_spec(
    "project_month", "项目月度投资", ("project_id", "year", "month"),
    (
        Col("project_id", "项目编号", "str", ref="projects"),
        Col("year", "年份", not_future=True, **YEAR),
        Col("month", "月份", "int", min=1, max=12, unit="月", not_future=True),
        Col("invest_wan", "当月完成投资（万元）", **MONEY),
        Col("plan_wan", "当月计划投资（万元）", **MONEY),
        Col("funds_in_wan", "当月到位资金（万元）", **MONEY),
    ),
    "在建项目每月完成投资（固定资产投资口径）。",
    period="month", headline=("invest_wan",),
)

_spec(
    "bond_events", "专项债", ("bond_id", "event", "event_date"),
    (
        Col("bond_id", "专项债编号", "str"),
        Col("project_id", "项目编号", "str", ref="projects"),
        Col("bond_year", "批次年度", **YEAR),
        Col("event", "环节", "str", choices=("申报", "获批", "到位", "支出")),
        Col("event_date", "日期", "date", not_future=True),
        Col("amount_wan", "金额（万元）", **MONEY),
    ),
    "专项债申报、获批、到位、支出，每一笔一行。",
    period="event_date", headline=("amount_wan",),
)

_spec(
    "land_actions", "低效用地整治", ("action_id",),
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
        Col("date_accepted", "验收日期", "date", required=False, not_future=True),
        Col("ent_before", "原企业", "str", required=False),
        Col("mujun_tax_before_wan", "整治前亩均税收（万元/亩）", "float", required=False, unit="万元/亩",
            min=0, max=10_000),
        Col("new_use", "新用途或新企业", "str", required=False),
        Col("mujun_tax_after_wan", "整治后亩均税收（万元/亩）", "float", required=False, unit="万元/亩",
            min=0, max=10_000),
    ),
    "低效工业用地整治台账，每个整治事项一行。",
    period="date_accepted", headline=("area_mu",),
)

_spec(
    "hazards", "安全隐患", ("hazard_id",),
    (
        Col("hazard_id", "隐患编号", "str"),
        CODE_ENT,
        CODE_AREA,
        Col("level", "隐患等级", "str", choices=("一般", "重大")),
        Col("category", "隐患类别", "str",
            choices=("厂中厂", "电气焊", "危化品", "有限空间", "消防", "用电", "其他")),
        Col("source", "发现途径", "str", choices=("专项排查", "日常巡查", "专家检查")),
        Col("found_date", "发现日期", "date", not_future=True),
        Col("deadline", "整改期限", "date"),
        Col("rectified_date", "整改完成日期", "date", required=False, not_future=True),
        Col("description", "隐患描述", "str", required=False),
    ),
    "安全隐患台账：发现、期限、整改完成（未整改留空）。",
    period="found_date", headline=(),
    checks=("hazard_dates_ordered",),
)

_spec(
    "accidents", "生产安全事故", ("accident_id",),
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
    "生产安全事故，每起一行。", period="accident_date", headline=("loss_wan",),
)

_spec(
    "trainings", "培训演练", ("training_id",),
    (
        Col("training_id", "编号", "str"),
        Col("training_date", "日期", "date", not_future=True),
        Col("kind", "类型", "str", choices=("培训", "演练")),
        Col("topic", "主题", "str"),
        Col("area_code", "片区代码", "str", required=False, ref="areas"),
        Col("participants", "参加人次", "int", unit="人次", min=0, max=1_000_000),
    ),
    "安全培训与应急演练，每场一行。", period="training_date", headline=("participants",),
)

_spec(
    "targets", "年度目标", ("year", "indicator_id", "scope_kind", "scope_code"),
    (
        Col("year", "年份", **YEAR),
        Col("indicator_id", "指标代码", "str", ref="indicators", note="见“代码表”中的指标代码"),
        Col("scope_kind", "范围", "str", choices=("全区", "产业链", "片区")),
        Col("scope_code", "范围代码", "str", required=False, note="全区留空；产业链填名称，片区填代码"),
        Col("target_value", "目标值", "float", min=-1_000_000, max=10_000_000,
            note="以指标的计量单位填写（见代码表）"),
        Col("source", "目标来源", "str", required=False),
    ),
    "各年度目标值（完成率与红黄绿灯的依据）。", headline=("target_value",),
)
