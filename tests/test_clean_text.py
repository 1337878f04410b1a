"""AppTest: no page shows None / nan / empty or English words, in its texts or in the frames its tables draw.

st.dataframe draws on a canvas, so the check reads the frames the pages hand it (`at.dataframe[i].value`): a
missing text cell there is drawn as "None", a frame of no rows as "empty". Also: a filter scope without any
enterprise (片区 通航智造产业区 + 产业链 新材料, none in the sample) shows the empty state with its reason.
"""

import re

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from tabs import each_tab

from cockpit.domain import empty, navigation

PAGES = [p.script for p in navigation.viewer_pages()]
BAD = re.compile(r"\b(None|nan|NaN|NaT|empty|null|more)\b")
# Latin words a Chinese UI legitimately shows: formats, standards, units
ALLOWED = {"PDF", "Excel", "CSV", "GB", "R&D", "UTF", "BOM", "xlsx", "csv", "pdf", "ID", "GDP", "kWh", "PPI", "CPI"}
LATIN = re.compile(r"[A-Za-z][A-Za-z&]{2,}")
# markup, links, code, file names of the settings (config/rules.toml: shown to say where an admin changes a rule),
# codes from the data (parcel ZBQ-013, WGS84: capitals, at most four letters)
MARKUP = re.compile(r":material/[a-z_]+:|:[a-z]+\[|\]\(|https?://\S+|`[^`]*`|config/[a-z_]+\.toml|\b[A-Z]{2,4}\d*\b")


def texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning", "error", "success", "text"):
        out += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        out += [str(m.label), str(m.value), str(m.delta or "")]
    return out


def english(text: str) -> list[str]:
    return [w for w in LATIN.findall(MARKUP.sub(" ", text)) if w not in ALLOWED]


def frames(at: AppTest) -> list[pd.DataFrame]:
    out = []
    for d in at.dataframe:
        v = d.value
        out.append(getattr(v, "data", v))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_none_nan_empty_or_english(page):
    """Test that texts and table frames of the page hold no None / nan / empty and no English words."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    for tab in each_tab(at):  # every tab of a tabbed page (only the open one is drawn)
        assert not at.exception, (tab, at.exception)
        bad = [t for t in texts(at) if BAD.search(t) or english(t)]
        assert bad == [], tab
        for i, frame in enumerate(frames(at)):
            assert len(frame) > 0, f"{tab} table {i} has no rows (drawn as 'empty')"
            text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
            holes = {c: int(frame[c].isna().sum()) for c in text if frame[c].isna().any()}
            assert holes == {}, f"{tab} table {i}: missing text drawn as None"
        for element in at.dataframe:  # a missing number: the grid writes its placeholder, "None" without one
            assert element.proto.placeholder == "—"


def test_english_detector_can_fail():
    """Test the detectors themselves on texts that must be caught and texts that must pass."""
    assert english("3 more") == ["more"] and BAD.search("3 more")
    assert english("下载 Excel（.xlsx）· :material/download: · :red[● 预警]") == []
    assert BAD.search("None") and BAD.search("nan") and not BAD.search("Nanjing")
    assert english("地块 ZBQ-013 · config/rules.toml") == [] and english("按 [land] floor_wan 设置") == [
        "land",
        "floor",
        "wan",
    ]


def test_a_scope_without_enterprises_shows_why():
    """Test that 片区 通航智造产业区 + 产业链 新材料 (no such enterprise in the sample) shows 本筛选范围内无数据 and the
    reason on 总览 and 安全生产, and no cards or charts."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    from cockpit.data.db import SAMPLE_DIR, Database

    area = Database(SAMPLE_DIR).run("areas").set_index("area_name").at["通航智造产业区", "area_code"]
    at.multiselect(key="chain").set_value(["新材料"]).run()
    at.multiselect(key="area").set_value([area]).run()
    for page in (None, "pages/safety/safety.py"):
        if page:
            at.switch_page(page).run()
        assert not at.exception
        shown = [i.value for i in at.info]
        assert any(s.startswith(empty.HEADLINE) and "通航智造产业区没有新材料产业链的企业" in s for s in shown), shown
        assert len(at.metric) == 0 and len(at.get("arrow_vega_lite_chart")) == 0
