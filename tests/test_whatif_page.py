"""AppTest of the 目标推演 page: goal-seek figures, slider fragment without queries, URL assumptions."""

import functools

import pytest
import streamlit.testing.v1.local_script_runner as local_runner
from conftest import ROOT
from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import AppTest

import cockpit.app.ui
from cockpit.data.db import Database
from cockpit.domain import scenarios

PAGE = "pages/whatif/whatif.py"


def open_page(query_params: dict | None = None, admin: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(query_params or {})
    if admin:
        at.session_state["_cockpit_admin"] = True
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture()
def query_calls(monkeypatch):
    """Every named-query call (cockpit.app.ui.q) and every query actually run (Database.run), by name."""
    calls = {"q": [], "run": []}
    q, run = cockpit.app.ui.q, Database.run

    def counted_q(name, params=None, **extra):
        calls["q"].append(name)
        return q(name, params, **extra)

    def counted_run(self, name, params=None):
        calls["run"].append(name)
        return run(self, name, params)

    monkeypatch.setattr(cockpit.app.ui, "q", counted_q)
    monkeypatch.setattr(Database, "run", counted_run)
    return calls


def fragment_rerun(at: AppTest, monkeypatch):
    """Make the next run a fragment-scoped rerun of the page's only fragment, as the browser sends it."""
    ids = list(at._fragment_storage._fragments)
    assert len(ids) == 1, ids
    monkeypatch.setattr(local_runner, "RerunData", functools.partial(RerunData, fragment_id=ids[0]))


def test_goal_seek_2024_figures():
    """Test that 2024 1—9月 shows 规上产值 YTD, 完成率 and the required growth of the bundled data."""
    m = metrics(open_page())
    assert m["2024年1—9月累计"] == "103.93 亿元"
    assert m["完成率"] == "71.2%"
    assert m["后三个月所需同比"] == "+6.5%"
    assert m["所需月均"] == "14.02 亿元"


def test_slider_move_updates_projection_without_running_queries(monkeypatch, query_calls):
    """Test that moving a 产业链 slider reruns only the fragment: projection and URL change, no query runs."""
    at = open_page()
    assert query_calls["q"], "the full run calls the page's named queries"
    before = metrics(at)["全年规上产值（推演）"]
    query_calls["q"].clear()
    query_calls["run"].clear()
    fragment_rerun(at, monkeypatch)
    at.slider(key="whatif_growth_新材料").set_value(30.0).run()
    assert not at.exception, at.exception
    assert query_calls == {"q": [], "run": []}
    after = metrics(at)["全年规上产值（推演）"]
    assert after != before
    assert "新材料:30" in str(at.query_params[scenarios.URL_KEY])


def test_full_rerun_does_call_the_queries(query_calls):
    """Test that the counter works: a full rerun (not a fragment) asks for the page's named queries again."""
    at = open_page()
    query_calls["q"].clear()
    at.slider(key="whatif_growth_新材料").set_value(30.0).run()
    assert "whatif_chain_monthly" in query_calls["q"]


def test_url_assumptions_set_the_sliders():
    """Test that growth=… in the URL sets the sliders and the projection on first load."""
    default = metrics(open_page())["全年规上产值（推演）"]
    at = open_page({"growth": "新材料:20,食品饮料:-10,新农业:99"})
    assert at.slider(key="whatif_growth_新材料").value == 20.0
    assert at.slider(key="whatif_growth_食品饮料").value == -10.0
    assert metrics(at)["全年规上产值（推演）"] != default


def test_loading_a_preset_moves_the_sliders():
    """Test that choosing 乐观 and 载入 sets every slider 10 points above 保守."""
    at = open_page()
    at.selectbox(key="whatif_pick").select("保守").run()
    at.button(key="whatif_load").click().run()
    low = {s.key: s.value for s in at.slider}
    at.selectbox(key="whatif_pick").select("乐观").run()
    at.button(key="whatif_load").click().run()
    high = {s.key: s.value for s in at.slider}
    assert low.keys() == high.keys() and len(low) >= 5
    assert sum(high[k] > low[k] for k in low) >= len(low) - 1  # a chain may sit at the slider's top


def test_targets_table_is_read_only_with_a_note_and_source():
    """Test that with editing switched off the 目标表 shows the source column read-only with a note."""
    at = open_page()
    tables = [d.value for d in at.dataframe]
    target_table = next(t for t in tables if "source" in t.columns)
    assert "示例默认值" in set(target_table["source"]) and "2024年工作计划" in set(target_table["source"])
    assert any("只读" in i.value for i in at.info)


def test_admin_edits_targets_and_the_save_keeps_history(monkeypatch, tmp_path):
    """Test that for an admin the 目标表 is an editor whose 保存 swaps the file and keeps the old one."""
    import shutil

    from cockpit.app.auth import ENV, make_hash
    from cockpit.data.db import SAMPLE_DIR

    data = tmp_path / "data"
    data.mkdir()
    for f in SAMPLE_DIR.glob("*.parquet"):
        shutil.copy2(f, data / f.name)
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(data))
    monkeypatch.setenv(ENV, make_hash("pw", iterations=1000))
    before = (data / "targets.parquet").read_bytes()
    at = open_page(admin=True)
    assert not any("只读" in i.value for i in at.info)
    at.button(key="whatif_save_targets").click().run()
    assert not at.exception, at.exception
    assert any("目标已保存" in s.value for s in at.success)
    kept = data / "history" / "targets" / "初始.parquet"
    assert kept.read_bytes() == before
