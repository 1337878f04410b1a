"""Indicator catalogue: one place that names every headline figure, its unit and its 口径.

Pages show `definition` and `formula` next to each card; the sample generator writes this list to
`indicators.parquet` so a zone that loads its own data can ship its own catalogue.
"""

from __future__ import annotations

_COLUMNS = (
    "indicator_id", "name_cn", "unit", "definition", "formula", "higher_is_better",
    "warn_points", "excellent_points", "frequency", "source_table", "office",
)


def _ind(indicator_id, name_cn, unit, definition, formula, source_table, office,
         higher_is_better=True, frequency="月度", warn_points=10.0, excellent_points=5.0):
    return dict(zip(_COLUMNS, (indicator_id, name_cn, unit, definition, formula, higher_is_better,
                               warn_points, excellent_points, frequency, source_table, office)))


INDICATORS: list[dict] = [
    _ind("output", "规上工业产值", "亿元",
         "规模以上工业企业（年主营业务收入2000万元及以上）工业总产值，1—m月累计，现价。",
         "Σ 当月工业总产值（1—m月）÷ 10000", "enterprise_month", "经济发展科"),
    _ind("value_added", "规上工业增加值", "亿元",
         "规模以上工业企业工业增加值，1—m月累计，现价（同比按现价计算，统计部门按可比价发布时以其为准）。",
         "Σ 当月工业增加值（1—m月）÷ 10000", "enterprise_month", "经济发展科"),
    _ind("high_tech_va", "高新技术产业增加值", "亿元",
         "规上工业中高新技术产业（高新技术企业及高新技术产品）实现的增加值，1—m月累计。",
         "Σ 高新标识企业当月增加值（1—m月）÷ 10000", "enterprise_month", "经济发展科"),
    _ind("high_tech_share", "高新技术产业增加值占比", "%",
         "高新技术产业增加值占规上工业增加值的比重。",
         "高新技术产业增加值 ÷ 规上工业增加值 × 100", "enterprise_month", "经济发展科"),
    _ind("mujun_va", "规上工业亩均增加值", "万元/亩",
         "规上工业增加值除以报告期内有产值申报的规上企业用地面积（亩）。",
         "Σ 增加值（万元）÷ Σ 企业用地（亩）", "enterprise_month, enterprises", "经济发展科"),
    _ind("county_share", "产值占全县比重", "%",
         "开发区规上工业产值占全县规上工业产值的比重。",
         "开发区规上产值 ÷ 全县规上产值 × 100", "county_month", "经济发展科"),
    _ind("fai", "固定资产投资", "亿元",
         "辖区内项目完成的固定资产投资（计划总投资500万元及以上项目），1—m月累计。",
         "Σ 项目当月完成投资（1—m月）÷ 10000", "project_month", "项目推进科"),
    _ind("industrial_invest", "工业投资", "亿元",
         "固定资产投资中工业项目（含技改）完成的投资，1—m月累计。",
         "Σ 工业项目当月完成投资 ÷ 10000", "project_month, projects", "项目推进科"),
    _ind("high_tech_invest", "高新技术产业投资", "亿元",
         "工业投资中高新技术产业项目完成的投资，1—m月累计。",
         "Σ 高新项目当月完成投资 ÷ 10000", "project_month, projects", "项目推进科"),
    _ind("project_count", "在建投资项目数", "个",
         "报告期内有完成投资的项目个数。", "count(项目 | 1—m月完成投资 > 0)",
         "project_month", "项目推进科"),
    _ind("land_reclaimed", "低效工业用地整治", "亩",
         "当年完成验收的低效工业用地整治面积（收回、收购、企业重组/兼并、提升改造、二次招商）。",
         "Σ 验收日期在当年1—m月内的整治面积", "land_actions", "规划建设科"),
    _ind("major_hazards_open", "未整改重大隐患", "个",
         "截至报告期末尚未整改销号的重大事故隐患个数（越少越好）。",
         "count(重大隐患 | 发现日期 ≤ 期末 且 未整改或整改日期 > 期末)", "hazards", "安全生产科",
         higher_is_better=False, frequency="实时"),
    _ind("accidents", "生产安全事故", "起",
         "报告期内辖区内发生的生产安全事故起数，目标为零。", "count(事故 | 1—m月)",
         "accidents", "安全生产科", higher_is_better=False),
    _ind("risk_score", "化工集聚区安全风险评估得分", "分",
         "化工集聚区安全风险评估得分：A < 60，B 60—70，C 70—85，D ≥ 85（D 类风险最低）。",
         "最近一次评估得分", "risk_assessments", "安全生产科", frequency="年度"),
    _ind("special_bond_approved", "专项债获批额度", "亿元",
         "当年获批的地方政府专项债券资金。", "Σ 获批金额 ÷ 10000", "bond_events", "财政金融科",
         frequency="年度"),
    _ind("reserve_projects", "储备项目数", "个", "当年计划储备的项目个数。", "count(储备项目)",
         "projects", "项目推进科", frequency="年度"),
    _ind("reserve_invest", "储备项目总投资", "亿元", "当年储备项目的计划总投资。",
         "Σ 储备项目计划总投资 ÷ 10000", "projects", "项目推进科", frequency="年度"),
    _ind("bond_reserve_projects", "新增专项债储备项目数", "个", "当年新增的专项债券储备项目个数。",
         "count(专项债储备项目)", "projects", "财政金融科", frequency="年度"),
    _ind("bond_reserve_invest", "专项债储备项目总投资", "亿元", "新增专项债储备项目的计划总投资。",
         "Σ 计划总投资 ÷ 10000", "projects", "财政金融科", frequency="年度"),
    _ind("bond_seek", "拟争取专项债资金", "亿元", "新增专项债储备项目拟争取（申报）的专项债资金。",
         "Σ 申报金额 ÷ 10000", "bond_events", "财政金融科", frequency="年度"),
    _ind("platform_projects", "平台提升项目数", "个", "“1+6+2”平台提质增效行动当年建设的项目个数。",
         "count(平台提升项目)", "projects", "规划建设科", frequency="年度"),
]

BY_ID: dict[str, dict] = {row["indicator_id"]: row for row in INDICATORS}
