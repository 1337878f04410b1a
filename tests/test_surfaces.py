"""Driven by the registry: for several filter combinations, every indicator shows the same value, change and light
on every surface that shows it — the 总览 cards (AppTest), its own page's KPI row (AppTest), the 汇报稿 on 总览
(AppTest) and the PDF brief (pdftotext).

The combinations: a filtered view (2023 · 产业链 = 新材料, which has a target of its own for 产值), the first data
year (2021: no 同比 anywhere) and 1—2月 (2024, published together).
"""

import re
import subprocess

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from tabs import each_tab

from cockpit.app.filters import Filters
from cockpit.data.config import load_rules
from cockpit.domain import cards, indicators, overview
from cockpit.domain.indicators import REGISTRY
from cockpit.domain.markup import plain
from cockpit.report import brief

COMBOS = {
    "2023-新材料": Filters(2023, 12, chains=("新材料",)),
    "2021-first-year": Filters(2021, 12),
    "2024-1—2月": Filters(2024, 2),
}
PAGES = {
    "industry": "pages/economy/industry.py",
    "invest": "pages/invest/projects.py",
    "land": "pages/land/land.py",
    "safety": "pages/safety/safety.py",
}


def open_app(f: Filters, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(page).run()
    at.selectbox(key="year").select(f.year).run()
    at.selectbox(key="month").select(f.month).run()
    if f.chains:
        at.multiselect(key="chain").set_value(list(f.chains)).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> tuple[dict, str]:
    """label → (value, delta) of the metrics, and every caption's text, of every tab of a tabbed page."""
    metrics, captions = {}, []
    for _ in each_tab(at):
        metrics |= {m.label: (m.value, m.delta or None) for m in at.metric}
        captions += [c.value for c in at.caption]
    return metrics, "\n".join(captions)


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def assert_card_shown(c: cards.Card, metrics: dict, captions: str) -> None:
    assert c.label in metrics, c.label
    assert metrics[c.label] == (c.value_text, c.change_text), c.label
    lines = unescape(captions)
    if c.target_text:
        assert c.target_text in lines, (c.label, c.target_text)
    if c.status_text:
        assert f"● {c.status_text}" in lines, (c.label, c.status_text)
    for note in c.notes:
        assert note in lines, (c.label, note)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module", params=list(COMBOS), ids=list(COMBOS))
def combo(request, real_db):
    f = COMBOS[request.param]
    rules = load_rules()
    model = overview.model(real_db.run, f, rules)
    data = brief.collect(real_db.run, f, rules, "测试范围")
    pdf = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=brief.pdf_bytes(data, with_charts=False),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return f, rules, model, data, pdf


def test_overview_cards_and_draft_match_the_registry(combo):
    """Test that 总览 shows each headline card's value, change, light, target line and notes, and its 汇报稿 is
    the brief's text."""
    f, rules, model, data, _ = combo
    at = open_app(f)
    metrics, captions = shown(at)
    for c in model.cards:
        assert_card_shown(c, metrics, captions)
    at.toggle(key="show_draft").set_value(True).run()
    draft = "\n".join(m.value for m in at.markdown)  # formatted text: the section in bold, then its paragraph
    for section, text in data.paragraphs.items():
        assert f"**{section}**　{plain(text)}" in draft


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_row_matches_the_registry_and_the_overview(combo, page, real_db):
    """Test that a page's KPI row shows its indicators as the registry evaluates them, and that a headline
    indicator has the same value, change and light there as on 总览."""
    f, rules, model, _, _ = combo
    expected = cards.cards(indicators.page(real_db.run, f, rules, page), on_page=True)
    at = open_app(f, PAGES[page])
    metrics, captions = shown(at)
    headline = {c.indicator_id: c for c in model.cards}
    for c in expected:
        assert_card_shown(c, metrics, captions)
        if c.indicator_id in headline:
            h = headline[c.indicator_id]
            assert (c.value_text, c.change_text, c.status, c.target_text) == (
                h.value_text,
                h.change_text,
                h.status,
                h.target_text,
            ), c.indicator_id


def test_pdf_rows_and_text_match_the_cards(combo):
    """Test that the PDF's KPI table prints each card's value, change and status, and its text the 汇报稿."""
    f, rules, model, data, pdf = combo
    lines = pdf.splitlines()
    for c in model.cards:
        row = next((ln for ln in lines if re.match(rf"\s*{re.escape(c.label)}\s", ln)), None)
        assert row is not None, c.label
        cells = squeeze(row)  # pdftotext may close the gap between a number and its unit
        assert squeeze(c.value_text) in cells, (c.label, row)
        assert squeeze(cards.short_change(c.evaluation)) in cells, (c.label, row)
        assert squeeze(c.status_text or "—") in cells, (c.label, row)
    flat = squeeze(pdf)
    for text in data.paragraphs.values():
        assert squeeze(text) in flat
    for c in model.cards:
        for note in c.notes:
            assert squeeze(note) in flat, (c.label, note)


def test_draft_states_each_value_and_change(combo):
    """Test that each headline sentence carries the card's value and the size of its change (or says there is
    no comparison)."""
    f, rules, model, data, _ = combo
    text = "".join(data.paragraphs.values())
    for c in model.cards:
        e = c.evaluation
        if not e.indicator.sentence or e.hidden or e.value is None:
            continue
        if e.value == 0 and e.indicator.sentence.zero:
            assert e.indicator.sentence.zero.split("{")[0] in text, c.label  # '辖区内未发生生产安全事故'
            continue
        value = c.value_text
        assert value in text or value.replace(" ", "") in text, c.label
        if not e.comparable:
            assert "上年同期无数据" in text
        elif e.change is not None and e.indicator.change != "none" and round(e.change, 1) != 0:
            magnitude = f"{abs(e.change):.1f}" if e.indicator.change != "diff" else f"{int(abs(e.change))}"
            assert magnitude in text, (c.label, magnitude)


def test_combos_cover_what_they_claim(combo):
    """Test that the combinations exercise a same-scope target, the first-year rule and 1—2月."""
    f, _, model, _, _ = combo
    by = {c.indicator_id: c.evaluation for c in model.cards}
    if f.chains:
        assert by["output"].target_scope == "产业链：新材料" and by["fai"].target is None
        assert by["land_reclaimed"].scope_note
    elif f.year == 2021:
        assert not any(e.comparable for e in by.values() if e.indicator.change != "none")
    else:
        assert f.month == 2 and by["output"].progress == pytest.approx(100 * 2 / 12)
    assert [c.indicator_id for c in model.cards] == [i.id for i in REGISTRY.overview()]
