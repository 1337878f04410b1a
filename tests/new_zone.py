"""A second, synthetic zone built from scratch: 青山经济开发区, sharing no code with the sample.

Its own 片区 (QS01–QS03), sectors 13 / 36 / 39 / 40 with its own 产业链 names, no 化工集聚区, four enterprises,
monthly statistics 2023-02 … 2025-06 (February holds 1—2月 combined, January is never reported):
  - the onboarding workbook carries 片区, 行业与产业链, 地块, 企业名录, 企业月度数据 2023-02 … 2025-03, 全县月度数据,
    工业生产者出厂价格指数, 项目库, 项目月度投资, 低效用地整治, 安全隐患, 培训演练, 年度目标;
  - 2025-04 arrives as a GB18030 CSV of 当月 values;
  - 2025-05 and 2025-06 arrive as one file of 1—本月累计 values.

Every enterprise reports the same 当月 产值 each month of a year (twice that in February):
    E1 食品 (13, QS01, 40 亩)  1,000 / 1,100 / 1,200 万元 in 2023 / 2024 / 2025
    E2 汽车 (36, QS01, 20 亩)    500 /   550 /   600
    E3 终端 (39, QS02, 30 亩, 高新) 250 / 275 / 300
    E4 仪器 (40, QS03, 10 亩, 高新) 125 / 137.5 / 150
增加值 = 20 % of 产值. So 2025年1—6月 (six months' worth): 产值 6 × 2,250 = 13,500 万元 = 1.35 亿元, 2024年1—6月
12,375 万元, 同比 +9.1 %; 增加值 2,700 万元 = 0.27 亿元; 高新 增加值 (E3 + E4) 6 × 90 = 540 万元, share 20.0 %;
亩均增加值 2,700 / 100 亩 = 27.00 万元/亩 (2024: 24.75, +9.1 %).
Projects: XM-QS-01 (industrial, 高新) 250 万元 a month 2024-03 … 2025-06; XM-QS-02 (infrastructure) 150 万元 a month
2024-05 … 2025-03. 2025年1—6月 固定资产投资 6 × 250 + 3 × 150 = 1,950 万元 = 0.20 亿元, 工业投资 1,500 万元 = 0.15 亿元.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from cockpit.data.schema import SPECS

D = dt.date
NAME, SHORT, COUNTY = "青山经济开发区", "青山经开区", "青山县"
ENTS = {  # ent_id: (name, sector, area, parcel, land, high tech, 当月产值 by year)
    "91339900MA2QY0001A": (
        "青山粮油食品有限公司",
        "13",
        "QS01",
        "P-QS01-01",
        40.0,
        False,
        {2023: 1000.0, 2024: 1100.0, 2025: 1200.0},
    ),
    "91339900MA2QY0002B": (
        "青山汽车零部件有限公司",
        "36",
        "QS01",
        "P-QS01-02",
        20.0,
        False,
        {2023: 500.0, 2024: 550.0, 2025: 600.0},
    ),
    "91339900MA2QY0003C": (
        "青山智能终端有限公司",
        "39",
        "QS02",
        "P-QS02-01",
        30.0,
        True,
        {2023: 250.0, 2024: 275.0, 2025: 300.0},
    ),
    "91339900MA2QY0004D": (
        "青山精密仪器有限公司",
        "40",
        "QS03",
        "P-QS03-01",
        10.0,
        True,
        {2023: 125.0, 2024: 137.5, 2025: 150.0},
    ),
}
MONTHS = [(y, m) for y in (2023, 2024, 2025) for m in range(2, 13) if (y, m) <= (2025, 6)]
TODAY = D(2026, 12, 1)


def _headed(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows keyed by column name → a frame with the template's Chinese headers (declared order)."""
    spec = SPECS[table]
    df = pd.DataFrame(rows, columns=spec.names)
    return df.rename(columns={c.name: c.header for c in spec.columns})


def areas() -> pd.DataFrame:
    return _headed(
        "areas",
        [
            dict(area_code="QS01", area_name="北区", park="青山产业园", is_chemical_cluster="否"),
            dict(area_code="QS02", area_name="南区", park="青山产业园", is_chemical_cluster="否"),
            dict(area_code="QS03", area_name="东区", park=None, is_chemical_cluster="否"),
        ],
    )


def sectors() -> pd.DataFrame:
    return _headed(
        "sectors",
        [
            dict(sector_code="13", sector_name="农副食品加工业", chain="绿色食品", is_high_tech="否"),
            dict(sector_code="36", sector_name="汽车制造业", chain="汽车零部件", is_high_tech="否"),
            dict(sector_code="39", sector_name="计算机、通信和其他电子设备制造业", chain="智能终端", is_high_tech="是"),
            dict(sector_code="40", sector_name="仪器仪表制造业", chain="精密仪器", is_high_tech="是"),
        ],
    )


def parcels() -> pd.DataFrame:
    return _headed(
        "parcels",
        [
            dict(parcel_id=p, area_code=a, area_mu=mu, x=x, y=y, land_use="工业")
            for p, a, mu, x, y in (
                ("P-QS01-01", "QS01", 40.0, 1.0, 1.0),
                ("P-QS01-02", "QS01", 20.0, 3.0, 1.0),
                ("P-QS02-01", "QS02", 30.0, 1.0, 5.0),
                ("P-QS03-01", "QS03", 10.0, None, None),
            )
        ],
    )


def enterprises() -> pd.DataFrame:
    return _headed(
        "enterprises",
        [
            dict(
                ent_id=e,
                ent_name=n,
                sector_code=s,
                area_code=a,
                parcel_id=p,
                land_mu=mu,
                is_above_scale="是",
                is_high_tech="是" if ht else "否",
                first_year=2015,
            )
            for e, (n, s, a, p, mu, ht, _) in ENTS.items()
        ],
    )


def monthly_value(ent: str, year: int, month: int) -> float:
    """当月产值: the year's level, twice that in February (1—2月 combined)."""
    level = ENTS[ent][6][year]
    return level * (2 if month == 2 else 1)


def month_rows(months) -> list[dict]:
    rows = []
    for y, m in months:
        for e in ENTS:
            out = monthly_value(e, y, m)
            rows.append(
                dict(
                    ent_id=e,
                    year=y,
                    month=m,
                    output_wan=out,
                    value_added_wan=out * 0.2,
                    revenue_wan=out * 1.05,
                    tax_wan=out * 0.05,
                    energy_tce=out * 0.1,
                    emission_t=out * 0.001,
                    power_10k_kwh=out * 0.05,
                    employees=100,
                    rd_wan=out * 0.02,
                )
            )
    return rows


def enterprise_month(months) -> pd.DataFrame:
    return _headed("enterprise_month", month_rows(months))


def cumulative_file(months) -> pd.DataFrame:
    """Months of enterprise_month as the statistics bureau sends them: 1—本月累计 for every flow column."""
    spec = SPECS["enterprise_month"]
    flows = [c for c in spec.columns if c.flow]
    rows = []
    for r in month_rows(months):
        y, m = r["year"], r["month"]
        ytd = pd.DataFrame(month_rows([(y, k) for k in range(2, m + 1)]))
        ytd = ytd[ytd["ent_id"] == r["ent_id"]]
        row = {"统一社会信用代码": r["ent_id"], "年份": y, "月份": m, "从业人员期末人数（人）": r["employees"]}
        for c in flows:
            row[c.ytd_header] = round(float(ytd[c.name].sum()), 4)
        rows.append(row)
    return pd.DataFrame(rows)


def county_month() -> pd.DataFrame:
    return _headed(
        "county_month", [dict(year=y, month=m, county_output_wan=40000.0 if m == 2 else 20000.0) for y, m in MONTHS]
    )


def price_index() -> pd.DataFrame:
    return _headed(
        "price_index", [dict(year=2025, month=m, ppi_yoy_month=98.5 + m / 10, ppi_yoy_ytd=None) for m in (2, 3)]
    )


def projects() -> pd.DataFrame:
    return _headed(
        "projects",
        [
            dict(
                project_id="XM-QS-01",
                project_name="智能终端扩产项目",
                kind="产业",
                sector_code="39",
                area_code="QS02",
                is_industrial="是",
                is_high_tech="是",
                is_special_bond="否",
                is_reserve="否",
                plan_year=2024,
                total_invest_wan=5000.0,
                date_idea=D(2023, 5, 1),
                date_talk=D(2023, 6, 1),
                date_sign=D(2023, 8, 1),
                date_start=D(2024, 3, 1),
                plan_start=D(2024, 3, 1),
                plan_produce=D(2026, 6, 30),
            ),
            dict(
                project_id="XM-QS-02",
                project_name="北区道路工程",
                kind="基础设施",
                sector_code=None,
                area_code="QS01",
                is_industrial="否",
                is_high_tech="否",
                is_special_bond="否",
                is_reserve="否",
                plan_year=2024,
                total_invest_wan=2000.0,
                date_idea=D(2023, 9, 1),
                date_start=D(2024, 5, 1),
                date_complete=D(2025, 3, 31),
                plan_start=D(2024, 5, 1),
                plan_produce=D(2025, 3, 31),
            ),
        ],
    )


def project_month() -> pd.DataFrame:
    rows = [
        dict(project_id="XM-QS-01", year=y, month=m, invest_wan=250.0, plan_wan=260.0, funds_in_wan=240.0)
        for y, m in [(2024, m) for m in range(3, 13)] + [(2025, m) for m in range(1, 7)]
    ]
    rows += [
        dict(project_id="XM-QS-02", year=y, month=m, invest_wan=150.0, plan_wan=150.0, funds_in_wan=150.0)
        for y, m in [(2024, m) for m in range(5, 13)] + [(2025, m) for m in range(1, 4)]
    ]
    return _headed("project_month", rows)


def land_actions() -> pd.DataFrame:
    return _headed(
        "land_actions",
        [
            dict(
                action_id="DX-QS-01",
                parcel_id="P-QS03-01",
                area_code="QS03",
                plan_year=2025,
                method="提升改造",
                status="验收",
                area_mu=5.0,
                date_found=D(2024, 11, 1),
                date_plan=D(2024, 12, 1),
                date_start=D(2025, 1, 10),
                date_accepted=D(2025, 4, 15),
                ent_before="青山精密仪器有限公司",
                mujun_tax_before_wan=3.0,
            )
        ],
    )


def hazards() -> pd.DataFrame:
    e = list(ENTS)
    return _headed(
        "hazards",
        [
            dict(
                hazard_id="YH-QS-1",
                ent_id=e[0],
                area_code="QS01",
                level="重大",
                category="消防",
                source="专项排查",
                found_date=D(2025, 3, 1),
                deadline=D(2025, 4, 30),
                description="消防通道堵塞",
            ),
            dict(
                hazard_id="YH-QS-2",
                ent_id=e[1],
                area_code="QS01",
                level="一般",
                category="用电",
                source="日常巡查",
                found_date=D(2025, 2, 10),
                deadline=D(2025, 3, 10),
                rectified_date=D(2025, 3, 1),
            ),
            dict(
                hazard_id="YH-QS-3",
                ent_id=e[2],
                area_code="QS02",
                level="一般",
                category="其他",
                source="专家检查",
                found_date=D(2025, 6, 1),
                deadline=D(2025, 8, 31),
            ),
        ],
    )


def trainings() -> pd.DataFrame:
    return _headed(
        "trainings",
        [
            dict(
                training_id="PX-QS-1",
                training_date=D(2025, 3, 15),
                kind="培训",
                topic="安全生产法培训",
                area_code=None,
                participants=120,
            ),
            dict(
                training_id="PX-QS-2",
                training_date=D(2025, 5, 20),
                kind="演练",
                topic="消防疏散演练",
                area_code="QS02",
                participants=60,
            ),
        ],
    )


def targets() -> pd.DataFrame:
    return _headed(
        "targets",
        [
            dict(
                year=2025,
                indicator_id="output",
                scope_kind="全区",
                scope_code=None,
                target_value=3.0,
                source="年度计划",
            ),
            dict(
                year=2025,
                indicator_id="value_added",
                scope_kind="全区",
                scope_code=None,
                target_value=0.6,
                source="年度计划",
            ),
            dict(
                year=2025,
                indicator_id="output",
                scope_kind="产业链",
                scope_code="智能终端",
                target_value=0.4,
                source="年度计划",
            ),
            dict(
                year=2025,
                indicator_id="output",
                scope_kind="片区",
                scope_code="QS01",
                target_value=2.2,
                source="年度计划",
            ),
        ],
    )


SHEETS = {  # table → frame of the onboarding workbook
    "areas": areas,
    "sectors": sectors,
    "parcels": parcels,
    "enterprises": enterprises,
    "enterprise_month": lambda: enterprise_month([k for k in MONTHS if k <= (2025, 3)]),
    "county_month": county_month,
    "price_index": price_index,
    "projects": projects,
    "project_month": project_month,
    "land_actions": land_actions,
    "hazards": hazards,
    "trainings": trainings,
    "targets": targets,
}


def fill_workbook(template: bytes, sheets: dict[str, pd.DataFrame]) -> bytes:
    """The onboarding workbook `template` with rows written under the headers of the named sheets."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template))
    for table, df in sheets.items():
        ws = wb[SPECS[table].title]
        headers = [c.value for c in ws[1]]
        assert headers == list(df.columns), (table, headers, list(df.columns))
        for row in df.itertuples(index=False):
            ws.append([None if (v is None or (isinstance(v, float) and pd.isna(v))) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def onboarding(template: bytes) -> bytes:
    return fill_workbook(template, {t: make() for t, make in SHEETS.items()})


def write_monthly_files(folder: Path) -> tuple[Path, Path]:
    """2025-04 as a GB18030 CSV of 当月 values; 2025-05 and 2025-06 as one CSV of 1—本月累计 values."""
    april = folder / "2025年4月企业月报.csv"
    enterprise_month([(2025, 4)]).to_csv(april, index=False, encoding="gb18030")
    may_june = folder / "2025年5—6月企业月报（累计）.csv"
    cumulative_file([(2025, 5), (2025, 6)]).to_csv(may_june, index=False, encoding="utf-8-sig")
    return april, may_june


# the 总览 of 2025年1—6月, worked out by hand above
EXPECTED_OVERVIEW = {
    "规上工业产值": "1.35 亿元",
    "规上工业增加值": "0.27 亿元",
    "高新技术产业增加值占比": "20.0%",
    "规上工业亩均增加值": "27.00 万元/亩",
    "固定资产投资": "0.20 亿元",
    "工业投资": "0.15 亿元",
    "生产安全事故": "0 起",
}
EXPECTED_OUTPUT_YOY = "+9.1%"
