"""Real browser (Debian Chromium via Playwright) against `streamlit run`: the 总览 page."""

from urllib.parse import parse_qs, quote, urlparse

from browser import metric_values, wait_for_app

MONTH_12 = quote("1—12月")


def open_page(page, url):
    page.goto(url)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0


def test_deep_link_2023_shows_the_report_values(page, app_url):
    """Test that /?year=2023&month=1—12月 opened first shows the report's 2023 figures."""
    open_page(page, f"{app_url}/?year=2023&month={MONTH_12}")
    values = metric_values(page)
    assert values["规上工业产值"] == "136.65 亿元"
    assert values["规上工业增加值"] == "23.19 亿元"
    assert values["规上工业亩均增加值"] == "109.63 万元/亩"
    assert values["固定资产投资"] == "20.47 亿元"
    assert page.locator("[data-testid=stVegaLiteChart]").count() >= 2


def test_filter_change_updates_numbers_and_url_and_the_url_restores_the_view(page, chromium, app_url):
    """Test that choosing a 产业链 in the UI changes the cards and the URL, and that URL reopens the view."""
    open_page(page, f"{app_url}/?year=2023&month={MONTH_12}")
    before = metric_values(page)["规上工业产值"]

    box = page.locator("[data-testid=stMultiSelect]").filter(has_text="产业链")
    box.locator("input").click()
    page.get_by_role("option", name="新材料", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "(b) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes('规上工业产值') && !m.innerText.includes(b))", arg=before)
    wait_for_app(page)
    after = metric_values(page)["规上工业产值"]
    assert after != before
    query = parse_qs(urlparse(page.url).query)
    assert query.get("chain") == ["新材料"] and query.get("year") == ["2023"]

    fresh = chromium.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    try:
        open_page(fresh, page.url)
        assert metric_values(fresh)["规上工业产值"] == after
    finally:
        fresh.context.close()
