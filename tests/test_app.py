"""AppTest: every page runs without exception for several filter combinations (shipped data)."""

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.domain import navigation

# every page registered in the entry script's st.navigation, the default (总览) first
PAGES = [p.script for p in navigation.viewer_pages()]  # the default (总览) first


def new_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


FILTERS = [
    {},
    {"year": 2023, "month": 12},
    {"year": 2023, "month": 6, "chain": ["新材料"]},
    {"year": 2024, "area": "first"},
    {"year": 2022, "hitech": True},
    {"year": 2021, "month": 2},
]


def apply(at: AppTest, filt: dict) -> None:
    if "year" in filt:
        at.selectbox(key="year").select(filt["year"]).run()
    if "month" in filt:
        at.selectbox(key="month").select(filt["month"]).run()
    if "chain" in filt:
        at.multiselect(key="chain").set_value(filt["chain"]).run()
    if filt.get("area") == "first":
        at.multiselect(key="area").set_value([first_area_code()]).run()
    if filt.get("hitech"):
        at.toggle(key="hitech").set_value(True).run()


def first_area_code() -> str:
    from cockpit.data.db import SAMPLE_DIR, Database

    return Database(SAMPLE_DIR).run("areas")["area_code"].iloc[0]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("filt", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "default")
def test_page_runs_without_exception(page, filt):
    """Test that the page renders its cards and charts without an exception under these filters."""
    at = new_app()
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    apply(at, filt)
    assert not at.exception, at.exception
    assert len(at.metric) > 0


def test_overview_2023_matches_the_report():
    """Test that the 总览 shows the work summary's 2023 figures for 1—12月."""
    at = new_app()
    at.run()
    apply(at, {"year": 2023, "month": 12})
    m = metrics(at)
    assert m["规上工业产值"] == "136.65 亿元"
    assert m["规上工业增加值"] == "23.19 亿元"
    assert m["高新技术产业增加值"] == "19.43 亿元"
    assert m["高新技术产业增加值占比"] == "83.8%"
    assert m["规上工业亩均增加值"] == "109.63 万元/亩"
    assert m["固定资产投资"] == "20.47 亿元"
    assert m["工业投资"] == "15.09 亿元"
    assert m["高新技术产业投资"] == "9.06 亿元"
    assert m["在建投资项目数"] == "90 个"
    assert m["生产安全事故"] == "0 起"


def test_sector_filter_changes_the_numbers():
    """Test that choosing one 产业链 lowers 规上产值 below the zone total."""
    at = new_app()
    at.run()
    apply(at, {"year": 2023, "month": 12})
    total = metrics(at)["规上工业产值"]
    apply(at, {"chain": ["新材料"]})
    assert metrics(at)["规上工业产值"] != total
    assert not at.exception


def test_a_filter_change_sends_the_trend_chart_the_same_spec_text_with_other_data():
    """Test that the 总览 trend chart's spec text is the same for the zone and for one 产业链, while its data
    differ: the browser then swaps the data in the drawn view instead of building it again (tests/
    test_browser_industry.py checks the swapped charts look as drawn afresh)."""
    at = new_app()
    at.run()
    zone = at.get("vega_lite_chart")[0].proto
    apply(at, {"chain": ["新材料"]})
    chain = at.get("vega_lite_chart")[0].proto
    assert zone.spec == chain.spec
    assert [d.name for d in zone.datasets] == [d.name for d in chain.datasets]
    assert [d.data.data for d in zone.datasets] != [d.data.data for d in chain.datasets]
    assert not at.exception


def test_injected_url_value_is_ignored():
    """Test that a quote-laden sector value in the URL selects nothing and raises nothing."""
    at = new_app()
    at.query_params["sector"] = "新材料' OR '1'='1"
    at.query_params["chain"] = "新材料' OR '1'='1"
    at.run()
    assert not at.exception
    assert at.multiselect(key="sector").value == []
    assert at.multiselect(key="chain").value == []
