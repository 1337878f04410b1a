"""The meeting brief: content from the named queries, the PDF's text, and a real-browser download."""

import dataclasses
import re
import subprocess
from urllib.parse import quote

import pytest
from browser import metric_values, wait_for_app

from cockpit.app.filters import Filters
from cockpit.data.config import load_rules
from cockpit.report import brief


@pytest.fixture(scope="module")
def brief_2023(real_db):
    return brief.collect(real_db.run, Filters(2023, 12), load_rules(), "2023年1—12月 · 全部")


def pdftotext(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_brief_content_matches_the_report(brief_2023):
    """Test that the brief's cards and drafted text carry the report's 2023 figures."""
    values = {c.name: c.value_text for c in brief_2023.cards}
    assert values["规上工业产值"] == "136.65 亿元" and values["固定资产投资"] == "20.47 亿元"
    # 同比 on the same enterprises in both periods (同口径) by default; the 全口径 figure stays on the card
    assert "规上工业产值 136.65 亿元，同比增长 0.4%（同口径）" in brief_2023.paragraphs["工业经济"]
    output = next(c for c in brief_2023.cards if c.indicator_id == "output")
    assert output.change_text == "同比 +0.4%" and "全口径 +6.0%" in output.notes[0]
    assert "未发生生产安全事故" in brief_2023.paragraphs["安全生产"]


def test_pdf_text_contains_the_figures(brief_2023):
    """Test that pdftotext of the PDF (fonts embedded) contains the figures and the drafted text."""
    text = pdftotext(brief.pdf_bytes(brief_2023, with_charts=False))
    for figure in ("136.65 亿元", "23.19 亿元", "20.47 亿元", "109.63 万元/亩", "需关注事项"):
        assert figure in text, figure
    fonts = subprocess.run(
        ["pdffonts", "-"], input=brief.pdf_bytes(brief_2023, with_charts=False), capture_output=True
    ).stdout.decode()
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


PAGE_NUMBER = re.compile(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页")
UNIT_START = re.compile(r"^\s*(?:[\d.,%]|个百分点|亿元|万元|亩|个|起|家|分|天)")


def pages_of(data: bytes) -> list[str]:
    return pdftotext(data).split("\f")[:-1]


def broken_numbers(text: str) -> list[tuple[str, str]]:
    """Pairs of consecutive lines where a number (or a number and its unit) runs over the line break."""
    lines = [x for x in text.splitlines() if x.strip()]
    return [
        (a, b)
        for a, b in zip(lines, lines[1:])
        if re.search(r"[\d.]$", a.rstrip()) and UNIT_START.match(b.lstrip()) and not PAGE_NUMBER.search(a + b)
    ]


def test_pdf_pages_are_numbered_and_numbers_unbroken(brief_2023):
    """Test that every page ends with 第 x 页 / 共 y 页, no number is cut by a line break, the 口径 names the
    month (no developer 'm月'), and the last page is not nearly empty."""
    data = brief.pdf_bytes(brief_2023, with_charts=False)
    pages = pages_of(data)
    assert len(pages) >= 2
    for i, text in enumerate(pages, start=1):
        numbers = PAGE_NUMBER.findall(text)
        assert numbers == [(str(i), str(len(pages)))], (i, numbers)
    whole = "\n".join(pages)
    assert broken_numbers(whole) == []
    assert "m月" not in whole and "1—12月累计" in whole and "时序进度 = 12 ÷ 12" in whole
    last = [x for x in pages[-1].splitlines() if x.strip() and not PAGE_NUMBER.search(x)]
    assert len(last) >= 12, last


def test_the_checks_catch_a_split_number():
    """Test the line check itself on text cut as the old layout cut it."""
    assert (
        broken_numbers("提高 4.\n9 个百分点") and broken_numbers("增长 12\n.5%") and broken_numbers("产值 103.93\n亿元")
    )
    assert not broken_numbers("提高 4.9 个百分点\n规上工业")


@pytest.mark.parametrize(
    "text, width",
    [
        ("比上年同期提高 14.9 个百分点，其中工业投资 11.91 亿元，同比增长 12.1%。" * 3, 60),
        ("截至2024-09-30，1—9月累计 1,234.5 万元/亩。" * 4, 45),
    ],
)
def test_wrap_never_cuts_a_number(text, width):
    """Test that lines break between tokens only: numbers with their units stay whole, no line starts with
    closing punctuation, and nothing is lost."""
    pdf = brief.document("t", "t", "2024-01-01")
    pdf.set_font("cjk", "", 10.5)
    lines = brief.wrap(pdf, text, width)
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(pdf.get_string_width(x) <= width + 0.01 for x in lines)
    for a, b in zip(lines, lines[1:]):
        assert not re.search(r"[\d.]$", a) or not UNIT_START.match(b), (a, b)
        assert b[0] not in "，。、；%"


@pytest.mark.parametrize("items", range(0, 40, 5))
def test_no_nearly_empty_last_page(brief_2023, items):
    """Test that however many items need attention, the brief does not end on a page of a few lines."""
    b = dataclasses.replace(
        brief_2023,
        attention=[
            (
                "项目滞后",
                f"第 {i} 个项目：计划开工 2024-03-31，已滞后 6 个月（滞后）（责任单位：项目推进科，责任人：王晨）",
            )
            for i in range(items)
        ],
    )
    pages = pages_of(brief.pdf_bytes(b, with_charts=False))
    if len(pages) > 1:
        body = [x for x in pages[-1].splitlines() if x.strip() and not PAGE_NUMBER.search(x)]
        assert len(body) >= 8, (items, len(pages), body)
