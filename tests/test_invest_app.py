"""AppTest of the 投资与项目 page on the shipped data."""

import json

import invest_fixture
from tabs import open_tab

from cockpit.data.dimensions import EVERYTHING

PAGE = "pages/invest/projects.py"


def open_page(year: int, month: int):
    return invest_fixture.open_page(PAGE, year, month)


def test_invest_page_2023_shows_the_report_figures():
    """Test that the page's cards show 20.47 / 15.09 / 9.06 亿元 with +35.6 / +14.4 / +58.8 % and 3.43 亿元 approved bonds."""
    at = open_page(2023, 12)
    m = {x.label: x for x in at.metric}  # the cards above the tabs, then each tab's figures
    m |= {x.label: x for x in open_tab(at, "专项债").metric} | {x.label: x for x in open_tab(at, "项目推进").metric}
    assert (m["固定资产投资"].value, m["工业投资"].value, m["高新技术产业投资"].value) == (
        "20.47 亿元",
        "15.09 亿元",
        "9.06 亿元",
    )
    assert [m[k].delta for k in ("固定资产投资", "工业投资", "高新技术产业投资")] == [
        "同比 +35.6%",
        "同比 +14.4%",
        "同比 +58.8%",
    ]
    assert m["专项债获批（2023年1—12月）"].value == "3.43 亿元"
    assert m["开工率"].value.endswith("%")


def test_invest_page_2024_plan_cards_and_lagging_projects():
    """Test that 2024 shows the plan items against targets and lists 胡涂硅 among the lagging projects."""
    at = open_page(2024, 9)
    m = {x.label: x.value for x in open_tab(at, "专项债").metric}
    assert m["储备项目数"] == "8 个" and m["拟争取专项债资金"] == "2.50 亿元"
    frames = [df.value for df in open_tab(at, "滞后项目").dataframe]
    lag = next(f for f in frames if "months_late" in f.columns)
    assert "胡涂硅有机硅新材料项目" in set(lag["project_name"])
    assert list(lag["light"].iloc[0]) == ["红 · 严重滞后"]  # one word a cell, drawn as a tinted label
    table = next(df for df in at.dataframe if "months_late" in df.value.columns)
    light = json.loads(table.proto.columns)["light"]
    assert light["type_config"]["type"] == "multiselect"
    assert light["type_config"]["options"] == [
        {"value": "红 · 严重滞后", "color": "#f6d5d2"},
        {"value": "黄 · 滞后", "color": "#fbecc6"},
    ]


def test_project_search_shows_stage_and_dates():
    """Test that picking 迈图新材料项目 shows its stage 签约 and the dates of its stages."""
    at = open_tab(open_page(2024, 9), "项目查询")
    at.selectbox(key="project_pick").select("XM0120").run()
    assert not at.exception
    m = {x.label: x.value for x in at.metric}
    assert m["当前阶段"] == "签约"
    dates = [df.value for df in at.dataframe if "stage" in df.value.columns and "plan_date" in df.value.columns][0]
    assert dict(zip(dates["stage"], dates["date"]))["签约"] == "2024-05-22"


def test_lists_are_limited_on_many_projects_and_downloads_hold_all(tmp_path, monkeypatch):
    """Test on 2,000 generated projects: the lagging table shows its first 200 rows with the note, its Excel
    export holds every row, the picker offers the 200 largest projects and the search finds any other."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest
    from test_exports import record_exports

    from cockpit.app import ui
    from cockpit.data.db import Database
    from cockpit.gen import scale

    data = tmp_path / "scale"
    scale.generate(2_000, data, log=lambda *_: None)
    db = Database(data)
    p = {"year": 2024, "month": 9, "scope": EVERYTHING, "yellow_months": 1, "red_months": 3, "limit": None}
    every_late = db.run("project_lagging", p)
    assert len(every_late) > 200
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(data))
    ui.clear_caches()
    exported = record_exports(monkeypatch)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(PAGE).run()
        open_tab(at, "滞后项目")
        assert not at.exception, at.exception
        lag = next(df.value for df in at.dataframe if "months_late" in df.value.columns)
        assert list(lag["project_name"]) == list(every_late["project_name"].head(200))
        notes = [c.value for c in at.caption]
        assert f"共 {len(every_late):,} 项，显示前 200 项；下载 Excel 可得全部" in notes
        full = next(frame for frame, _ in exported if "逾期（月）" in frame.columns)
        assert len(full) == len(every_late)
        assert list(full["逾期（月）"]) == list(every_late["months_late"])

        pick = open_tab(at, "项目查询").selectbox(key="project_pick")
        assert len(pick.options) == 200
        small = db.run("project_find", {"search": "", "limit": None}).nsmallest(1, "total_invest_wan").iloc[0]
        at.text_input(key="project_search").input(small["project_id"].lower()).run()
        at.selectbox(key="project_pick").select(small["project_id"]).run()
        assert not at.exception, at.exception
        assert {m.label: m.value for m in at.metric}["项目类型"] == small["kind"]
    finally:
        ui.clear_caches()
