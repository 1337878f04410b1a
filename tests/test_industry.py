"""工业经济: named queries on the tiny data (answers worked out by hand from tests/tiny.py), the pure
helpers in cockpit/domain/industry.py, and the page under AppTest.

tiny.py, months 1—3: E1 新材料 产值 100 → 120 /月, 增加值 20 → 24; E2 新能源及电子信息 50 → 40, 10 → 8;
E3 食品饮料 (2023 only) 30, 6.
"""

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.data.config import load_rules
from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import industry

ALL = {"scope": EVERYTHING}


def params(**kw):
    return {**ALL, "year": 2023, "month": 3, **kw}


def test_industry_monthly_merges_january_and_february(tiny_db):
    """Test that 1—2月 form one period (month 2) and 累计 runs over the periods."""
    df = tiny_db.run("industry_monthly", params()).set_index(["year", "month"])
    assert list(df.index) == [(2022, 2), (2022, 3), (2023, 2), (2023, 3)]
    assert df.at[(2023, 2), "output_wan"] == (120 + 40 + 30) * 2
    assert df.at[(2023, 3), "output_wan"] == 190
    assert df.at[(2023, 3), "output_ytd_wan"] == 570
    assert df.at[(2022, 3), "value_added_ytd_wan"] == 90


def test_industry_monthly_keeps_all_of_last_year(tiny_db):
    """Test that last year runs through its last month while this year stops at the as-of month."""
    df = tiny_db.run("industry_monthly", params(month=2))
    assert sorted(df[df["year"] == 2022]["month"]) == [2, 3]
    assert sorted(df[df["year"] == 2023]["month"]) == [2]


def test_sector_pulls_add_up_to_total_growth(tiny_db):
    """Test that by 产业链 the 拉动 are 13.33, −6.67 and 20 个百分点 and add up to the total 同比 26.67 %."""
    parts = tiny_db.run("industry_by_sector", params(by="chain"))
    table = industry.sector_attribution(parts, "产值").set_index("part")
    assert table.at["新材料", "current_wan"] == 360 and table.at["新材料", "previous_wan"] == 300
    assert table.at["新材料", "pull_pp"] == pytest.approx(60 / 450 * 100)
    assert table.at["新能源及电子信息", "pull_pp"] == pytest.approx(-30 / 450 * 100)
    assert table.at["食品饮料", "pull_pp"] == pytest.approx(20.0)
    assert table.at["食品饮料", "contribution_pct"] == pytest.approx(75.0)
    assert pd.isna(table.at["食品饮料", "yoy_pct"])
    total = industry.total_growth(parts, "产值")
    assert total == pytest.approx((570 / 450 - 1) * 100)
    assert table["pull_pp"].sum() == pytest.approx(total)
    assert table["contribution_pct"].sum() == pytest.approx(100.0)
    assert list(table.index) == ["食品饮料", "新材料", "新能源及电子信息"]  # sorted by 拉动


def test_sector_grouping_by_industry_and_value_added(tiny_db):
    """Test that $by other than 'chain' groups by 国民经济行业 and 增加值 is attributed the same way."""
    parts = tiny_db.run("industry_by_sector", params(by="sector"))
    table = industry.sector_attribution(parts, "增加值").set_index("part")
    assert table.at["化学原料和化学制品制造业", "current_wan"] == 72
    assert table.at["电气机械和器材制造业", "previous_wan"] == 30
    assert table["pull_pp"].sum() == pytest.approx((114 / 90 - 1) * 100)


def test_sector_filter_narrows_the_parts(tiny_db):
    """Test that the 片区 filter leaves only the enterprises of that area."""
    parts = tiny_db.run("industry_by_sector", params(by="chain", areas=["A2"]))
    assert sorted(parts["part"]) == ["新能源及电子信息", "食品饮料"]


def test_high_tech_by_year_and_share(tiny_db):
    """Test that 高新 增加值 and its share are 60 of 90 in 2022 and 72 of 114 in 2023 (1—3月)."""
    df = industry.high_tech_share(tiny_db.run("industry_high_tech_by_year", params()))
    rows = df.set_index("year")
    assert rows.at[2022, "high_tech_va_wan"] == 60 and rows.at[2022, "value_added_wan"] == 90
    assert rows.at[2023, "share_pct"] == pytest.approx(72 / 114 * 100)
    assert list(tiny_db.run("industry_high_tech_by_year", params(year=2022))["year"]) == [2022]


def test_enterprise_rankings_and_decliners(tiny_db):
    """Test that top, growth and decline lists, the search and each firm's 拉动 follow the hand values."""
    ents = tiny_db.run("industry_enterprises", params())
    top = industry.enterprise_table(ents, "产值", "top")
    assert list(top["ent_id"]) == ["E1", "E2", "E3"]
    growth = industry.enterprise_table(ents, "产值", "growth")
    assert list(growth["ent_id"]) == ["E1", "E2"]  # E3 has no base last year
    assert growth.iloc[0]["yoy_pct"] == pytest.approx(20.0)
    down = industry.enterprise_table(ents, "产值", "decline")
    assert list(down["ent_id"]) == ["E2"]
    assert down.iloc[0]["delta_wan"] == -30 and down.iloc[0]["pull_pp"] == pytest.approx(-30 / 450 * 100)
    found = industry.enterprise_table(ents, "产值", "top", search="饮料")
    assert list(found["ent_id"]) == ["E3"]
    assert len(industry.enterprise_table(ents, "产值", "top", n=1)) == 1


def test_enterprise_turnover(tiny_db):
    """Test that 规上企业数 is 3 against 2, with one entrant (E3) and no leaver."""
    ents = tiny_db.run("industry_enterprises", params())
    assert industry.enterprise_turnover(ents) == {"now": 3, "before": 2, "entered": 1, "left": 0}
    first = tiny_db.run("industry_enterprises", params(year=2022))
    assert industry.enterprise_turnover(first)["entered"] is None  # no 2021 data


def test_turnover_query_equals_python(tiny_db):
    """Test that query industry_turnover counts what enterprise_turnover counts on the hand data."""
    assert industry.turnover_counts(tiny_db.run("industry_turnover", params())) == {
        "now": 3,
        "before": 2,
        "entered": 1,
        "left": 0,
    }
    assert industry.turnover_counts(tiny_db.run("industry_turnover", params(year=2022)))["entered"] is None


@pytest.mark.parametrize("which", ["tiny_db", "real_db"])
@pytest.mark.parametrize("month", [1, 3, 7, 12])
@pytest.mark.parametrize("year", [2022, 2023, 2024])
@pytest.mark.parametrize("chains", [[], ["新材料"], ["新能源及电子信息", "食品饮料"]])
def test_turnover_summary_equals_the_enterprise_rows(which, month, year, chains, request):
    """Test that industry_turnover (read from the enterprise_turnover_entry summary) counts what enterprise_turnover
    counts over industry_enterprises (every enterprise-month), for years with and without a year before, months
    inside and past the data, and 产业链 scopes (one of them empty on the tiny data)."""
    db = request.getfixturevalue(which)
    p = params(year=year, month=month, chains=chains)
    assert industry.turnover_counts(db.run("industry_turnover", p)) == industry.enterprise_turnover(
        db.run("industry_enterprises", p)
    )


@pytest.mark.parametrize("which", ["tiny_db", "real_db"])
@pytest.mark.parametrize("measure", ["产值", "增加值"])
@pytest.mark.parametrize("kind", ["top", "growth", "decline"])
@pytest.mark.parametrize("search,n,chains", [("", 10, []), ("", 100, ["新材料"]), ("科技", 8, []), ("饮料", 5, [])])
def test_rank_query_equals_python_reference(which, measure, kind, search, n, chains, request):
    """Test that the SQL ranking (query industry_enterprise_rank) lists the same enterprises in the same order
    with the same 增量, 同比 and 拉动 as the pure-Python enterprise_table over every enterprise."""
    db = request.getfixturevalue(which)
    base = params(chains=chains) if which == "tiny_db" else params(year=2023, month=12, chains=chains)
    expected = industry.enterprise_table(db.run("industry_enterprises", base), measure, kind, n=n, search=search)
    got = db.run(
        "industry_enterprise_rank",
        {**base, "measure": industry.MEASURE_IDS[measure], "kind": kind, "n": n, "search": search},
    )
    assert list(got["ent_id"]) == list(expected["ent_id"])
    for col in ("current_wan", "previous_wan", "delta_wan", "yoy_pct", "pull_pp"):
        assert got[col].to_numpy(dtype=float) == pytest.approx(
            expected[col].to_numpy(dtype=float), rel=1e-9, nan_ok=True
        ), col


def test_monthly_yoy_per_period(tiny_db):
    """Test that each period's 同比 compares with the same period of last year (当月 and 累计)."""
    df = tiny_db.run("industry_monthly", params())
    rows, col = industry.monthly(df, "产值", cumulative=False)
    assert col == "output_wan"
    got = rows.set_index(["year", "month"])["yoy_pct"]
    assert got[(2023, 3)] == pytest.approx((190 / 150 - 1) * 100)
    assert pd.isna(got[(2022, 3)])
    rows, col = industry.monthly(df, "增加值", cumulative=True)
    assert col == "value_added_ytd_wan"
    assert rows.set_index(["year", "month"])["yoy_pct"][(2023, 3)] == pytest.approx((114 / 90 - 1) * 100)


def test_kpi_cards_month_and_cumulative(tiny_db):
    """Test that the page's registry cards show March as 当月, and with the as-of month 2 show 1—2月 (= 累计)."""
    from cockpit.app.filters import Filters
    from cockpit.domain import cards, indicators

    rules = load_rules()
    by = {
        c.label: c for c in cards.cards(indicators.page(tiny_db.run, Filters(2023, 3), rules, "industry"), on_page=True)
    }
    assert by["规上工业产值（1—3月累计）"].evaluation.value == pytest.approx(570 / 1e4)
    month = by["规上工业产值（当月 3月）"].evaluation
    assert month.value == pytest.approx(190 / 1e4)
    # 同口径: E3 reported only in 2023, so March compares E1 + E2 with their March 2022: 160 vs 150
    assert month.change == pytest.approx((160 / 150 - 1) * 100) and month.same_count == 2
    assert month.change_all == pytest.approx((190 / 150 - 1) * 100)
    assert by["规上工业企业数"].value_text == "3 家" and by["规上工业企业数"].change_text == "比上年同期 +1 家"
    by = {
        c.label: c for c in cards.cards(indicators.page(tiny_db.run, Filters(2023, 2), rules, "industry"), on_page=True)
    }
    assert by["规上工业增加值（当月 1—2月）"].evaluation.value == pytest.approx(76 / 1e4)
    assert "1—2月" in by["规上工业增加值（当月 1—2月）"].help


def new_app(year=2023, month=12) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/economy/industry.py").run()
    at.selectbox(key="year").select(year).run()
    at.selectbox(key="month").select(month).run()
    return at


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_page_shows_the_2023_report_values_and_charts():
    """Test that the page shows 136.65 亿元 产值 and 23.19 亿元 增加值 for 2023, with three charts."""
    at = new_app()
    assert not at.exception
    m = metrics(at)
    assert m["规上工业产值（1—12月累计）"] == "136.65 亿元"
    assert m["规上工业增加值（1—12月累计）"] == "23.19 亿元"
    assert m["高新技术产业增加值"] == "19.43 亿元"
    assert len(at.get("vega_lite_chart")) == 3
    assert any("等于各产业链拉动之和" in c.value for c in at.caption)


def test_page_sector_filter_and_switches_change_the_numbers():
    """Test that a 产业链 filter lowers 产值, and the 行业 grouping and 增加值 switch rerun cleanly."""
    at = new_app()
    total = metrics(at)["规上工业产值（1—12月累计）"]
    at.multiselect(key="chain").set_value(["新材料"]).run()
    assert metrics(at)["规上工业产值（1—12月累计）"] != total
    at.button_group(key="ind_grouping").set_value("国民经济行业").run()
    at.button_group(key="ind_measure").set_value("增加值").run()
    at.button_group(key="ind_ranking").set_value("规模最大").run()
    at.text_input(key="ind_search").input("化").run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert len(table) > 0 and table["ent_name"].str.contains("化").all()
