"""The meeting brief: content from the named queries, the PDF's text, and a real-browser download."""

import subprocess
from urllib.parse import quote

import pytest

from browser import metric_values, wait_for_app
from cockpit import brief
from cockpit.config import load_rules
from cockpit.filters import Filters


@pytest.fixture(scope="module")
def brief_2023(real_db):
    return brief.collect(real_db.run, Filters(2023, 12), load_rules(), "2023年1—12月 · 全部")


def pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_brief_content_matches_the_report(brief_2023):
    """Test that the brief's cards and drafted text carry the report's 2023 figures."""
    values = {c.name: c.value_text for c in brief_2023.cards}
    assert values["规上工业产值"] == "136.65 亿元" and values["固定资产投资"] == "20.47 亿元"
    # 同比 on the same enterprises in both periods (同口径) by default; the 全口径 figure stays on the card
    assert "规上工业产值136.65亿元，同比增长 0.4%（同口径）" in brief_2023.paragraphs["工业经济"]
    output = next(c for c in brief_2023.cards if c.indicator_id == "output")
    assert output.change_text == "同比 +0.4%" and "全口径 +6.0%" in output.notes[0]
    assert "未发生生产安全事故" in brief_2023.paragraphs["安全生产"]


def test_pdf_text_contains_the_figures(brief_2023):
    """Test that pdftotext of the PDF (fonts embedded) contains the figures and the drafted text."""
    text = pdftotext(brief.pdf_bytes(brief_2023, with_charts=False))
    for figure in ("136.65 亿元", "23.19 亿元", "20.47 亿元", "109.63 万元/亩", "需关注事项"):
        assert figure in text, figure
    fonts = subprocess.run(["pdffonts", "-"], input=brief.pdf_bytes(brief_2023, with_charts=False),
                           capture_output=True).stdout.decode()
    assert "NotoSansCJK" in fonts.replace(" ", "") and "yes" in fonts  # embedded subset


def test_chart_png_renders_chinese(brief_2023):
    """Test that a chart renders server-side to a PNG of a sensible size."""
    png = brief.chart_png(next(iter(brief_2023.charts.values())))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_browser_downloads_the_pdf_shown_figures(page, app_url):
    """Test that the sidebar button downloads a PDF whose text has the 规上产值 the page shows."""
    page.goto(f"{app_url}/?year=2023&month={quote('1—12月')}")
    wait_for_app(page)
    shown = metric_values(page)["规上工业产值"]
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="下载会议简报（PDF）").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    text = pdftotext(open(download.path(), "rb").read())
    assert shown in text and "2023年1—12月" in text
