"""AppTest of the 预警 page: counts by severity, viewers read only, an admin assigns and closes a warning, a
recurrence after 办结 reopens it on the page; and the 总览 strip."""

import datetime as dt
import json
import time

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.app import fit
from cockpit.app.auth import ENV, make_hash
from cockpit.domain import alerts_state
from cockpit.domain.alerts import Alert, Period

PAGE = "pages/alerts/alerts.py"


@pytest.fixture()
def work(tmp_path, monkeypatch):
    """A fresh working data directory (its own state.sqlite) and a configured admin password."""
    directory = tmp_path / "work"
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(directory))
    monkeypatch.setenv(ENV, make_hash("pw", iterations=1000))
    return directory


def open_alerts(admin: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if admin:
        at.session_state["_cockpit_admin"] = True
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_counts_by_severity_and_a_viewer_cannot_change(work):
    """Test that the page shows the open warnings by severity (the same numbers as the state) and, for a viewer,
    no 交办 form and no status buttons."""
    at = open_alerts(admin=False)
    frame = alerts_state.items(work)
    live = alerts_state.open_items(frame)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["严重（红色）"] == f"{(live['severity'] == '严重').sum()} 条"
    assert (live["severity"] == "严重").sum() >= 3  # the sample's overdue 重大 hazards at least
    listed = table_with(at, "subject")
    assert len(listed) == len(live)
    assert sorted(w for cell in listed["severity"] for w in cell) == sorted(live["severity"])  # one word a cell
    grid = next(d for d in at.dataframe if "subject" in d.value.columns)
    tints = {o["value"]: o["color"] for o in json.loads(grid.proto.columns)["severity"]["type_config"]["options"]}
    assert tints == {"严重": fit.LIGHT_BG["red"], "较重": fit.LIGHT_BG["orange"], "一般": fit.LIGHT_BG["blue"]}
    assert not [b for b in at.button if b.label in ("交办", "开始处理", "办结", "标为误报")]
    assert any("需管理员登录" in c.value for c in at.caption)


def test_admin_assigns_closes_and_a_recurrence_reopens(work):
    """Test 交办 (→ 处理中, history 交办), 办结 (→ 已办结), then an evaluation of a later month that still raises it
    reopens it: the page lists it as 待处理 again with 办结后再次触发 in its history."""
    at = open_alerts(admin=True)
    key = next(k for k in alerts_state.items(work)["key"] if k.startswith("hazard_major_overdue|"))
    at.selectbox(key="alerts_pick").set_value(key).run()
    at.selectbox(key="alerts_assign_office").set_value("安全生产科")
    at.text_input(key="alerts_assign_person").input("王科长")
    at.date_input(key="alerts_assign_due").set_value(dt.date.today() + dt.timedelta(days=5))
    at.text_area(key="alerts_assign_note").input("限期一周整改")
    next(b for b in at.button if b.label == "交办").click().run()
    assert not at.exception, at.exception
    row = alerts_state.items(work).set_index("key").loc[key]
    assert (row["status"], row["assignee_office"], row["assignee"]) == ("处理中", "安全生产科", "王科长")
    history = table_with(at, "actor")
    assert list(history["action"]) == ["触发", "交办"]
    assert list(history["change"]) == ["（新） → 待处理", "待处理 → 处理中"]

    at.selectbox(key="alerts_pick").set_value(key).run()
    at.button(key="alerts_move_已办结").click().run()
    assert not at.exception, at.exception
    assert alerts_state.items(work).set_index("key").at[key, "status"] == "已办结"

    # the daily job a month later: the hazard is still overdue
    row = alerts_state.items(work).set_index("key").loc[key]
    later = Alert(
        key=key,
        rule_id=row["rule_id"],
        rule_name=row["rule_name"],
        category=row["category"],
        severity=row["severity"],
        office=row["office"],
        subject=row["subject"],
        figure="十月仍未整改",
        rule_text=row["rule_text"],
        link=row["link"],
        duty=row["duty"],
    )
    alerts_state.sync(work, [later], Period(2024, 10, dt.date.today()))
    at.run()
    pick = at.selectbox(key="alerts_pick")
    assert pick.options == [f"[严重·待处理] {row['subject']} — {row['rule_name']}"]  # the only one raised in October
    pick.set_value(key).run()
    assert [m.value for m in at.metric if m.label == "督办状态"] == ["待处理"]
    assert "办结后再次触发，重新打开" in list(table_with(at, "actor")["action"])
    assert any("十月仍未整改" in t.value for t in at.text)


def strip_line(at: AppTest) -> str | None:
    return next((str(m.value) for m in at.markdown if str(m.value).startswith("**预警待办**")), None)


def test_overview_strip_counts_the_open_warnings(work):
    """Test that the 总览 does not wait for the first evaluation (it says it is being computed), and once the
    background evaluation is recorded shows one line with the open warnings per severity."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    if strip_line(at) is None:
        assert any("预警正在计算" in c.value for c in at.caption)
    deadline = time.time() + 120
    while strip_line(at) is None and time.time() < deadline:
        time.sleep(0.5)
        at.run()
    live = alerts_state.open_items(alerts_state.items(work))
    line = strip_line(at)
    for level in ("严重", "较重", "一般"):
        assert f"{level} {(live['severity'] == level).sum()}]" in line


def test_a_row_key_from_the_url_is_shown_as_plain_text(work):
    """Test that the box a link opens shows the URL's row key verbatim as text, never as Markdown."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["hazard"] = "[点我](javascript:alert(1))**粗**"
    at.run()
    assert not at.exception, at.exception
    assert any("链接定位：隐患 [点我](javascript:alert(1))**粗** · 当前没有与它有关的预警" == t.value for t in at.text)
    assert not any("javascript" in str(m.value) for m in at.markdown)


def test_a_cold_start_evaluation_waits_its_grace_unless_a_page_needs_it(monkeypatch, tmp_path):
    """Test that the first evaluation of a process, started by the 总览 strip, waits for the grace period (the first
    visitor's page is drawn meanwhile), that a page waiting for the result starts it at once, and that without a
    grace it starts at once."""
    from types import SimpleNamespace

    from cockpit.app import alerts_ui, ui

    queried: list[float] = []

    def query(*args, **kwargs):
        queried.append(time.monotonic())
        raise LookupError("查询到此为止")

    monkeypatch.setattr(ui, "database", lambda: SimpleNamespace(run=query, directory=tmp_path))
    monkeypatch.setattr(ui, "rules", lambda: None)
    key = (str(tmp_path), "v1", "rules", "2026-12-01")

    refresh = alerts_ui._Refresh(grace=60)
    job = refresh.start(key)
    job.join(0.5)
    assert job.is_alive() and queried == []  # the strip's start: still waiting
    began = time.monotonic()
    with pytest.raises(LookupError, match="查询到此为止"):
        refresh.wait(key)  # the 预警 page: starts it now, and is handed its failure
    assert queried and queried[0] - began < 5

    queried.clear()
    at_once = alerts_ui._Refresh(grace=0)
    at_once.start(key).join(5)
    assert queried
