"""Real browser (Debian Chromium via Playwright) against `streamlit run`: the 亩均效益 page."""

from urllib.parse import quote

from browser import metric_values, pick_chain_and_wait, wait_for_app

MONTH_12 = quote("1—12月")


def test_mujun_page_charts_and_sector_filter(page, app_url):
    """Test that /mujun shows 109.63 万元/亩, its three charts, and a 产业链 filter changes 参评企业."""
    page.goto(app_url)  # a fresh server answers a first deep link with a "Page not found" popup
    wait_for_app(page)  # (Streamlit st.navigation, see the report); the deep link itself is tested next
    page.goto(f"{app_url}/mujun?year=2023&month={MONTH_12}")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 3")
    values = metric_values(page)
    assert values["亩均增加值"] == "109.63 万元/亩"
    before = values["参评企业"]

    pick_chain_and_wait(page, "新材料", "参评企业", before)
    assert metric_values(page)["参评企业"] != before
    assert page.locator("[data-testid=stException]").count() == 0
