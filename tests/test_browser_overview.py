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
        "m => m.innerText.includes('规上工业产值') && !m.innerText.includes(b))",
        arg=before,
    )
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


def test_link_with_codes_and_an_unknown_value(page, app_url):
    """Test that sector=26 and area=HGQ (codes) select their options and area=XYZ shows a visible note."""
    open_page(page, f"{app_url}/?year=2024&sector=26&area=HGQ&area=XYZ")
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "行业：化学原料和化学制品制造业" in body and "化工集聚区" in body
    assert "链接中的片区“XYZ”不存在，已忽略" in body
    page.wait_for_function("() => decodeURIComponent(location.search).includes('化工集聚区')")
    query = parse_qs(urlparse(page.url).query)  # the widgets hold the options: the link now names them
    assert query["sector"] == ["化学原料和化学制品制造业"] and query["area"] == ["新材料新装备产业园·化工集聚区"]


def test_link_with_names(page, app_url):
    """Test that the 片区 and 行业 names in a link select the same options as their codes."""
    open_page(
        page,
        f"{app_url}/?year=2024&sector={quote('化学原料和化学制品制造业')}"
        f"&area={quote('新材料新装备产业园·化工集聚区')}",
    )
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "行业：化学原料和化学制品制造业" in body and "片区：新材料新装备产业园·化工集聚区" in body
    assert "不存在" not in body
