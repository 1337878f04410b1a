"""Real browser (Debian Chromium via Playwright) against `streamlit run`: the 安全生产 page."""

import re
from urllib.parse import quote

from browser import metric_values, wait_for_app

MONTH_9 = quote("1—9月")
LIST_CAPTION = re.compile(r"共 ([\d,]+) 条")


def list_caption(page) -> str:
    return page.locator("[data-testid=stCaptionContainer]").filter(has_text=LIST_CAPTION).first.inner_text()


def test_clicking_a_category_bar_narrows_the_hazard_list(page, app_url):
    """Test that clicking a bar of the 类别 chart re-runs the page and narrows the hazard list to that category."""
    page.goto(f"{app_url}/safety?year=2024&month={MONTH_9}")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert metric_values(page)["生产安全事故"] == "0 起"
    before = list_caption(page)
    assert before.startswith("全部隐患")

    chart = page.locator("[data-testid=stVegaLiteChart]").nth(2)  # trend, 片区, 类别, …
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # let Vega draw
    box = chart.bounding_box()
    # bars are horizontal, longest on top; walk down the plot until a click lands on a bar
    for step in range(12, 90, 4):
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * step / 100)
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
                ".some(c => c.innerText.includes('类别：'))",
                timeout=3000,
            )
            break
        except Exception:  # noqa: BLE001 - missed the bars: try lower
            continue
    wait_for_app(page)
    after = list_caption(page)
    assert after.startswith("类别：")
    count = lambda text: int(LIST_CAPTION.search(text).group(1).replace(",", ""))  # noqa: E731
    assert 0 < count(after) < count(before)
    assert page.locator("[data-testid=stException]").count() == 0
