"""AppTest: the 安全生产 page on the shipped data (cards, overdue list, enterprise drill-down)."""

import io

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.data.dimensions import EVERYTHING

PAGE = "pages/safety/safety.py"


def safety_page(year: int, month: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key="year").select(year).run()
    at.selectbox(key="month").select(month).run()
    assert not at.exception, at.exception
    return at


def registers(at: AppTest):
    """The hazard tables on the page (overdue list and drill-down register), as DataFrames."""
    return [d.value for d in at.dataframe if "hazard_id" in d.value.columns]


def test_2023_shows_zero_accidents_as_the_report_says():
    """Test that 2023 1—12月 shows 0 生产安全事故 with the green light and no overdue hazards."""
    at = safety_page(2023, 12)
    m = {x.label: x.value for x in at.metric}
    assert m["生产安全事故"] == "0 起"
    assert m["到期未整改隐患"] == "0 个"
    shown = [c.value for c in at.caption]  # the light (beside the change) and the target line under it
    assert any("● 正常" in a and "目标 0 起" in b for a, b in zip(shown, shown[1:]))


def test_overdue_list_puts_major_hazards_first_with_days_overdue():
    """Test that 2024 1—9月 lists every 到期未整改 hazard, 重大 first and longest overdue first."""
    at = safety_page(2024, 9)
    overdue = registers(at)[0]
    count = int(next(x.value for x in at.metric if x.label == "到期未整改隐患").split()[0])
    assert len(overdue) == count > 0
    assert set(overdue["status"]) == {"到期未整改"}
    levels = list(overdue["level"])
    assert levels == sorted(levels, key=lambda v: v != "重大")
    major_days = [int(d) for d, lv in zip(overdue["overdue_days"], levels) if lv == "重大"]
    assert major_days == sorted(major_days, reverse=True)


@pytest.mark.parametrize("year, month", [(2023, 12), (2024, 9)])
def test_enterprise_selector_narrows_the_register(year, month):
    """Test that picking an enterprise shows only that enterprise's hazards, and fewer rows than before."""
    at = safety_page(year, month)
    before = registers(at)[-1]
    choice = at.selectbox(key="safety_ent")
    label = choice.options[1]  # the enterprise with most hazards, shown as "name（N 个）"
    choice.select_index(1).run()
    assert not at.exception, at.exception
    after = registers(at)[-1]
    assert 0 < len(after) < len(before)
    assert after["ent_name"].nunique() == 1
    assert label == f"{after['ent_name'].iloc[0]}（{len(after)} 个）"


def caption_with(at: AppTest, text: str) -> str:
    return next(c.value for c in at.caption if text in c.value)


def test_drill_down_shows_its_first_rows_and_says_how_many_there_are(real_db):
    """Test that 2024 1—9月's register (more rows than a list shows) is cut to its first rows in the page's
    order, and the caption gives the whole count and where to get the rest."""
    from cockpit.domain import safety

    params = {"year": 2024, "month": 9, "scope": EVERYTHING}
    everything = safety.annotate_hazards(
        real_db.run("hazard_list", {**params, "category": "", "ent_id": ""}), safety.as_of_date(2024, 9)
    )
    assert len(everything) > 200
    at = safety_page(2024, 9)
    shown = registers(at)[-1]
    assert shown["hazard_id"].tolist() == everything["hazard_id"].head(200).tolist()
    assert caption_with(at, "全部隐患").endswith(
        f"共 {len(everything):,} 条（本期发现或期末未整改），显示前 200 条；下载 Excel 可得全部"
    )


def test_register_download_holds_every_row(monkeypatch, real_db):
    """Test that the drill-down list's Excel file, built on the click, holds the whole register (not the 200
    rows shown), with real dates and day counts."""
    import streamlit as st

    from cockpit.domain import safety

    built = {}
    button = st.download_button

    def click_now(label, data=None, **kwargs):
        if kwargs.get("key") == "safety_register_xlsx":
            built["xlsx"] = data()
        return button(label, data=data, **kwargs)

    monkeypatch.setattr(st, "download_button", click_now)
    safety_page(2024, 9)
    back = pd.read_excel(io.BytesIO(built["xlsx"]), sheet_name="隐患清单", header=4)  # below the title rows
    params = {"year": 2024, "month": 9, "scope": EVERYTHING}
    everything = safety.annotate_hazards(
        real_db.run("hazard_list", {**params, "category": "", "ent_id": ""}), safety.as_of_date(2024, 9)
    )
    assert back["编号"].tolist() == everything["hazard_id"].tolist()
    assert pd.api.types.is_datetime64_any_dtype(back["发现日期"])
    assert back["隐患时长（天）"].dropna().astype(int).tolist() == everything["age_days"].dropna().tolist()


def test_enterprise_search_narrows_the_picker():
    """Test that typing part of a name offers only the enterprises whose names contain it, and picking one
    narrows the register to it."""
    at = safety_page(2024, 9)
    everyone = at.selectbox(key="safety_ent").options
    name = everyone[1].split("（")[0]
    part = name[2:6]
    at.text_input(key="safety_ent_search").input(part).run()
    assert not at.exception, at.exception
    offered = at.selectbox(key="safety_ent").options
    assert offered[0] == "全部企业" and 1 < len(offered) < len(everyone)
    assert all(part in o.split("（")[0] for o in offered[1:])
    assert any(c.value.startswith(f"名称含「{part}」且有隐患的企业") for c in at.caption)
    at.selectbox(key="safety_ent").select_index(1).run()
    after = registers(at)[-1]
    assert after["ent_name"].nunique() == 1 and part in after["ent_name"].iloc[0]
    at.text_input(key="safety_ent_search").input("").run()  # clearing the search keeps the pick
    assert at.selectbox(key="safety_ent").value not in ("", None)
    assert registers(at)[-1]["ent_name"].nunique() == 1


def test_search_text_is_a_value_not_sql():
    """Test that quotes and LIKE wildcards in the search box find nothing and raise nothing."""
    at = safety_page(2024, 9)
    for text in ("%", "' or '1'='1", "_"):
        at.text_input(key="safety_ent_search").input(text).run()
        assert not at.exception, at.exception
        assert at.selectbox(key="safety_ent").options == ["全部企业"]
