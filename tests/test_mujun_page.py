"""亩均效益 page under AppTest (shipped data): report value, class counts, filters, rules file, what-if."""

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from tabs import each_tab, open_tab

from cockpit.app import mujun_cache
from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import mujun

ALL = {"scope": EVERYTHING}


def new_app(year=2023, month=12) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/economy/mujun.py").run()
    at.selectbox(key="year").select(year).run()
    if month:
        at.selectbox(key="month").select(month).run()
    return at


def metrics(at):
    return {m.label: m.value for m in at.metric}


def expected_counts(real_db, year, cfg, **filters):
    ents = mujun.evaluate(mujun.read_inputs(real_db.run), year, cfg).enterprises
    ents = ents[ents["ent_no"].isin(real_db.run("mujun_scope", {**ALL, **filters})["ent_no"])]
    return len(ents), {c: int((ents["cls"] == c).sum()) for c in mujun.CLASSES}


def test_page_shows_109_63_and_the_class_counts(real_db):
    """Test that 2023 shows 亩均增加值 109.63 万元/亩, the evaluation's class counts and three charts."""
    at = new_app()
    assert not at.exception
    m = metrics(at)
    assert m["亩均增加值"] == "109.63 万元/亩"
    n, counts = expected_counts(real_db, 2023, mujun.load_config())
    assert m["参评企业"] == f"{n} 家"
    assert m["D 类 倒逼整治"] == f"{counts['D']} 家" and counts["D"] > 0
    assert m["A 类 优先发展"] == f"{counts['A']} 家"
    assert len(at.get("vega_lite_chart")) == 4  # class shares by 产业链 and 片区, scores, the 亩均一张图 (first tab)
    tables = {tab: len(at.dataframe) for tab in each_tab(at)}
    assert tables == {"亩均一张图": 0, "排名": 1, "企业画像": 2, "D类名单": 1}  # indicators and history: 企业画像


def test_sector_filter_narrows_the_enterprises(real_db):
    """Test that choosing 产业链 新材料 shows only its enterprises, still ranked zone-wide."""
    at = new_app()
    before = metrics(at)["参评企业"]
    at.multiselect(key="chain").set_value(["新材料"]).run()
    assert not at.exception
    n, counts = expected_counts(real_db, 2023, mujun.load_config(), chains=["新材料"])
    assert metrics(at)["参评企业"] == f"{n} 家" != before
    assert metrics(at)["D 类 倒逼整治"] == f"{counts['D']} 家"
    assert set(open_tab(at, "排名").dataframe[0].value["chain"]) == {"新材料"}


def test_year_in_progress_evaluates_the_last_complete_year():
    """Test that 2024 (data through 9月) evaluates 2023 and says so on the page."""
    at = new_app(year=2024, month=None)
    assert not at.exception
    assert at.selectbox(key="mj_year_2023").value == 2023
    assert any("2024 年尚未结束" in c.value for c in at.caption)


def test_rules_file_change_changes_the_classes(tmp_path, monkeypatch):
    """Test that pointing COCKPIT_MUJUN at a file with A = 50 % changes the A count without code changes."""
    at = new_app()
    before = metrics(at)["A 类 优先发展"]
    path = tmp_path / "mujun.toml"
    path.write_text("[classes.rank]\nA = 50\nB = 30\nC = 15\nD = 5\n", encoding="utf-8")
    monkeypatch.setenv("COCKPIT_MUJUN", str(path))
    at.run()
    assert not at.exception
    assert metrics(at)["A 类 优先发展"] != before


def test_what_if_giving_back_land_raises_the_score(real_db):
    """Test that halving the lowest-ranked enterprise's land raises its simulated score and rank."""
    inputs = mujun.read_inputs(real_db.run)
    ents = mujun.evaluate(inputs, 2023, mujun.load_config()).enterprises
    last = ents.sort_values(["score", "ent_id"]).iloc[0]
    at = open_tab(new_app(), "企业画像")
    at.selectbox(key="mj_ent").set_value(last["ent_id"]).run()
    assert metrics(at)["模拟后分类"] == "D 类 倒逼整治"
    land = next(n for n in at.number_input if n.key.startswith("mj_land_"))
    before = metrics(at)["模拟后综合得分"]
    land.set_value(land.value / 2).run()
    assert not at.exception
    after = metrics(at)["模拟后综合得分"]
    assert float(after.split()[0]) > float(before.split()[0])
    assert metrics(at)["模拟后全区排名"] != f"第 {int(last['rank'])} 名"


def test_long_tables_show_their_first_rows_and_the_picker_searches_names(monkeypatch, real_db):
    """Test that with 10 rows shown and 20 enterprises in the picker, the ranking shows its top 10 with
    「共 X 家，显示前 10 家」, and the name search offers an enterprise the picker left out."""
    monkeypatch.setattr(mujun_cache, "SHOW_ROWS", 10)
    monkeypatch.setattr(mujun_cache, "PICK_LIMIT", 20)
    at = new_app()
    n = int(metrics(at)["参评企业"].split()[0].replace(",", ""))
    ranking = open_tab(at, "排名").dataframe[0].value
    assert n > 20 and len(ranking) == 10 and list(ranking["rank"]) == sorted(ranking["rank"])
    assert any(f"共 {n:,} 家，显示前 10 家；下载 Excel 可得全部" in c.value for c in at.caption)
    picker = open_tab(at, "企业画像").selectbox(key="mj_ent")
    assert len(picker.options) == 20
    ev = mujun.evaluate(mujun.read_inputs(real_db.run), 2023, mujun.load_config())
    middle = ev.enterprises.sort_values(["rank", "ent_id"]).iloc[n // 2]
    assert middle["ent_name"] not in picker.options
    at.text_input(key="mj_search").input(middle["ent_name"]).run()
    assert not at.exception
    assert middle["ent_name"] in at.selectbox(key="mj_ent").options
    at.selectbox(key="mj_ent").set_value(middle["ent_id"]).run()
    assert any(middle["ent_name"] in t.value for t in at.text)


def test_filters_and_years_reuse_one_evaluation(monkeypatch, real_db):
    """Test that each complete year is evaluated once for the data and rules: filter changes and the
    低效用地 page reuse it (each filter only computes what it shows); an earlier year kept aside is
    evaluated again only when it is shown."""
    from cockpit.app import mujun_cache

    calls = []
    real = mujun_cache.Evaluated._evaluate

    def counted(self, years):  # the page's evaluations (预警's background job keeps its own)
        for ev in real(self, years):
            calls.append(ev.year)
            yield ev

    monkeypatch.setattr(mujun_cache.Evaluated, "_evaluate", counted)
    mujun_cache._evaluated.clear()
    at = new_app()
    periods = real_db.run("data_periods")
    complete = sorted(periods.loc[periods["last_month"] == 12, "year"])
    assert calls == complete and 2022 in complete
    for chain in (["新材料"], [], ["新材料"]):
        at.multiselect(key="chain").set_value(chain).run()
    assert calls == complete
    at.selectbox(key="mj_year_2023").select(2022).run()
    at.selectbox(key="mj_year_2023").select(2023).run()
    at.selectbox(key="mj_year_2023").select(2022).run()
    at.switch_page("pages/land/land.py").run()
    assert not at.exception
    assert calls == complete + [2022]


def test_more_parcels_than_a_chart_draws_shows_the_areas_with_their_counts(monkeypatch, real_db):
    """Test the map's 片区 view (more parcels in scope than a chart may draw): no error, the title says so, and
    the view's rated / D 类 counts per 片区 are the zone's evaluation (mujun.rated_by_area)."""
    from cockpit.app import ui
    from cockpit.report import charts

    q = ui.q

    def over_the_limit(name, params=None, **extra):  # the query returns no rows when the scope has more parcels
        rows = q(name, params, **extra)
        return rows.iloc[:0] if name == "parcel_map" else rows

    monkeypatch.setattr(ui, "q", over_the_limit)
    seen = {}
    area_map = charts.area_map

    def spy(view, **options):
        seen["view"] = view
        return area_map(view, **options)

    monkeypatch.setattr(charts, "area_map", spy)
    at = new_app()
    assert not at.exception, at.exception
    ents = mujun.evaluate(mujun.read_inputs(real_db.run), 2023, mujun.load_config()).enterprises
    rated = ents[ents["cls"].notna()]
    by_hand = {name: (g["cls"] == "D").sum() / len(g) * 100 for name, g in rated.groupby("area_name")}
    view = seen["view"]
    assert len(view) >= 2 and len(by_hand) >= 2
    for row in view.itertuples():
        if row.area_name in by_hand:
            assert row.share_pct == pytest.approx(by_hand[row.area_name]), row.area_name
        else:
            assert row.share_pct is None or pd.isna(row.share_pct), row.area_name
