"""演示模式: the URL flag, the page order, AppTest of the page in the mode, and the browser view."""

from urllib.parse import quote

import pytest
from streamlit.testing.v1 import AppTest

from browser import metric_values, wait_for_app
from conftest import ROOT
from cockpit import present


@pytest.mark.parametrize("value, on", [("1", True), ("true", True), ("ON", True), ("0", False),
                                       ("", False), (None, False), ("false", False)])
def test_url_value(value, on):
    """Test that ?present=1 (or true/yes/on) switches the mode on and anything else does not."""
    assert present.wanted(value) is on


def test_page_order():
    """Test that 上一页/下一页 step through the pages in navigation order (总览 → 工业经济 → 投资与项目 → 安全生产 →
    预警 → 亩均效益 → 低效用地 → 目标推演), that 企业画像 (which needs an enterprise) and 数据管理 are not in it and lead
    back to 总览."""
    titles = [t for _, t in present.ORDER]
    assert titles == ["总览", "工业经济", "投资与项目", "安全生产", "预警", "亩均效益", "低效用地", "目标推演"]
    assert present.neighbours("总览") == (None, present.ORDER[1])
    assert present.neighbours("投资与项目") == (present.ORDER[1], present.ORDER[3])
    assert present.neighbours("目标推演") == (present.ORDER[-2], None)
    assert present.neighbours("企业画像") == (None, present.ORDER[0])
    assert present.neighbours("数据管理") == (None, present.ORDER[0])


def run(present_flag: str | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if present_flag is not None:
        at.query_params["present"] = present_flag
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_apptest_present_mode_has_no_download_chrome_and_three_cards_a_row():
    """Test that ?present=1 switches the toggle on, drops table downloads and puts three cards a row."""
    at = run("1", "pages/safety/safety.py")
    assert at.toggle(key="present_mode").value is True
    assert [b.proto.label for b in at.get("download_button")] == ["下载会议简报（PDF）"]
    assert len(at.dataframe) > 0
    normal = run(None, "pages/safety/safety.py")
    assert len(at.metric) == len(normal.metric)
    assert len(at.columns) < len(normal.columns)  # charts and tables stacked, not side by side
    at.button(key="present_leave").click().run()
    assert at.toggle(key="present_mode").value is False


def test_browser_present_hides_filters_and_enlarges_cards(page, app_url):
    """Test that ?present=1 collapses the filter sidebar, enlarges the card values, keeps the URL's filters."""
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}&chain={quote('新材料')}&present=1")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    box = page.locator("[data-testid=stSidebar]").bounding_box()
    assert box is None or box["width"] == 0 or box["x"] + box["width"] <= 0
    size = page.locator("[data-testid=stMetricValue] p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40
    assert "产业链：新材料" in page.get_by_text("统计范围").first.inner_text()
    shown = metric_values(page)["规上工业产值"]
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}&chain={quote('新材料')}")
    wait_for_app(page)
    assert metric_values(page)["规上工业产值"] == shown  # same filters, same figure
    normal = page.locator("[data-testid=stMetricValue] p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert normal < size


def test_browser_next_page_keeps_mode_and_filters(page, app_url):
    """Test that 下一页 on 总览 opens 工业经济 still in 演示模式 with the same year, and 退出演示 restores the filters."""
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}&present=1")
    wait_for_app(page)
    page.locator("[data-testid=stPageLink] a", has_text="下一页：工业经济").click()
    page.wait_for_url("**/industry?**")
    wait_for_app(page)
    assert "present=1" in page.url and "year=2023" in page.url
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_role("button", name="下载 Excel").count() == 0
    page.get_by_role("button", name="退出演示").click()
    wait_for_app(page)
    page.wait_for_timeout(500)
    assert "present=1" not in page.url
    assert page.locator("[data-testid=stSidebar]").get_by_text("年份").first.is_visible()
    assert page.locator("[data-testid=stSidebar]").bounding_box()["width"] > 0
