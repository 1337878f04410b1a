"""The shipped sample reproduces the 2023 work summary, computed through the pages' own named queries."""

import pytest

from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import metrics

YEAR_2023 = {"year": 2023, "month": 12, "scope": EVERYTHING}


def rows(db, name):
    df = db.run(name, YEAR_2023)
    return {int(r["year"]): r for _, r in df.iterrows()}


def yi(wan):
    return round(wan / 10000, 2)


def test_industry_2023(real_db):
    """Test 规上产值 136.65 亿元, 增加值 23.19, 高新 19.43 (83.8 %), 亩均 109.63 万元/亩, 89.8 % of the county."""
    r = rows(real_db, "industry_kpis")[2023]
    assert yi(r["output_wan"]) == 136.65
    assert yi(r["value_added_wan"]) == 23.19
    assert yi(r["high_tech_va_wan"]) == 19.43
    assert round(metrics.share(r["high_tech_va_wan"], r["value_added_wan"]), 1) == 83.8
    assert round(r["mujun_va_wan_per_mu"], 2) == 109.63
    assert round(metrics.share(r["output_wan"], r["county_output_wan"]), 1) == 89.8


def test_investment_2023(real_db):
    """Test 90 projects, 固投 20.47 亿元 (+35.6 %), 工业 15.09 (+14.4 %), 高新 9.06 (+58.8 %)."""
    r = rows(real_db, "investment_kpis")
    cur, prev = r[2023], r[2022]
    assert int(cur["project_count"]) == 90
    for col, level, growth in [
        ("fai_wan", 20.47, 35.6),
        ("industrial_invest_wan", 15.09, 14.4),
        ("high_tech_invest_wan", 9.06, 58.8),
    ]:
        assert yi(cur[col]) == level, col
        assert round(metrics.yoy(cur[col], prev[col]), 1) == growth, col


def test_safety_2023_zero_accidents(real_db):
    """Test that 2023 had no production-safety accident."""
    assert rows(real_db, "safety_accidents")[2023]["accidents"] == 0


@pytest.mark.parametrize(
    "name",
    [
        "industry_kpis",
        "investment_kpis",
        "land_kpis",
        "hazard_totals",
        "safety_accidents",
        "output_trend",
        "output_by_chain",
    ],
)
def test_every_overview_query_answers_on_the_shipped_data(real_db, name):
    """Test that the 总览 queries return rows for 2024 1—9月 on the shipped data."""
    assert len(real_db.run(name, {**YEAR_2023, "year": 2024, "month": 9})) > 0


def test_special_bonds_2023(real_db):
    """Test that 2023's approved 专项债 add up to 3.43 亿元."""
    df = real_db.run("bond_totals", YEAR_2023).set_index("event")
    assert yi(df.loc["获批", "amount_wan"]) == 3.43
