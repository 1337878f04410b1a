"""The indicator registry on hand-checked data (tests/tiny.py): the first-year rule, targets of the same scope,
同口径 growth, the price index, scope notes, ±n counts, and the registry's own consistency.

tiny, 1—3月: 产值 2023 = E1 360 + E2 120 + E3 90 = 570 万元, 2022 = E1 300 + E2 150 = 450 (E3 reported only in 2023);
增加值 2023 = 72 + 24 + 18 = 114, 2022 = 60 + 30 = 90; every month of 2023 has 增加值 38 (24 + 8 + 6).
"""

import dataclasses

import pandas as pd
import pytest
import tiny

from cockpit.app.filters import Filters
from cockpit.data import dimensions
from cockpit.data.config import load_rules
from cockpit.data.db import SAMPLE_DIR, Database, load_query
from cockpit.domain import cards, indicators, whatif
from cockpit.domain.indicators import REGISTRY

RULES = load_rules()
SCOPED = pd.DataFrame(
    {
        "year": [2023, 2023, 2023],
        "indicator_id": ["output", "land_reclaimed", "output"],
        "scope_kind": ["产业链", "全区", "片区"],
        "scope_code": ["新材料", "", "A1"],
        "target_value": [0.05, 20.0, 0.03],
        "source": ["测试"] * 3,
    }
)


def tiny_with(tmp_path_factory, name: str, **extra: pd.DataFrame) -> Database:
    tables = tiny.tables()
    for table, df in extra.items():
        tables[table] = pd.concat([tables[table], df], ignore_index=True) if table in tables else df
    directory = tmp_path_factory.mktemp(name)
    for table, df in tables.items():
        df.to_parquet(directory / f"{table}.parquet", index=False)
    return Database(directory)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """tiny with a 产业链 (新材料) and a 片区 (A1) target for 产值 and a 全区 target for 低效用地."""
    return tiny_with(tmp_path_factory, "tiny_targets", targets=SCOPED)


def evaluated(db, f, ids, **kw):
    return {e.id: e for e in indicators.evaluate(db.run, f, RULES, ids, **kw)}


# --- the first-year rule ------------------------------------------------------------------------------------


def test_first_data_year_has_no_comparison(db):
    """Test that 2022 (the first year of tiny's statistics) shows 上年同期无数据, not 0 nor a count difference."""
    e = evaluated(db, Filters(2022, 3), ["output", "enterprise_count", "high_tech_share", "project_count"])
    for x in e.values():
        assert not x.comparable and x.change is None and x.previous is None, x.id
        assert cards.card(x).change_text == "上年同期无数据"
    assert e["enterprise_count"].value == 2  # the level is there, only the comparison is not
    assert cards.short_change(e["output"]) == "上年同期无数据"


def test_event_register_coverage_starts_with_its_first_year(db):
    """Test that hazards (all found in 2023) have no 比上年同期 in 2023, while 2023 产值 has its 同比."""
    e = evaluated(db, Filters(2023, 3), ["hazards_found", "output"])
    assert e["hazards_found"].value == 5 and not e["hazards_found"].comparable
    assert e["output"].comparable


def test_counts_change_by_n(db):
    """Test that 在建投资项目数 changes as ±n (3 projects vs 2), not as a percentage."""
    e = evaluated(db, Filters(2023, 3), ["project_count"])["project_count"]
    assert (e.value, e.previous, e.change) == (3, 2, 1)
    assert cards.card(e).change_text == "比上年同期 +1 个" and cards.short_change(e) == "+1 个"


# --- targets of the same scope --------------------------------------------------------------------------------


def test_targets_of_the_same_scope(db):
    """Test 完成率 and light against the 产业链 / 片区 target, and none against the 全区 one under other filters."""
    zone = evaluated(db, Filters(2023, 3), ["output"])["output"]
    assert zone.target == 0.1 and zone.completion == pytest.approx(57.0) and zone.status.value == "green"
    chain = evaluated(db, Filters(2023, 3, chains=("新材料",)), ["output"])["output"]
    assert chain.value == pytest.approx(0.036) and chain.target == 0.05
    assert chain.completion == pytest.approx(72.0) and chain.progress == 25.0 and chain.status.value == "green"
    assert chain.target_scope == "产业链：新材料" and "新材料产业链" in cards.card(chain).target_text
    area = evaluated(db, Filters(2023, 3, areas=("A1",)), ["output"])["output"]
    assert area.target == 0.03 and area.completion == pytest.approx(120.0)
    other = evaluated(db, Filters(2023, 3, areas=("A2",)), ["output"])["output"]
    assert other.target is None and other.status is None and other.completion is None
    assert other.target_note == "全区目标不适用于所选范围（无同范围目标）"
    both = evaluated(db, Filters(2023, 3, chains=("新材料",), areas=("A1",)), ["output"])["output"]
    assert both.target is None and both.status is None  # no target has exactly this scope


def test_a_figure_that_ignores_a_filter_says_so_and_keeps_its_target(db):
    """Test that 低效用地 under a 产业链 filter shows the 全区 figure with its note and the 全区 target."""
    land = evaluated(db, Filters(2023, 3, chains=("新材料",)), ["land_reclaimed"])["land_reclaimed"]
    assert land.value == 15.0 and land.scope_note == "全区口径，不随产业链筛选"
    assert land.target == 20.0 and land.completion == pytest.approx(75.0)
    assert cards.card(land).notes == ("全区口径，不随产业链筛选",)
    followed = evaluated(db, Filters(2023, 3, areas=("A1",)), ["land_reclaimed"])["land_reclaimed"]
    assert followed.value == 10.0 and followed.scope_note is None


def test_high_tech_only_hides_the_share_and_names_the_same_figure(db):
    """Test that 仅高新 hides 高新占比 (100 %) with the reason and notes that 增加值 is then 高新增加值."""
    e = evaluated(db, Filters(2023, 3, high_tech_only=True), ["high_tech_share", "value_added", "high_tech_va"])
    assert e["high_tech_share"].hidden and cards.card(e["high_tech_share"]).value_text == "不适用"
    assert "即高新技术产业增加值" in e["value_added"].scope_note
    assert e["value_added"].value == e["high_tech_va"].value


def test_scope_share_is_named_as_such(db):
    """Test that 产值占全县比重 under a filter is labelled as the scope's share (E1: 360 of 3,000 万元 = 12 %)."""
    e = evaluated(db, Filters(2023, 3, chains=("新材料",)), ["county_share"])["county_share"]
    assert e.name == "所选范围产值占全县比重" and e.value == pytest.approx(12.0)


def test_special_bonds_follow_the_area_and_sector_through_their_project(db):
    """Test that the bond of 集中供热 (A2, no sector) counts under A2 only, and is 0 under A1 or an industry filter."""
    ids = ["special_bond_approved"]
    assert evaluated(db, Filters(2023, 3), ids)["special_bond_approved"].value == pytest.approx(0.08)
    assert evaluated(db, Filters(2023, 3, areas=("A2",)), ids)["special_bond_approved"].value == pytest.approx(0.08)
    assert evaluated(db, Filters(2023, 3, areas=("A1",)), ids)["special_bond_approved"].value == 0.0
    assert evaluated(db, Filters(2023, 3, chains=("新材料",)), ids)["special_bond_approved"].value == 0.0


def test_goal_seek_uses_the_target_of_the_scope(db):
    """Test that goal seek under 产业链 = 新材料 seeks the 新材料 target from 新材料's own months."""
    f = Filters(2023, 3, chains=("新材料",))
    targets = indicators.scoped_targets(db.run, f, RULES)
    monthly = db.run("whatif_monthly", f.params())
    seeks = {g.indicator_id: g for g in whatif.goal_seek_all(monthly, targets, year=2023, month=3, rule=RULES.status)}
    out = seeks["output"]
    assert out.target == 0.05 and out.ytd == pytest.approx(0.036) and out.scope == "产业链：新材料"
    assert out.gap == pytest.approx(0.014) and out.sentence.startswith("规上工业产值：新材料产业链目标 0.05 亿元")
    assert "fai" not in seeks  # tiny has a 全区 fai target only: it does not apply to 新材料
    grid = whatif.sensitivity(monthly, targets, year=2023, month=3, rule=RULES.status)
    assert set(grid["indicator_id"]) == {"output", "land_reclaimed"}


# --- the statistics bureau's growth convention -------------------------------------------------------------


def test_same_enterprises_growth(db):
    """Test 同口径 同比 on E1 + E2 (480 vs 450 = +6.7 %), the level staying 570, and 全口径 +26.7 % alongside."""
    e = evaluated(db, Filters(2023, 3), ["output"])["output"]
    assert e.value == pytest.approx(0.057) and e.same_count == 2
    assert e.change == pytest.approx((480 / 450 - 1) * 100)
    assert e.change_all == pytest.approx((570 / 450 - 1) * 100)
    assert cards.card(e).notes == ("同口径 2 家 · 全口径 +26.7%",)
    province = dataclasses.replace(e, same_count=176946)  # counted as the 规上工业企业数 card counts: with separators
    assert cards.card(province).notes == ("同口径 176,946 家 · 全口径 +26.7%",)
    assert province.basis == "同口径（两期均有申报的 176,946 家企业）"
    plain = {
        x.id: x
        for x in indicators.evaluate(
            db.run,
            Filters(2023, 3),
            RULES,
            ["output"],
            context=indicators.Context(db.run, Filters(2023, 3), RULES, same_enterprises=False),
        )
    }["output"]
    assert plain.change == pytest.approx((570 / 450 - 1) * 100) and plain.same_count is None


def test_value_added_is_labelled_current_prices_without_an_index(db):
    """Test that without a price index 增加值 growth is 同口径 at current prices (96 vs 90) and says 现价."""
    e = evaluated(db, Filters(2023, 3), ["value_added"])["value_added"]
    assert e.change == pytest.approx((96 / 90 - 1) * 100) and e.price == "现价"
    assert "现价" in cards.card(e).notes[0]


def test_price_index_deflates_value_added_growth(tmp_path_factory):
    """Test comparable-price growth: monthly indices 102 / 101 / 103 weighted by 增加值 (38 each month), then a
    1—m月 index (104) when one is imported, and month 3's index for the 当月 figure."""
    months = pd.DataFrame(
        {
            "year": [2023] * 3,
            "month": [1, 2, 3],
            "ppi_yoy_month": [102.0, 101.0, 103.0],
            "ppi_yoy_ytd": [None, None, None],
        }
    )
    db = tiny_with(tmp_path_factory, "tiny_ppi", price_index=months)
    e = evaluated(db, Filters(2023, 3), ["value_added", "value_added_month", "output"])
    deflator = 3 / (1 / 1.02 + 1 / 1.01 + 1 / 1.03)
    assert e["value_added"].change == pytest.approx((96 / deflator / 90 - 1) * 100)
    assert e["value_added"].change_all == pytest.approx((114 / deflator / 90 - 1) * 100)
    assert e["value_added"].price == "可比价" and e["output"].price is None  # 产值 stays at current prices
    assert e["value_added_month"].change == pytest.approx((32 / 1.03 / 30 - 1) * 100)
    ytd = months.assign(ppi_yoy_ytd=[None, None, 104.0])
    db = tiny_with(tmp_path_factory, "tiny_ppi_ytd", price_index=ytd)
    e = evaluated(db, Filters(2023, 3), ["value_added"])["value_added"]
    assert e.change == pytest.approx((96 / 1.04 / 90 - 1) * 100)
    gap = months[months["month"] != 2]
    db = tiny_with(tmp_path_factory, "tiny_ppi_gap", price_index=gap)
    assert evaluated(db, Filters(2023, 3), ["value_added"])["value_added"].price == "现价"  # a month is missing


# --- targets that are not a share of the way ------------------------------------------------------------------


def test_accidents_have_the_zero_target_everywhere(real_db):
    """Test that 2022 (no targets row) shows 生产安全事故 against 0 on 总览 and on 安全生产 alike."""
    f = Filters(2022, 12)
    overview = evaluated(real_db, f, None)["accidents"]
    page = {e.id: e for e in indicators.page(real_db.run, f, RULES, "safety")}["accidents"]
    assert overview.target == page.target == 0.0 and overview.status == page.status


def test_risk_score_is_a_threshold_not_a_completion(real_db):
    """Test that 84.2 分 (2024) reads 距 D 级 0.8 分 with no 完成率, no light and a neutral change colour."""
    e = evaluated(real_db, Filters(2024, 9), ["risk_score"])["risk_score"]
    c = cards.card(e)
    assert e.completion is None and e.status is None and e.gap == pytest.approx(0.8)
    assert c.value_text == "C 类" and c.tone == "neutral" and c.target_text.endswith("距 D 级 0.8 分")


# --- the registry itself ------------------------------------------------------------------------------------


@pytest.mark.parametrize("ind", list(REGISTRY), ids=lambda i: i.id)
def test_declared_filters_are_the_query_filters(ind):
    """Test that each indicator follows exactly the filters its query takes (so a card cannot claim a scope it
    does not have)."""
    assert ind.follows == dimensions.followed(load_query(ind.source.query).sql)


@pytest.mark.parametrize("ind", list(REGISTRY), ids=lambda i: i.id)
def test_every_indicator_reads_its_column(ind, db):
    """Test that every indicator's query returns the column(s) it reads, on tiny, with declared 口径 and formula."""
    rows = db.run(ind.source.query, {**Filters(2023, 3).params(), "by": "chain"})
    needed = ind.source.ratio or (ind.source.column,)
    assert set(needed) <= set(rows.columns)
    for col, _ in ind.source.where:
        assert col in rows.columns
    assert ind.definition and ind.formula and ind.office


def test_goal_seek_indicators_have_monthly_values(db):
    """Test that every indicator declared for goal seek is in query whatif_monthly."""
    ids = set(db.run("whatif_monthly", Filters(2023, 3).params())["indicator_id"])
    assert {i.id for i in REGISTRY.goal_seek()} <= ids


def test_shipped_indicator_table_is_the_registry():
    """Test that data/indicators.parquet (the targets template's 代码表) is written from the registry."""
    shipped = pd.read_parquet(SAMPLE_DIR / "indicators.parquet")
    assert shipped["indicator_id"].tolist() == [r["indicator_id"] for r in indicators.catalogue_rows()]
    assert shipped["name_cn"].tolist() == [r["name_cn"] for r in indicators.catalogue_rows()]


def test_headline_returns_every_overview_indicator(real_db):
    """Test the function the warnings read: every 总览 indicator with value, change, target, status, scope note."""
    out = indicators.headline(real_db.run, Filters(2024, 9, chains=("新材料",)), RULES)
    assert [e.id for e in out] == [i.id for i in REGISTRY.overview()]
    land = next(e for e in out if e.id == "land_reclaimed")
    assert land.scope_note and land.completion == pytest.approx(72.5, abs=0.01) and land.progress == 75.0
    assert next(e for e in out if e.id == "output").target == 62.0  # the shipped 新材料 target


def test_selected_rows_are_read_column_by_column():
    """Test the selection an indicator reads (hand-checked): a mask over the frame, values as floats with missing as
    NaN, the first row's value, 'first' aggregation, and the empty and every-row cases."""
    import numpy as np

    df = pd.DataFrame(
        {
            "year": [2023, 2024, 2024, 2024],
            "name": pd.array(["甲", "乙", "丙", None], dtype="string"),
            "v": pd.array([1, 2, None, 4], dtype="Int64"),
        }
    )
    sel = indicators.Selected(df, (df["year"] == 2024).to_numpy())
    assert not sel.empty and list(sel.positions) == [1, 2, 3]
    got = sel.values("v")
    assert got[0] == 2.0 and np.isnan(got[1]) and got[2] == 4.0
    assert list(sel.values("v", first=True)) == [2.0]
    assert sel.first("name") == "乙" and sel.first("nope") is None
    assert indicators._sum(sel.values("v")) == 6.0 and indicators._sum(np.array([np.nan])) is None
    every = indicators.Selected(df, np.ones(4, dtype=bool))
    assert every.positions is None and every.first("v") == 1 and indicators._sum(every.values("v")) == 7.0
    none = indicators.Selected(df, np.zeros(4, dtype=bool))
    assert none.empty
