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


def chart_images(page) -> list[bytes]:
    """Each chart of the page as a PNG once drawn: scrolled into view (charts are drawn when shown), then taken
    until two shots 300 ms apart are the same (a loaded machine may still be drawing)."""
    out = []
    for chart in page.locator(".vega-embed").all():
        chart.scroll_into_view_if_needed()
        chart.locator("svg, canvas").first.wait_for()
        shot = chart.screenshot()
        for _ in range(20):
            page.wait_for_timeout(300)
            shot, previous = chart.screenshot(), shot
            if shot == previous:
                break
        out.append(shot)
    return out


def test_charts_whose_data_changed_in_place_look_as_drawn_afresh(page, chromium, app_url):
    """Test that after a filter change each chart looks exactly as the same view opened afresh from its link.

    A chart whose spec text did not change is not built again: Streamlit swaps its data in the drawn view
    (datasets are named by their place, cockpit.report.charts._to_spec; tests/test_app.py holds the trend chart's
    spec text to it)."""
    page.goto(f"{app_url}/industry?year=2023&month={MONTH_12}")
    wait_for_app(page)
    before = metric_values(page)[CARD]
    pick_chain_and_wait(page, "新材料", CARD, before)
    wait_for_app(page)
    swapped = chart_images(page)
    fresh_page = chromium.new_context(viewport=page.viewport_size, locale="zh-CN").new_page()
    fresh_page.goto(page.url)
    wait_for_app(fresh_page)
    fresh = chart_images(fresh_page)
    fresh_page.context.close()
    assert len(swapped) == len(fresh) >= 3
    assert [i for i, (a, b) in enumerate(zip(swapped, fresh)) if a != b] == []
