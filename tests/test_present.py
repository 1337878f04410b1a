"""演示模式: the URL flag, the page order, AppTest of the page in the mode, and the browser view."""

import re
from urllib.parse import quote

import pytest
from browser import csp_problems, metric_values, wait_for_app, watched_page
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from tabs import each_tab

from cockpit.app import present
from cockpit.domain import navigation


@pytest.mark.parametrize(
    "value, on", [("1", True), ("true", True), ("ON", True), ("0", False), ("", False), (None, False), ("false", False)]
)
def test_url_value(value, on):
    """Test that ?present=1 (or true/yes/on) switches the mode on and anything else does not."""
    assert present.wanted(value) is on


def test_page_order():
    """Test that 上一页/下一页 step through the pages in navigation order (总览 → 工业经济 → 投资与项目 → 安全生产 →
    预警 → 亩均效益 → 低效用地 → 目标推演), every viewer page but 企业画像 (which needs an enterprise), and that a
    page outside the sequence (企业画像, 数据管理) leads to its start."""
    titles = [t for _, t in present.ORDER]
    assert titles == ["总览", "工业经济", "投资与项目", "安全生产", "预警", "亩均效益", "低效用地", "目标推演"]
    assert titles == [p.title for p in navigation.viewer_pages() if p.title != "企业画像"]
    pages = [s.title for s in present.sequence()]
    assert list(dict.fromkeys(pages)) == titles  # each page's screens together, pages in order
    first = present.sequence()[0]
    assert present.neighbours("企业画像") == (None, first)
    assert present.neighbours("数据管理") == (None, first)


def stop(title: str, step: int = 1) -> present.Stop:
    return next(s for s in present.sequence() if s.title == title and s.step == step)


def test_steps_turn_within_and_across_pages():
    """Test the screens: 总览 has 2 steps, 工业经济 5, 安全生产 8, 亩均效益 6, 目标推演 4, the others 1 (2 + 5 + 8 + 6
    + 4 + 3 = 28 in all); 下一页
    on a page's last step opens the next page's first, 上一页 on a first step the previous page's last."""
    counts = {p.title: len(p.steps) or 1 for p in navigation.presentation()}
    assert counts == {
        "总览": 2,
        "工业经济": 5,
        "投资与项目": 1,
        "安全生产": 8,
        "预警": 1,
        "亩均效益": 6,
        "低效用地": 1,
        "目标推演": 4,
    }
    stops = present.sequence()
    assert len(stops) == 28
    assert present.neighbours("总览", 1) == (None, stop("总览", 2))
    assert present.neighbours("总览", 2) == (stop("总览", 1), stop("工业经济", 1))
    assert present.neighbours("工业经济", 1) == (stop("总览", 2), stop("工业经济", 2))
    assert present.neighbours("投资与项目") == (stop("工业经济", 5), stop("安全生产", 1))
    assert present.neighbours("安全生产", 8) == (stop("安全生产", 7), stop("预警"))
    assert present.neighbours("低效用地") == (stop("亩均效益", 6), stop("目标推演"))
    assert present.neighbours("目标推演") == (stop("低效用地"), stop("目标推演", 2))
    assert present.neighbours("目标推演", 4) == (stop("目标推演", 3), None)
    for before, after in zip(stops, stops[1:]):  # forward then back is where one started
        assert present.neighbours(before.title, before.step)[1] == after
        assert present.neighbours(after.title, after.step)[0] == before
    assert stop("工业经济", 3).label == "工业经济 · 增长来源" and stop("预警").label == "预警"
    assert stop("工业经济", 3).label_from("工业经济") == "增长来源"  # the buttons on the same page
    assert stop("工业经济", 3).label_from("总览") == "工业经济 · 增长来源" and stop("预警").label_from("预警") == "预警"


@pytest.mark.parametrize(
    "value, title, step",
    [
        ("2", "工业经济", 2),
        (" 5 ", "工业经济", 5),
        ("9", "工业经济", 5),
        ("0", "工业经济", 1),
        ("-3", "安全生产", 1),
        ("x", "安全生产", 1),
        (None, "安全生产", 1),
        ("3", "预警", 1),
        ("2", "企业画像", 1),
    ],
)
def test_step_from_url(value, title, step):
    """Test that ?step= is read as a step of that page, held to 1 … its number of steps."""
    assert present.step_of(value, title) == step


def test_every_declared_step_is_marked_in_its_page():
    """Test that each page script marks exactly the steps its registry entry declares (present.section names)."""
    for p in navigation.presentation():
        script = (ROOT / p.script).read_text(encoding="utf-8")
        used = set(re.findall(r'present\.section\("([^"]+)"\)', script))
        for call in re.findall(r"ui\.tabs\((.*?)\n\)", script, flags=re.S):  # tabs that are steps by their label
            if "steps=True" in call:
                used |= set(re.findall(r'"([^"]+)": \w+', call))
        assert used == set(p.steps), p.title


def test_chart_theme_of_the_mode():
    """Test the projector chart theme on a small spec: axis labels 13 → 20 px with the house font kept, titles
    26 px, a text mark's 13 px label → 20 px, quantitative ticks limited to 6, rows of a category axis 40 px
    high; a spec with a quantitative y keeps its height; the spec passed in is unchanged."""
    spec = {
        "config": {"axis": {"labelFontSize": 13, "labelFont": "F"}, "title": {"fontSize": 15}},
        "height": 100,
        "datasets": {"d": b"x"},
        "layer": [
            {"mark": {"type": "bar"}, "encoding": {"y": {"field": "c", "type": "nominal"}}},
            {"mark": {"type": "text", "fontSize": 13}, "encoding": {"y": {"field": "c", "type": "nominal"}}},
        ],
    }
    out = present.chart_spec(spec)
    assert out["config"]["axis"]["labelFontSize"] == 20 and out["config"]["axis"]["labelFont"] == "F"
    assert out["config"]["title"]["fontSize"] == 26
    assert out["config"]["axisQuantitative"]["tickCount"] == 6
    assert out["layer"][1]["mark"]["fontSize"] == 20 and out["layer"][0]["mark"] == {"type": "bar"}
    assert out["height"] == {"step": 40}
    assert out["datasets"] is spec["datasets"]
    assert spec["config"]["axis"]["labelFontSize"] == 13 and spec["layer"][1]["mark"]["fontSize"] == 13
    assert spec["height"] == 100
    line = {"mark": "line", "height": 300, "encoding": {"y": {"field": "v", "type": "quantitative"}}}
    assert present.chart_spec(line)["height"] == 300


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
    normal_cards = {m.label for _ in each_tab(normal) for m in normal.metric}  # the cards above and in every tab
    assert len(at.metric) == len(normal_cards) and {m.label for m in at.metric} == normal_cards  # all, stacked
    assert len(at.columns) < len(normal.columns)  # charts and tables stacked, not side by side
    at.button(key="present_leave").click().run()
    assert at.toggle(key="present_mode").value is False


def test_browser_present_hides_filters_and_enlarges_cards(page, app_url):
    """Test that ?present=1 collapses the filter sidebar, enlarges the card values (at 1920 px: six cards a row),
    keeps the URL's filters."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}&chain={quote('新材料')}&present=1")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    box = page.locator("[data-testid=stSidebar]").bounding_box()
    assert box is None or box["width"] == 0 or box["x"] + box["width"] <= 0
    size = page.locator("[data-testid=stMetricValue] p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40
    assert "产业链：新材料" in page.get_by_text("统计范围").first.inner_text()
    shown = metric_values(page)["规上工业产值"]
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}&chain={quote('新材料')}")
    wait_for_app(page)
    assert metric_values(page)["规上工业产值"] == shown  # same filters, same figure
    normal = page.locator("[data-testid=stMetricValue] p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert normal < size


def test_browser_next_page_keeps_mode_and_filters(page, app_url):
    """Test that 下一页 on 总览's last step opens 工业经济 still in 演示模式 with the same year, and 退出演示 restores
    the filters."""
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}&present=1&step=2")
    wait_for_app(page)
    page.get_by_role("button", name="下一页：工业经济 · 主要指标").click()
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


def visible_boxes(page, selector: str) -> list[dict]:
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).map(e => {"
        "const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, "
        "text: e.innerText || e.textContent}; })",
        selector,
    )


def test_browser_projector_first_screen_keys_and_chart_text(chromium, app_url):
    """Test at 1920×1080 that 总览 in 演示模式 shows all its cards and its main chart within the first screen, with
    axis labels ≥ 20 px and titles ≥ 26 px; that → and PageDown move forward (总览's second step, then 工业经济),
    ← and PageUp back; and that the browser logs no CSP violation on the way."""
    context, page, messages = watched_page(chromium, 1920, 1080)
    page.goto(f"{app_url}/?present=1")
    wait_for_app(page, 60_000)
    drawn = (
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
        ".filter(c => c.offsetParent !== null).some(c => c.querySelector('svg text'))"
    )
    page.wait_for_function(drawn, timeout=30_000)
    cards = visible_boxes(page, "[data-testid=stMetricValue]")  # (stMetric itself may be display: contents)
    assert len(cards) == page.locator("[data-testid=stMetric]").count() >= 10
    assert all(0 <= c["top"] and c["bottom"] <= 1080 for c in cards), cards
    charts = visible_boxes(page, "[data-testid=stVegaLiteChart]")
    assert len(charts) == 1 and "规上工业产值 逐月累计" in charts[0]["text"]
    assert charts[0]["bottom"] <= 1080, charts
    sizes = page.evaluate("""() => { const svg = [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg')]
        .find(s => s.closest('[data-testid=stVegaLiteChart]').offsetParent !== null);
      const px = sel => [...svg.querySelectorAll(sel)].map(t => parseFloat(getComputedStyle(t).fontSize));
      return {labels: px('.role-axis-label text'), titles: px('.role-title-text text')}; }""")
    assert sizes["labels"] and min(sizes["labels"]) >= 20, sizes
    assert sizes["titles"] and min(sizes["titles"]) >= 26, sizes

    def turn(key: str, pattern: str, title: str, selector: str = "[data-testid=stVegaLiteChart]") -> None:
        """Press `key`; wait for the URL and for the new screen: the first visible `selector` element drawn and
        reading `title`."""
        page.keyboard.press(key)
        page.wait_for_function(f"() => /{pattern}/.test(location.pathname + location.search)", timeout=30_000)
        page.wait_for_function(
            "([sel, t]) => { const shown = [...document.querySelectorAll(sel)].filter(c => c.offsetParent !== null);"
            " return shown.length > 0 && shown.every(c => !c.matches('[data-testid=stVegaLiteChart]') ||"
            " c.querySelector('svg text')) && shown[0].textContent.includes(t); }",
            arg=[selector, title],
            timeout=30_000,
        )
        wait_for_app(page, 60_000)

    turn("ArrowRight", r"^\/\?.*step=2", "分产业链规上产值")
    assert not visible_boxes(page, "[data-testid=stMetricValue]")  # the cards belong to the first step
    turn("PageDown", r"^\/industry\?(?!.*step=)", "规上工业产值", "[data-testid=stMetricLabel]")
    assert not visible_boxes(page, "[data-testid=stVegaLiteChart]")  # 工业经济's first step: its cards
    turn("ArrowLeft", r"^\/\?.*step=2", "分产业链规上产值")
    turn("PageUp", r"^\/\?(?!.*step=)", "规上工业产值 逐月累计")
    assert "present=1" in page.url
    context.close()
    bad = csp_problems(messages)
    assert not bad, bad
