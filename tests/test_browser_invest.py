"""Real browser (Debian Chromium via Playwright) against `streamlit run`: the 投资与项目 page."""

from urllib.parse import quote

from browser import metric_values, wait_for_app


def test_invest_deep_link_2023_shows_the_report_and_a_funnel(page, app_url):
    """Test that /invest?year=2023&month=1—12月 opened first shows 20.47 亿元 and, on 项目推进, the funnel chart."""
    page.goto(f"{app_url}/invest?year=2023&month={quote('1—12月')}")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    values = metric_values(page)
    assert values["固定资产投资"] == "20.47 亿元"
    assert values["高新技术产业投资"] == "9.06 亿元"
    if page.locator("[role=dialog]").count():
        page.keyboard.press("Escape")
    page.get_by_role("tab", name="项目推进").click()
    funnel = page.locator("[data-testid=stVegaLiteChart]").filter(has_text="项目推进漏斗")
    funnel.first.wait_for(state="visible", timeout=20_000)
    assert "谋划" in funnel.first.inner_text() or funnel.first.locator("canvas, svg").count() > 0
    assert page.locator("[data-testid=stException]").count() == 0
