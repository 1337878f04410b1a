"""Real browser (Debian Chromium via Playwright) against `streamlit run`: the 低效用地 page."""

from urllib.parse import quote

from browser import metric_values, wait_for_app


def test_land_deep_link_2024_shows_area_and_charts(page, app_url):
    """Test that /land?year=2024&month=1—9月 opened first shows 108.8 亩 and its trend and method charts."""
    page.goto(f"{app_url}/land?year=2024&month={quote('1—9月')}")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert metric_values(page)["低效工业用地整治"] == "108.8 亩"
    assert page.locator("[data-testid=stVegaLiteChart]").count() >= 2
    assert "完成率 72.5%" in page.locator("[data-testid=stMain]").inner_text()
