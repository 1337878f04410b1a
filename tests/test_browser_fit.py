"""Real browser: at the sizes the meeting room uses, no card label, value or change is cut on any page.

A text is cut when an element of the card's label, value or delta (or any element inside it) is narrower than
its content (scrollWidth > clientWidth): an ellipsis "103.93 …" or clipped text. Every viewer page of the
registry, opened through the navigation as a user does, at 1280×800, 1366×768, 1024×1366 and 390×844 with the
sidebar as it opens, and at 1280×800 with the sidebar closed.
"""

import pytest
from browser import nav_to, wait_for_app

from cockpit.domain import navigation

SIZES = [(1280, 800), (1366, 768), (1024, 1366), (390, 844)]

# (kind, text, widest content, box width) of each cut text on the page
CUT = """() => {
  const out = [];
  for (const m of document.querySelectorAll('[data-testid=stMetric]')) {
    for (const kind of ['stMetricLabel', 'stMetricValue', 'stMetricDelta']) {
      const el = m.querySelector(`[data-testid=${kind}]`);
      if (!el) continue;
      for (const e of [el, ...el.querySelectorAll('*')]) {
        if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 0.5) {
          out.push([kind, el.innerText.trim(), e.scrollWidth, e.clientWidth]);
          break;
        }
      }
    }
  }
  return out;
}"""
COUNT = "() => document.querySelectorAll('[data-testid=stMetric]').length"


def cut_texts(page) -> list:
    page.wait_for_timeout(500)  # a rerun may still be starting; container-query sizes settle after it
    wait_for_app(page)
    return page.evaluate(CUT)


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_card_text_is_cut_on_any_page(chromium, app_url, width, height):
    """Test that on every viewer page, at this size, each card's label, value and change shows whole."""
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_for_app(page)
        found, seen = {}, 0
        for p in navigation.viewer_pages():
            opener = page.locator("[data-testid=stExpandSidebarButton]")
            if width < 600 and opener.is_visible():  # on a phone the navigation sits in the sidebar
                opener.click()
            nav_to(page, p.title)
            cut = cut_texts(page)
            seen += page.evaluate(COUNT)
            if cut:
                found[p.title] = cut
        assert seen > 60, f"only {seen} cards seen: the pages did not draw"
        assert found == {}
    finally:
        context.close()


def test_no_card_text_is_cut_with_the_sidebar_closed(chromium, app_url):
    """Test that closing the sidebar (a wider main area, more cards a row) cuts nothing either."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_for_app(page)
        page.locator("[data-testid=stSidebar]").hover()  # the close button shows on hover
        page.locator("[data-testid=stSidebarCollapseButton] button").click()
        found = {}
        for title in ("总览", "安全生产", "目标推演"):
            nav_to(page, title)
            assert page.locator("[data-testid=stExpandSidebarButton]").is_visible()
            found.update({title: cut} if (cut := cut_texts(page)) else {})
        assert found == {}
    finally:
        context.close()


def test_cards_take_columns_by_width(chromium, app_url):
    """Test that the 总览 grid has 4 cards a row on a wide screen, fewer on a tablet, 2 on a phone."""
    per_row = {}
    for width, height in ((1920, 1080), (1024, 1366), (390, 844)):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.goto(app_url)
        wait_for_app(page)
        per_row[width] = page.evaluate(
            "() => { const g = document.querySelector('[class*=st-key-cards-]');"
            " return getComputedStyle(g).gridTemplateColumns.split(' ').length; }"
        )
        context.close()
    assert per_row[1920] == 4
    assert 2 <= per_row[1024] < 4
    assert per_row[390] == 2
