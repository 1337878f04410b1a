"""End to end: a second zone (青山经开区, built by tests/new_zone.py) started and filled through the command lines
only, then every page under AppTest on its data directory; the 总览 equals the figures worked out by hand."""

import subprocess
import sys

import new_zone as nz
import pandas as pd
import pytest
from conftest import ROOT, copy_data_dir
from streamlit.testing.v1 import AppTest

from cockpit.domain import navigation

PAGES = [p.script for p in navigation.viewer_pages()]  # the default (总览) first


def cli(*args) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    return run


@pytest.fixture(scope="module")
def zone_dir(tmp_path_factory):
    """青山经开区 as its clerk starts it: init, the onboarding workbook, then the monthly files."""
    root = tmp_path_factory.mktemp("qingshan")
    directory = root / "data"
    run = cli(
        "cockpit.data.zone", "init", str(directory), "--name", nz.NAME, "--short-name", nz.SHORT, "--county", nz.COUNTY
    )
    assert f"已建立「{nz.NAME}」的数据目录" in run.stdout
    book = root / "入驻工作簿.xlsx"
    cli("cockpit.data.zone", "workbook", str(book), "--data-dir", str(directory))
    book.write_bytes(nz.onboarding(book.read_bytes()))
    run = cli("cockpit.data.ingest", str(book), "--data-dir", str(directory), "--user", "王会计")
    assert "数据表：企业名录（enterprises），追加更新：新增 4 行" in run.stdout and "已提交" in run.stdout
    april, may_june = nz.write_monthly_files(root)
    run = cli("cockpit.data.ingest", str(april), "--data-dir", str(directory), "--user", "王会计")
    assert "新增 4 行" in run.stdout
    run = cli("cockpit.data.ingest", str(may_june), "--data-dir", str(directory), "--user", "王会计")
    assert "由 1—本月累计值推算当月值" in run.stdout and "新增 8 行" in run.stdout
    return directory


@pytest.fixture()
def app(zone_dir, monkeypatch):
    """The app on 青山经开区's data directory, with fresh caches."""
    import streamlit as st

    from cockpit.domain import memo

    monkeypatch.setenv("COCKPIT_DATA_DIR", str(zone_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()
    yield lambda: AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()


def shown_text(at: AppTest) -> str:
    """Every text a user reads on the page (headings, prose, cards, options, table cells)."""
    parts = []
    for kind in ("header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio"):
        parts += [" ".join(map(str, e.options)) for e in at.get(kind)]
    parts += [e.value.to_string() for e in at.dataframe if isinstance(e.value, pd.DataFrame)]
    return "\n".join(parts)


def test_overview_shows_the_new_zone_with_figures_worked_out_by_hand(app):
    """Test that 总览 opens on 2025年1—6月 of 青山经开区 and every card equals the hand-computed figure."""
    at = app().run()
    assert not at.exception, at.exception
    assert at.header[0].value == f"{nz.NAME} · 总览"
    assert any("2025年1—6月" in c.value for c in at.caption)
    values = {m.label: m.value for m in at.metric}
    for label, expected in nz.EXPECTED_OVERVIEW.items():
        assert values[label] == expected, label
    assert {m.label: m.delta for m in at.metric}["规上工业产值"] == f"同比 {nz.EXPECTED_OUTPUT_YOY}"
    assert at.multiselect(key="chain").options == ["绿色食品", "汽车零部件", "智能终端", "精密仪器"]
    assert at.multiselect(key="area").options == ["北区", "南区", "东区"]  # shown by name


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_new_zone_and_shows_only_its_data(app, page):
    """Test that each page runs without exception on the new zone, headed with its name, without 开化 text and
    without a 化工集聚区 section (the zone has none)."""
    at = app().run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.header[0].value.startswith((nz.SHORT, nz.NAME))
    text = shown_text(at)
    assert "开化" not in text and "化工集聚区" not in text


def test_rollback_to_the_first_version_returns_the_empty_zone(zone_dir, app, tmp_path, monkeypatch):
    """Test that the command-line rollback to 初始 empties the zone, and the app then says what to do."""
    copy = copy_data_dir(zone_dir, tmp_path / "copy")
    run = cli("cockpit.data.zone", "rollback", "初始", "--data-dir", str(copy), "--user", "王会计")
    assert "已回滚到版本 初始" in run.stdout
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(copy))
    at = app().run()
    assert not at.exception
    assert not at.metric and "尚无企业月度统计数据" in at.info[0].value
