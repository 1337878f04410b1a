"""Real browser (Debian Chromium via Playwright) against `streamlit run`: the 工业经济 page."""

from urllib.parse import quote

from browser import metric_values, pick_chain_and_wait, wait_for_app

MONTH_12 = quote("1—12月")
CARD = "规上工业产值（1—12月累计）"


def test_industry_page_charts_and_sector_filter(page, app_url):
    """Test that /industry shows 136.65 亿元, its three charts, and a 产业链 filter changes the value."""
    page.goto(app_url)  # a fresh server answers a first deep link with a "Page not found" popup
    wait_for_app(page)  # (Streamlit st.navigation, see the report); the deep link itself is tested next
    page.goto(f"{app_url}/industry?year=2023&month={MONTH_12}")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 3")
    before = metric_values(page)[CARD]
    assert before == "136.65 亿元"

    pick_chain_and_wait(page, "新材料", CARD, before)
    assert metric_values(page)[CARD] != before
    assert page.locator("[data-testid=stException]").count() == 0
