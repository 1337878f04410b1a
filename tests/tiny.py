"""A tiny hand-made dataset whose query answers are worked out by hand in the tests.

Three enterprises, two years (2022, 2023), three months:
  E1 化工 (26, 新材料, 高新) in A1, 10 亩: 产值 100/月 in 2022, 120/月 in 2023; 增加值 20 → 24
  E2 电气 (38, 新能源及电子信息) in A2, 20 亩: 产值 50 → 40; 增加值 10 → 8
  E3 饮料 (15, 食品饮料) in A2, 5 亩: 2023 only, 产值 30/月, 增加值 6
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

D = dt.date
# ≈ 100 m east × 66.67 m north at 118.38°E 29.05°N (WGS84 there: 97,391.98 m per ° longitude, 110,836.59 m per ° latitude)
BOUNDARY_P1 = (
    '{"type":"Polygon","coordinates":[[[118.38,29.05],[118.3810265,29.05],[118.3810265,29.0506015],'
    "[118.38,29.0506015],[118.38,29.05]]]}"
)


def tables() -> dict[str, pd.DataFrame]:
    sectors = pd.DataFrame(
        {
            "sector_code": ["26", "38", "15"],
            "sector_name": ["化学原料和化学制品制造业", "电气机械和器材制造业", "酒、饮料和精制茶制造业"],
            "chain": ["新材料", "新能源及电子信息", "食品饮料"],
            "is_high_tech": [True, False, False],
        }
    )
    areas = pd.DataFrame(
        {
            "area_code": ["A1", "A2"],
            "area_name": ["化工集聚区", "朝阳工业片区"],
            "park": ["新材料新装备产业园", "朝阳"],
            "is_chemical_cluster": [True, False],
        }
    )
    parcels = pd.DataFrame(
        {
            "parcel_id": ["P1", "P2"],
            "area_code": ["A1", "A2"],
            "area_mu": [10.0, 25.0],
            "x": [1.0, 5.0],
            "y": [1.0, 5.0],
            "land_use": ["工业", "工业"],
            # P1: a rectangle of 10 亩 (6,666.67 m²) near 开化; P2 has no boundary
            "boundary_geojson": [BOUNDARY_P1, None],
        }
    )
    enterprises = pd.DataFrame(
        {
            "ent_id": ["E1", "E2", "E3"],
            "ent_name": ["甲化工", "乙电气", "丙饮料"],
            "sector_code": ["26", "38", "15"],
            "area_code": ["A1", "A2", "A2"],
            "parcel_id": ["P1", "P2", "P2"],
            "land_mu": [10.0, 20.0, 5.0],
            "is_above_scale": [True, True, True],
            "is_high_tech": [True, False, False],
            "first_year": [2010, 2015, 2023],
        }
    )
    rows = []
    plan = {"E1": {2022: (100, 20), 2023: (120, 24)}, "E2": {2022: (50, 10), 2023: (40, 8)}, "E3": {2023: (30, 6)}}
    for ent, years in plan.items():
        for year, (out, va) in years.items():
            for month in (1, 2, 3):
                rows.append(
                    {
                        "ent_id": ent,
                        "year": year,
                        "month": month,
                        "output_wan": float(out),
                        "value_added_wan": float(va),
                        "revenue_wan": float(out),
                        "tax_wan": out * 0.05,
                        "energy_tce": 1.0,
                        "emission_t": 0.1,
                        "power_10k_kwh": 1.0,
                        "employees": 10,
                        "rd_wan": 1.0,
                    }
                )
    enterprise_month = pd.DataFrame(rows)
    county_month = pd.DataFrame(
        {
            "year": [2022] * 3 + [2023] * 3,
            "month": [1, 2, 3] * 2,
            "county_output_wan": [800.0] * 3 + [1000.0] * 3,
        }
    )
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "project_name": ["甲扩建", "集中供热", "乙新厂"],
            "kind": ["产业", "基础设施", "产业"],
            "sector_code": ["26", None, "38"],
            "area_code": ["A1", "A2", "A2"],
            "is_industrial": [True, False, True],
            "is_high_tech": [True, False, False],
            "is_special_bond": [False, True, False],
            "is_reserve": [False, False, False],
            "plan_year": [2022, 2022, 2023],
            "total_invest_wan": [1000.0, 500.0, 700.0],
        }
    )
    project_month = pd.DataFrame(
        {
            "project_id": ["P1", "P1", "P2", "P3", "P1", "P2"],
            "year": [2023, 2023, 2023, 2023, 2022, 2022],
            "month": [1, 2, 1, 3, 1, 2],
            "invest_wan": [100.0, 100.0, 50.0, 70.0, 80.0, 40.0],
            "plan_wan": [100.0, 100.0, 50.0, 70.0, 80.0, 40.0],
            "funds_in_wan": [90.0, 90.0, 50.0, 70.0, 80.0, 40.0],
        }
    )
    land_actions = pd.DataFrame(
        {
            "action_id": ["L1", "L2", "L3", "L4"],
            "parcel_id": ["P1", "P2", "P2", "P1"],
            "area_code": ["A1", "A2", "A2", "A1"],
            "plan_year": [2023, 2023, 2023, 2022],
            "method": ["收回", "收购", "提升改造", "收回"],
            "status": ["验收", "验收", "实施", "验收"],
            "area_mu": [10.0, 5.0, 8.0, 4.0],
            "date_accepted": [D(2023, 2, 10), D(2023, 3, 5), None, D(2022, 1, 20)],
        }
    )
    hazards = pd.DataFrame(
        {
            "hazard_id": ["H1", "H2", "H3", "H4", "H5"],
            "ent_id": ["E1", "E1", "E2", "E2", "E1"],
            "area_code": ["A1", "A1", "A2", "A2", "A1"],
            "level": ["重大", "重大", "重大", "一般", "重大"],
            "category": ["危化品", "电气焊", "用电", "消防", "有限空间"],
            "source": ["专项排查"] * 5,
            "found_date": [D(2023, 1, 5), D(2023, 2, 1), D(2023, 2, 10), D(2023, 1, 10), D(2023, 3, 1)],
            "deadline": [D(2023, 2, 5), D(2023, 2, 15), D(2023, 3, 31), D(2023, 1, 20), D(2023, 4, 1)],
            "rectified_date": [D(2023, 2, 20), None, None, None, None],
            "description": ["储罐区报警仪未校验", "动火未审批", "私拉电线", "灭火器过期", "未通风检测"],
        }
    )
    # 培训 / 演练 and the 化工集聚区 assessments (used by the 安全生产 queries only)
    trainings = pd.DataFrame(
        {
            "training_id": ["T1", "T2"],
            "training_date": [D(2023, 1, 15), D(2022, 3, 5)],
            "kind": ["培训", "演练"],
            "topic": ["消防安全知识培训", "危化品泄漏应急演练"],
            "area_code": ["A1", "A2"],
            "participants": [100, 30],
        }
    )
    risk_assessments = pd.DataFrame(
        {
            "park": ["化工集聚区"] * 2,
            "assess_date": [D(2022, 6, 1), D(2023, 1, 20)],
            "assessor": ["自评", "省应急厅评估"],
            "score": [68.0, 72.5],
            "grade": ["B", "C"],
        }
    )
    accidents = pd.DataFrame(
        {
            "accident_id": ["S1"],
            "accident_date": [D(2022, 2, 10)],
            "ent_id": ["E2"],
            "area_code": ["A2"],
            "kind": ["机械伤害"],
            "deaths": [0],
            "injuries": [1],
            "loss_wan": [3.0],
        }
    )
    bond_events = pd.DataFrame(
        {
            "bond_id": ["B1"] * 3,
            "project_id": ["P2"] * 3,
            "bond_year": [2023] * 3,
            "event": ["申报", "获批", "到位"],
            "event_date": [D(2023, 1, 10), D(2023, 2, 15), D(2023, 3, 1)],
            "amount_wan": [1000.0, 800.0, 800.0],
        }
    )
    targets = pd.DataFrame(
        {
            "year": [2023, 2023],
            "indicator_id": ["output", "fai"],
            "scope_kind": ["全区", "全区"],
            "scope_code": ["", ""],
            "target_value": [0.1, 0.05],
            "source": ["测试", "测试"],
        }
    )
    # the rest of the documented columns (data/README.md), empty, so every query binds on this data too
    for col in (
        "date_idea",
        "date_talk",
        "date_sign",
        "date_start",
        "date_complete",
        "date_produce",
        "plan_start",
        "plan_produce",
    ):
        projects[col] = pd.Series([None] * len(projects), dtype="datetime64[ns]")
    projects["note"] = ""
    projects["duty_unit"] = ["项目推进科", "规划建设科", "招商服务中心"]
    projects["duty_person"] = ["甲一", "乙二", None]
    projects["liaison_leader"] = ["丙主任", None, None]
    hazards["rectify_person"] = ["张安全", "张安全", "李安全", "李安全", "张安全"]
    hazards["supervise_office"] = ["安全生产科"] * 5
    projects["ent_id"] = ["E1", None, "E2"]  # 甲扩建 by 甲化工, 乙新厂 by 乙电气; 集中供热 has no enterprise
    for col in ("date_found", "date_plan", "date_start"):
        land_actions[col] = pd.Series([None] * len(land_actions), dtype="datetime64[ns]")
    land_actions["ent_before"] = ""
    land_actions["new_use"] = ""
    land_actions["mujun_tax_before_wan"] = float("nan")
    land_actions["mujun_tax_after_wan"] = float("nan")
    return {
        "sectors": sectors,
        "areas": areas,
        "parcels": parcels,
        "enterprises": enterprises,
        "enterprise_month": enterprise_month,
        "county_month": county_month,
        "projects": projects,
        "project_month": project_month,
        "land_actions": land_actions,
        "hazards": hazards,
        "accidents": accidents,
        "targets": targets,
        "bond_events": bond_events,
        "trainings": trainings,
        "risk_assessments": risk_assessments,
    }


def write(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, df in tables().items():
        df.to_parquet(directory / f"{name}.parquet", index=False)
    return directory
