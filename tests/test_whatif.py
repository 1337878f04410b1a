"""目标推演 arithmetic (cockpit.domain.whatif) and its queries, on small hand-computed cases."""

import pandas as pd
import pytest

from cockpit.data.config import StatusRule
from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import whatif
from cockpit.domain.metrics import Status

RULE = StatusRule(yellow_points=10.0)


def monthly() -> pd.DataFrame:
    """规上产值 当月 (亿元): 2023 months 1—9 = 8, months 10/11/12 = 9/10/11; 2024 months 1—8 = 10, 9 = 15."""
    rows = [("output", 2023, m, 8.0) for m in range(1, 10)]
    rows += [("output", 2023, 10, 9.0), ("output", 2023, 11, 10.0), ("output", 2023, 12, 11.0)]
    rows += [("output", 2024, m, 10.0) for m in range(1, 9)] + [("output", 2024, 9, 15.0)]
    return pd.DataFrame(rows, columns=["indicator_id", "year", "month", "value"])


def seek(target, year=2024, month=9, df=None):
    return whatif.goal_seek(
        monthly() if df is None else df, indicator_id="output", target=target, year=year, month=month, rule=RULE
    )


def test_goal_seek_required_growth_and_run_rate():
    """Test that YTD 95, last year's 10—12月 30 and target 128 need +10 % and 11 亿元 a month."""
    g = seek(128.0)
    assert g.ytd == 95.0 and g.ly_remaining == 30.0 and g.remaining_months == 3
    assert g.required_growth == pytest.approx(10.0)  # 33 / 30 − 1
    assert g.monthly_needed == pytest.approx(11.0)  # 33 / 3
    assert g.completion == pytest.approx(95 / 128 * 100)
    assert g.progress == 75.0 and g.status == Status.YELLOW  # 74.2 % vs 75 %
    assert g.best_month == 15.0 and g.best_label == "2024年9月"
    assert g.vs_best == pytest.approx(11 / 15 * 100)
    assert "后三个月需同比增长 10.0%，月均 11.00 亿元" in g.sentence


def test_goal_seek_target_already_reached():
    """Test that a target below the YTD needs nothing more and says by how much it is exceeded."""
    g = seek(90.0)
    assert g.gap == -5.0 and g.required_growth is None and g.monthly_needed == 0.0
    assert g.status == Status.GREEN
    assert "已完成全年目标，超出 5.00 亿元" in g.sentence


def test_goal_seek_last_year_remaining_is_zero():
    """Test that zero last-year remaining months give no growth rate but still a run-rate."""
    df = monthly()
    df = df[~((df["year"] == 2023) & (df["month"] >= 10))]
    g = seek(128.0, df=df)
    assert g.ly_remaining == 0.0 and g.required_growth is None
    assert g.monthly_needed == pytest.approx(11.0)
    assert "上年同期后三个月为零" in g.sentence and "月均 11.00 亿元" in g.sentence


def test_goal_seek_negative_growth_suffices():
    """Test that target 116 (gap 21 against last year's 30) allows a 30 % decline."""
    g = seek(116.0)
    assert g.required_growth == pytest.approx(-30.0)
    assert "同比下降不超过 30.0% 即可完成目标" in g.sentence


def test_goal_seek_mid_year_as_of_month():
    """Test that as of 6月 the YTD, the remaining six months and the best month stop at June."""
    g = seek(128.0, month=6)
    assert g.ytd == 60.0 and g.remaining_months == 6
    assert g.ly_remaining == 8 * 3 + 9 + 10 + 11  # 7—12月 of 2023 = 54
    assert g.required_growth == pytest.approx((68 / 54 - 1) * 100)  # (128 − 60) / 54 − 1
    assert g.monthly_needed == pytest.approx(68 / 6)
    assert g.best_month == 11.0 and g.best_label == "2023年12月"  # 2024年9月 (15) not yet on record
    assert g.progress == 50.0
    assert "后六个月需同比增长 25.9%" in g.sentence


def test_goal_seek_year_over():
    """Test that as of 12月 there are no remaining months and the shortfall is stated."""
    g = seek(110.0, year=2023, month=12)
    assert g.ytd == 102.0 and g.remaining_months == 0 and g.monthly_needed is None
    assert "全年已结束，距目标差 8.00 亿元" in g.sentence


def test_goal_seek_without_target_is_none():
    """Test that a missing or non-positive target gives no goal seek."""
    assert seek(None) is None and seek(0.0) is None


def chain_monthly() -> pd.DataFrame:
    """新材料: 100 万元/月 in 2023, 110 in 2024 1—9月 (all 高新); 食品饮料: 50 → 40 (no 高新); 增加值 = 产值 / 5."""
    rows = []
    for chain, ly, cur, hitech in (("新材料", 100.0, 110.0, True), ("食品饮料", 50.0, 40.0, False)):
        for year, value, months in ((2023, ly, range(1, 13)), (2024, cur, range(1, 10))):
            for m in months:
                rows.append(
                    {
                        "chain": chain,
                        "year": year,
                        "month": m,
                        "output_wan": value,
                        "value_added_wan": value / 5,
                        "high_tech_va_wan": value / 5 if hitech else 0.0,
                    }
                )
    return pd.DataFrame(rows)


def test_projection_per_chain_and_totals():
    """Test that +10 % / −20 % on last year's 10—12月 give the hand-computed annual, 同比, 拉动 and 高新占比."""
    base = whatif.chain_base(chain_monthly(), year=2024, month=9)
    assert list(base["chain"]) == ["新材料", "食品饮料"]
    assert base["yoy_ytd"].tolist() == pytest.approx([10.0, -20.0])
    proj = whatif.project(base, {"新材料": 10.0, "食品饮料": -20.0}).set_index("chain")
    assert proj.loc["新材料", "output_wan_proj"] == pytest.approx(990 + 330)
    assert proj.loc["食品饮料", "output_wan_proj"] == pytest.approx(360 + 120)
    assert proj.loc["新材料", "pull_pp"] == pytest.approx(120 / 1800 * 100)
    assert proj.loc["食品饮料", "pull_pp"] == pytest.approx(-120 / 1800 * 100)
    total = whatif.summarize(proj.reset_index(), {"output": 0.2})
    assert total.output == pytest.approx(0.18) and total.output_yoy == pytest.approx(0.0)
    assert total.value_added == pytest.approx(0.036)
    assert total.high_tech_share == pytest.approx(264 / 360 * 100)
    assert total.output_completion == pytest.approx(90.0)
    assert total.value_added_completion is None


def test_projection_unknown_chain_defaults_to_zero_growth():
    """Test that a chain missing from the assumptions repeats last year's remaining months."""
    proj = whatif.project(whatif.chain_base(chain_monthly(), year=2024, month=9), {})
    assert proj["output_wan_proj"].tolist() == pytest.approx([990 + 300, 360 + 150])


def test_projected_path_joins_actual_and_projection():
    """Test that the path is 累计 actual to 9月, then projected months starting from the 9月 point."""
    path = whatif.projected_path(chain_monthly(), {"新材料": 10.0, "食品饮料": -20.0}, year=2024, month=9)
    actual = path[path["kind"] == "实际"]
    proj = path[path["kind"] == "推演"]
    assert actual["ytd"].tolist() == pytest.approx([0.015 * m for m in range(1, 10)])
    assert proj["month"].tolist() == [9, 10, 11, 12]
    assert proj["ytd"].tolist() == pytest.approx([0.135, 0.150, 0.165, 0.180])


def test_sensitivity_grid_completion_and_status():
    """Test that the grid's 完成率 and light follow YTD + last year's rest × (1 + g) against the target."""
    targets = pd.DataFrame({"indicator_id": ["output"], "target_value": [128.0]})
    grid = whatif.sensitivity(monthly(), targets, year=2024, month=9, rule=RULE, growths=(-50.0, 0.0, 10.0)).set_index(
        "growth_pct"
    )
    assert grid.loc[0.0, "projected"] == 125.0
    assert grid.loc[0.0, "completion"] == pytest.approx(125 / 128 * 100)
    assert grid["status"].tolist() == ["red", "yellow", "green"]  # 85.9 %, 97.7 %, 100 %


def test_cn_count():
    """Test that month counts read as Chinese numerals."""
    assert [whatif.cn_count(n) for n in (1, 3, 10, 11)] == ["一", "三", "十", "十一"]


def test_whatif_monthly_query_on_tiny(tiny_db):
    """Test that the goal-seek query gives the tiny data's 当月 values in 亿元 and 亩."""
    everything = {"scope": EVERYTHING}
    df = tiny_db.run("whatif_monthly", {"year": 2023, **everything})
    v = {(r.indicator_id, r.year, r.month): r.value for r in df.itertuples()}
    assert v[("output", 2023, 1)] == pytest.approx((120 + 40 + 30) / 1e4)
    assert v[("output", 2022, 3)] == pytest.approx((100 + 50) / 1e4)
    assert v[("high_tech_va", 2023, 2)] == pytest.approx(24 / 1e4)
    assert v[("fai", 2023, 1)] == pytest.approx(150 / 1e4)
    assert v[("industrial_invest", 2023, 1)] == pytest.approx(100 / 1e4)
    assert v[("high_tech_invest", 2023, 3)] == pytest.approx(0.0)
    assert v[("land_reclaimed", 2023, 2)] == 10.0 and v[("land_reclaimed", 2022, 1)] == 4.0
    assert tiny_db.run("whatif_monthly", {"year": 2022, **everything})["year"].max() == 2022
    chain = tiny_db.run("whatif_monthly", {"year": 2023, **everything, "chains": ["新材料"]})
    v = {(r.indicator_id, r.year, r.month): r.value for r in chain.itertuples()}
    assert v[("output", 2023, 1)] == pytest.approx(120 / 1e4)  # E1 only
    assert v[("land_reclaimed", 2023, 2)] == 10.0  # 低效用地 follows 片区 only


def test_whatif_chain_monthly_query_on_tiny(tiny_db):
    """Test that the slider inputs split 产值, 增加值 and 高新增加值 by 产业链 for the year and the one before."""
    df = tiny_db.run("whatif_chain_monthly", {"year": 2023})
    v = {(r.chain, r.year, r.month): r for r in df.itertuples()}
    assert v[("新材料", 2023, 1)].output_wan == 120 and v[("新材料", 2023, 1)].high_tech_va_wan == 24
    assert v[("食品饮料", 2023, 2)].value_added_wan == 6 and v[("食品饮料", 2023, 2)].high_tech_va_wan == 0
    assert v[("新能源及电子信息", 2022, 3)].output_wan == 50
    assert ("食品饮料", 2022, 1) not in v
    assert len(df) == 3 * 3 + 2 * 3


def test_targets_of_year_query_on_tiny(tiny_db):
    """Test that the 目标表 query lists every target of the year with its source."""
    df = tiny_db.run("targets_of_year", {"year": 2023})
    assert sorted(df["indicator_id"]) == ["fai", "output"]
    assert set(df["source"]) == {"测试"}
    assert tiny_db.run("targets_of_year", {"year": 2022}).empty


def test_goal_table_leaves_undefined_cells_blank():
    """Test that a reached target's undefined required growth is a blank number, not the text None."""
    table = whatif.goal_table([seek(90.0), seek(128.0)])
    assert table["所需同比（%）"].dtype == float
    assert pd.isna(table["所需同比（%）"].iloc[0]) and table["所需同比（%）"].iloc[1] == pytest.approx(10.0)
