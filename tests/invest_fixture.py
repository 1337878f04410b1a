"""A small hand-made dataset for the 投资与项目 and 低效用地 queries (built on tests/tiny.py, own copy).

Projects (as of 2023-06-30, the date most tests use):
  Q1 产业 26 高新: 在谈 2022-03, 签约 2022-06, 开工 2023-02-01; 计划开工 2023-01-15, 计划投产 2023-03-31 (3 months late)
  Q2 产业 38: 谋划 2023-01-05, 在谈 2023-02-01; 计划开工 2023-05-20 (1 month late)
  Q3 基础设施: 开工 2022-09-01, 竣工 2023-04-10 (计划竣工 2023-04-30)
  Q4 产业 26: 投产 2022-10-01 (finished before 2023)
  Q5 产业 38: 谋划 2023-08-01 (after the as-of date); 计划开工 2023-12-01
  Q6 产业 38: 在谈 2023-03-01, 签约 2023-04-01, 开工 2023-06-15; 计划开工 2023-06-01, 计划投产 2024-06-30
  Q7 产业 储备项目 (plan_year 2023, 谋划 2023-03-01, 5000 万元)
  Q8 基础设施 专项债储备项目 (plan_year 2023, 谋划 2023-02-01, 3000 万元), bond B2 申报 2500 on 2023-09-01
  Q9 平台提升 (plan_year 2023): 开工 2023-05-01; 计划开工 2023-04-01, 计划竣工 2023-12-31
  Q10 平台提升 (plan_year 2023): 计划开工 2023-09-01
Land actions: L1 P1 收回 验收 2023-02-10 (10 亩), L2 P2 收购 验收 2023-05-05 (5 亩), L3 P3 提升改造 方案 on
2023-06-30 (8 亩), L4 P4 收回 验收 2022-01-20 (4 亩), L5 P5 二次招商 found 2023-08-01.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import tiny

D = dt.date
N = None

PROJECT_COLS = [
    "project_id",
    "project_name",
    "kind",
    "sector_code",
    "area_code",
    "is_industrial",
    "is_high_tech",
    "is_special_bond",
    "is_reserve",
    "plan_year",
    "total_invest_wan",
    "date_idea",
    "date_talk",
    "date_sign",
    "date_start",
    "date_complete",
    "date_produce",
    "plan_start",
    "plan_produce",
    "note",
]
PROJECTS = [
    (
        "Q1",
        "甲扩建",
        "产业",
        "26",
        "A1",
        True,
        True,
        False,
        False,
        2022,
        1000.0,
        D(2022, 1, 10),
        D(2022, 3, 1),
        D(2022, 6, 1),
        D(2023, 2, 1),
        N,
        N,
        D(2023, 1, 15),
        D(2023, 3, 31),
        "",
    ),
    (
        "Q2",
        "乙新厂",
        "产业",
        "38",
        "A2",
        True,
        False,
        False,
        False,
        2023,
        500.0,
        D(2023, 1, 5),
        D(2023, 2, 1),
        N,
        N,
        N,
        N,
        D(2023, 5, 20),
        D(2024, 12, 31),
        "",
    ),
    (
        "Q3",
        "集中供热",
        "基础设施",
        N,
        "A2",
        False,
        False,
        True,
        False,
        2022,
        800.0,
        D(2022, 5, 1),
        N,
        N,
        D(2022, 9, 1),
        D(2023, 4, 10),
        N,
        D(2022, 9, 1),
        D(2023, 4, 30),
        "",
    ),
    (
        "Q4",
        "甲老项目",
        "产业",
        "26",
        "A1",
        True,
        True,
        False,
        False,
        2021,
        300.0,
        D(2021, 1, 1),
        D(2021, 2, 1),
        D(2021, 3, 1),
        D(2021, 6, 1),
        D(2022, 8, 1),
        D(2022, 10, 1),
        D(2021, 6, 1),
        D(2022, 9, 30),
        "",
    ),
    (
        "Q5",
        "丙新项目",
        "产业",
        "38",
        "A2",
        True,
        False,
        False,
        False,
        2024,
        700.0,
        D(2023, 8, 1),
        N,
        N,
        N,
        N,
        N,
        D(2023, 12, 1),
        D(2025, 6, 30),
        "",
    ),
    (
        "Q6",
        "乙扩产",
        "产业",
        "38",
        "A2",
        True,
        False,
        False,
        False,
        2023,
        2000.0,
        D(2023, 1, 20),
        D(2023, 3, 1),
        D(2023, 4, 1),
        D(2023, 6, 15),
        N,
        N,
        D(2023, 6, 1),
        D(2024, 6, 30),
        "",
    ),
    (
        "Q7",
        "储备甲",
        "产业",
        "26",
        "A1",
        True,
        True,
        False,
        True,
        2023,
        5000.0,
        D(2023, 3, 1),
        N,
        N,
        N,
        N,
        N,
        N,
        N,
        "储备项目",
    ),
    (
        "Q8",
        "管网专项债",
        "基础设施",
        N,
        "A1",
        False,
        False,
        True,
        True,
        2023,
        3000.0,
        D(2023, 2, 1),
        N,
        N,
        N,
        N,
        N,
        N,
        N,
        "专项债储备项目",
    ),
    (
        "Q9",
        "道路提升",
        "平台提升",
        N,
        "A1",
        False,
        False,
        False,
        False,
        2023,
        400.0,
        D(2023, 1, 10),
        N,
        N,
        D(2023, 5, 1),
        N,
        N,
        D(2023, 4, 1),
        D(2023, 12, 31),
        "",
    ),
    (
        "Q10",
        "绿化提升",
        "平台提升",
        N,
        "A2",
        False,
        False,
        False,
        False,
        2023,
        200.0,
        D(2023, 2, 1),
        N,
        N,
        N,
        N,
        N,
        D(2023, 9, 1),
        D(2023, 12, 31),
        "",
    ),
]
PROJECT_MONTH = pd.DataFrame(
    [
        ("Q1", 2022, 3, 100.0, 100.0, 80.0),
        ("Q1", 2023, 1, 200.0, 250.0, 150.0),
        ("Q1", 2023, 2, 100.0, 100.0, 100.0),
        ("Q1", 2023, 7, 50.0, 50.0, 50.0),
        ("Q6", 2023, 6, 300.0, 200.0, 250.0),
        ("Q3", 2022, 10, 400.0, 400.0, 400.0),
        ("Q3", 2023, 3, 100.0, 100.0, 100.0),
    ],
    columns=["project_id", "year", "month", "invest_wan", "plan_wan", "funds_in_wan"],
)
BONDS = pd.DataFrame(
    [
        ("B1", "Q3", 2023, "申报", D(2022, 11, 1), 1000.0),
        ("B1", "Q3", 2023, "获批", D(2023, 2, 15), 800.0),
        ("B1", "Q3", 2023, "到位", D(2023, 3, 1), 600.0),
        ("B1", "Q3", 2023, "到位", D(2023, 8, 1), 200.0),
        ("B1", "Q3", 2023, "支出", D(2023, 4, 1), 150.0),
        ("B1", "Q3", 2023, "支出", D(2023, 6, 20), 150.0),
        ("B1", "Q3", 2023, "支出", D(2023, 7, 10), 100.0),
        ("B2", "Q8", 2024, "申报", D(2023, 9, 1), 2500.0),
    ],
    columns=["bond_id", "project_id", "bond_year", "event", "event_date", "amount_wan"],
)
PARCELS = pd.DataFrame(
    [
        ("P1", "A1", 10.0, 1.0, 1.0, "工业"),
        ("P2", "A2", 25.0, 5.0, 5.0, "工业"),
        ("P3", "A2", 8.0, 6.0, 5.0, "闲置"),
        ("P4", "A1", 4.0, 2.0, 1.0, "闲置"),
        ("P5", "A1", 6.0, 2.0, 2.0, "工业"),
        ("P6", "A2", 12.0, 7.0, 6.0, "闲置"),
    ],
    columns=["parcel_id", "area_code", "area_mu", "x", "y", "land_use"],
)
LAND_COLS = [
    "action_id",
    "parcel_id",
    "area_code",
    "plan_year",
    "method",
    "status",
    "area_mu",
    "date_found",
    "date_plan",
    "date_start",
    "date_accepted",
    "ent_before",
    "mujun_tax_before_wan",
    "new_use",
    "mujun_tax_after_wan",
]
LAND = pd.DataFrame(
    [
        (
            "L1",
            "P1",
            "A1",
            2023,
            "收回",
            "验收",
            10.0,
            D(2022, 11, 1),
            D(2022, 12, 1),
            D(2023, 1, 10),
            D(2023, 2, 10),
            "旧甲",
            1.0,
            "政府收储",
            N,
        ),
        (
            "L2",
            "P2",
            "A2",
            2023,
            "收购",
            "验收",
            5.0,
            D(2022, 12, 1),
            D(2023, 1, 5),
            D(2023, 3, 1),
            D(2023, 5, 5),
            "旧乙",
            2.0,
            "新乙",
            6.0,
        ),
        (
            "L3",
            "P3",
            "A2",
            2023,
            "提升改造",
            "实施",
            8.0,
            D(2023, 1, 10),
            D(2023, 4, 1),
            D(2023, 7, 1),
            N,
            "旧丙",
            3.0,
            "技改",
            N,
        ),
        (
            "L4",
            "P4",
            "A1",
            2022,
            "收回",
            "验收",
            4.0,
            D(2021, 10, 1),
            D(2021, 11, 1),
            D(2021, 12, 1),
            D(2022, 1, 20),
            "旧丁",
            0.5,
            "政府收储",
            N,
        ),
        ("L5", "P5", "A1", 2023, "二次招商", "摸排", 6.0, D(2023, 8, 1), N, N, N, "丁五金", 0.5, "拟招商", N),
    ],
    columns=LAND_COLS,
)


def tables() -> dict[str, pd.DataFrame]:
    t = tiny.tables()
    t["projects"] = pd.DataFrame(PROJECTS, columns=PROJECT_COLS).assign(
        duty_unit="项目推进科", duty_person="甲一", liaison_leader=None
    )
    t["projects"]["ent_id"] = t["projects"]["project_id"].map({"Q1": "E1", "Q4": "E1", "Q2": "E2", "Q6": "E2"})
    t["project_month"] = PROJECT_MONTH
    t["bond_events"] = BONDS
    t["parcels"] = PARCELS.assign(boundary_geojson=None)  # no outlines: the map says so
    t["land_actions"] = LAND
    # E4 丁五金 on P5 (6 亩), 2022 only: tax 1 万元 a month for 3 months → 0.5 万元/亩
    ents = t["enterprises"]
    t["enterprises"] = pd.concat(
        [
            ents,
            pd.DataFrame(
                [
                    {
                        "ent_id": "E4",
                        "ent_name": "丁五金",
                        "sector_code": "15",
                        "area_code": "A1",
                        "parcel_id": "P5",
                        "land_mu": 6.0,
                        "is_above_scale": True,
                        "is_high_tech": False,
                        "first_year": 2022,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    em = t["enterprise_month"]
    extra = em[(em["ent_id"] == "E3")].head(3).copy()
    extra["ent_id"], extra["year"], extra["tax_wan"] = "E4", 2022, 1.0
    t["enterprise_month"] = pd.concat([em, extra], ignore_index=True)
    return t


def write(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, df in tables().items():
        df.to_parquet(directory / f"{name}.parquet", index=False)
    return directory


def open_page(page: str, year: int, month: int):
    """AppTest of the app switched to `page` with the year and as-of month chosen (no exception)."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(page).run()
    at.selectbox(key="year").select(year).run()
    at.selectbox(key="month").select(month).run()
    assert not at.exception, at.exception
    return at
