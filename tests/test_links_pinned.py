"""Links that stay put: 复制链接 pins year, month and every filter; a bare link follows the latest data and the page
says which period it shows; the 汇报稿's visible 复制 button (a same-origin component under the strict CSP)."""

from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from browser import wait_for_app
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.app import links
from cockpit.app.filters import Filters
from cockpit.report import narrative


def test_pinned_params_name_period_and_every_filter():
    """Test the pinned query of hand-made filters: year and month always, each filter value under its URL key."""
    f = Filters(2024, 9, chains=("新材料", "新装备"), sectors=("2614",), areas=("HGQ", "BQ"), high_tech_only=True)
    assert links.pinned_params(f) == [
        ("year", "2024"),
        ("month", "1—9月"),
        ("chain", "新材料"),
        ("chain", "新装备"),
        ("sector", "2614"),
        ("area", "HGQ"),
        ("area", "BQ"),
        ("hitech", "true"),
    ]
    assert links.pinned_params(Filters(2023, 12)) == [("year", "2023"), ("month", "1—12月")]
    url = links.pinned_url("http://h:1/industry?year=2022", Filters(2024, 9, chains=("新材料",)), {"present": ["1"]})
    parts = urlsplit(url)
    assert parts.path == "/industry" and parse_qsl(parts.query) == [
        ("year", "2024"),
        ("month", "1—9月"),
        ("chain", "新材料"),
        ("present", "1"),
    ]


def test_period_note():
    """Test 「当前显示 …」 for the latest period and for an earlier one (named with the latest)."""
    assert links.period_note(Filters(2024, 9), (2024, 9)) == "当前显示 2024年1—9月（最新数据）"
    assert links.period_note(Filters(2023, 12), (2024, 9)) == "当前显示 2023年1—12月（最新数据为 2024年1—9月）"
    assert links.period_note(Filters(2024, 2), (2024, 2)) == "当前显示 2024年1—2月（最新数据）"


def test_draft_as_text():
    """Test the copied 汇报稿: title, numbered section headings, paragraphs, blank lines between."""
    assert (
        narrative.as_text("标题", {"工业经济": "甲。", "安全生产": "乙。"})
        == "标题\n\n一、工业经济\n甲。\n\n二、安全生产\n乙。"
    )


def caption_texts(at) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.apptest
def test_bare_and_pinned_links_say_their_period(real_db):
    """Test (AppTest) that a bare link shows the latest period and says so, and a link naming 2023 and 1—12月
    shows that period and names the latest one."""
    periods = real_db.run("data_periods", {})
    year = int(periods["year"].max())
    month = int(periods.loc[periods["year"] == year, "last_month"].max())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    assert any(c.startswith(f"当前显示 {year}年1—{month}月（最新数据） · 统计范围：") for c in caption_texts(at))
    pinned = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    pinned.query_params["year"] = "2023"
    pinned.query_params["month"] = "1—12月"
    pinned.run()
    assert not pinned.exception
    assert any(c.startswith(f"当前显示 2023年1—12月（最新数据为 {year}年1—{month}月）") for c in caption_texts(pinned))


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


@pytest.mark.browser
def test_browser_copy_link_pins_period_and_filters(chromium, app_url):
    """Test in Chromium (strict CSP): 复制链接 in the sidebar puts a link with year, month and the chosen 产业链 on
    the clipboard, and that link opens the same period and filter (a bare link opens the latest)."""
    context = chromium.new_context(
        viewport={"width": 1600, "height": 1000}, locale="zh-CN", permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{app_url}/industry?chain={quote('新材料')}")
    wait_for_app(page)
    frame = page.frame_locator("iframe[title*='copy_button']").first
    frame.get_by_role("button", name="复制链接").click()
    frame.get_by_text("已复制").wait_for(timeout=10_000)
    url = clipboard(page)
    query = dict(parse_qsl(urlsplit(url).query))
    assert urlsplit(url).path.endswith("/industry")
    assert query["year"] and query["month"].startswith("1—") and query["chain"] == "新材料", url
    shown = page.get_by_text("当前显示").first.inner_text()
    other = context.new_page()
    other.goto(url)
    wait_for_app(other)
    assert other.get_by_text("当前显示").first.inner_text() == shown
    assert "新材料" in other.get_by_text("统计范围").first.inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


@pytest.mark.browser
def test_browser_draft_copy_button(chromium, app_url):
    """Test in Chromium: the 汇报稿 shows as text with a visible 复制汇报稿 button, and the button puts the whole
    draft (title and every section) on the clipboard."""
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}")
    wait_for_app(page)
    page.get_by_text("显示汇报稿").click()
    wait_for_app(page)
    frame = page.frame_locator("iframe[title*='copy_button']").last
    button = frame.get_by_role("button", name="复制汇报稿")
    button.wait_for(state="visible", timeout=20_000)
    button.click()
    frame.get_by_text("已复制").wait_for(timeout=10_000)
    text = clipboard(page)
    assert text.startswith(
        "浙江开化经济开发区2023年1—12月主要工作情况\n\n一、工业经济\n1—12月，规上工业产值 136.65 亿元"
    )
    assert "\n\n四、安全生产\n" in text
    assert page.locator("[data-testid=stCode]").count() == 0
    page.screenshot(path="/tmp/draft_1366.png", full_page=True)
    context.close()
