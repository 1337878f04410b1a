"""Real browser (Debian Chromium via Playwright) against `streamlit run`: a warning's link and the 预警 page."""

from urllib.parse import quote

from browser import wait_for_app


def test_a_warning_link_opens_its_page_period_and_row(page, app_url):
    """Test that a warning's link (/safety?year=…&month=1—9月&hazard=…) opens 安全生产 with the row named in a box,
    its 督办 status shown, and the row key kept in the URL while the filter widgets sync it."""
    page.goto(f"{app_url}/safety?year=2024&month={quote('1—9月')}&hazard=YH20240365")
    wait_for_app(page, timeout=90_000)
    assert page.locator("[data-testid=stException]").count() == 0
    box = page.get_by_text("链接定位：隐患 YH20240365")
    box.wait_for(timeout=30_000)
    assert "相关预警 1 条" in box.inner_text()
    assert page.get_by_text("重大隐患（厂中厂").first.is_visible()
    assert page.locator("[data-testid=stHeading]").filter(has_text="· 安全生产").count() == 1
    assert "hazard=YH20240365" in page.url


def test_alerts_page_on_a_phone(chromium, app_url):
    """Test that the 预警 page renders on a 390 px screen without an exception, its counts and list visible."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/alerts")
        wait_for_app(page, timeout=90_000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert page.get_by_text("严重（红色）").is_visible()
        assert page.locator("[data-testid=stDataFrame]").count() >= 2
    finally:
        context.close()
