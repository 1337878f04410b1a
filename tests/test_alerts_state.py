"""督办 state in SQLite: new → 待处理, 交办, status moves with history, recurrence after 办结 reopens, stale edits are
refused, the state survives a restart and two writer processes at once."""

import datetime as dt
import multiprocessing as mp
import sqlite3

import pytest

from cockpit.domain import alerts_state as S
from cockpit.domain.alerts import Alert, Period

SEPT = Period(2024, 9, dt.date(2024, 10, 25))
OCT = Period(2024, 10, dt.date(2024, 11, 25))


def alert(key="hazard_major_overdue|YH1", figure="逾期 10 天") -> Alert:
    return Alert(
        key=key,
        rule_id=key.split("|")[0],
        rule_name="重大隐患逾期未整改",
        category="安全",
        severity="严重",
        office="安全生产科",
        subject="甲化工 · YH1",
        figure=figure,
        rule_text="重大隐患超过整改期限仍未整改",
        link="/safety?hazard=YH1",
        duty="整改责任人：张安全",
        ent_id="E1",
    )


def item(directory, key="hazard_major_overdue|YH1"):
    frame = S.items(directory)
    return frame[frame["key"] == key].iloc[0]


def test_a_new_warning_starts_pending_with_history(tmp_path):
    """Test that the first sync records the warning as 待处理, active, first seen for 2024-09, with a 触发 entry."""
    counts = S.sync(tmp_path, [alert()], SEPT, now="2024-10-25T08:30:00")
    assert counts == {"new": 1, "reopened": 0, "resolved": 0, "raised": 1}
    row = item(tmp_path)
    assert (row["status"], row["active"], row["first_asof"], row["first_seen"]) == (
        "待处理",
        1,
        "2024-09",
        "2024-10-25T08:30:00",
    )
    hist = S.history(tmp_path, row["key"])
    assert list(hist["action"]) == ["触发"] and hist["detail"].iloc[0] == "逾期 10 天"
    assert list(S.of_enterprise(tmp_path, "E1")["key"]) == [row["key"]] and S.of_enterprise(tmp_path, "E2").empty


def test_assign_then_close_then_recurrence_reopens(tmp_path):
    """Test 交办 (→ 处理中), 办结, the same data again (stays 已办结), then a later month still raising it (reopens)."""
    S.sync(tmp_path, [alert()], SEPT)
    key = "hazard_major_overdue|YH1"
    S.assign(
        tmp_path,
        key,
        office="安全生产科",
        person="王科长",
        due=dt.date(2024, 11, 1),
        note="限期整改",
        actor="管理员",
        expected="待处理",
    )
    row = item(tmp_path)
    assert (row["status"], row["assignee_office"], row["assignee"], row["due_date"]) == (
        "处理中",
        "安全生产科",
        "王科长",
        "2024-11-01",
    )
    S.move(tmp_path, key, "已办结", actor="管理员", expected="处理中", note="已整改销号")
    S.sync(tmp_path, [alert(figure="逾期 11 天")], SEPT)  # the same month's data again
    assert item(tmp_path)["status"] == "已办结"
    counts = S.sync(tmp_path, [alert(figure="逾期 41 天")], OCT)  # next month: still overdue
    assert counts["reopened"] == 1
    row = item(tmp_path)
    assert (row["status"], row["reopened"], row["figure"]) == ("待处理", 1, "逾期 41 天")
    hist = S.history(tmp_path, key)
    assert list(hist["action"]) == ["触发", "交办", "状态：处理中 → 已办结", "办结后再次触发，重新打开"]
    assert list(hist["to_status"]) == ["待处理", "处理中", "已办结", "待处理"]
    assert hist["detail"].iloc[1] == "承办科室：安全生产科，责任人：王科长，办结期限：2024-11-01，备注：限期整改"


def test_false_alarm_does_not_reopen(tmp_path):
    """Test that a warning marked 误报 stays 误报 when a later month raises it again."""
    S.sync(tmp_path, [alert()], SEPT)
    S.move(tmp_path, "hazard_major_overdue|YH1", "误报", actor="管理员", expected="待处理")
    S.sync(tmp_path, [alert()], OCT)
    assert item(tmp_path)["status"] == "误报"


def test_a_warning_no_longer_raised_becomes_inactive(tmp_path):
    """Test that a warning missing from a later evaluation is inactive (kept, with a 不再触发 entry), and that an
    evaluation of an older month does not undo the newer one."""
    S.sync(tmp_path, [alert(), alert("accident_new|S1")], OCT)
    counts = S.sync(tmp_path, [alert()], OCT)
    assert counts["resolved"] == 1 and item(tmp_path, "accident_new|S1")["active"] == 0
    assert "不再触发" in list(S.history(tmp_path, "accident_new|S1")["action"])
    S.sync(tmp_path, [], SEPT)  # an older period
    assert item(tmp_path)["active"] == 1
    assert len(S.open_items(S.items(tmp_path))) == 1


def test_a_stale_edit_is_refused(tmp_path):
    """Test that a move naming a status the warning no longer has raises Conflict and changes nothing; a move not in
    the flow is refused."""
    S.sync(tmp_path, [alert()], SEPT)
    key = "hazard_major_overdue|YH1"
    S.move(tmp_path, key, "处理中", actor="甲", expected="待处理")
    with pytest.raises(S.Conflict):
        S.move(tmp_path, key, "误报", actor="乙", expected="待处理")
    with pytest.raises(ValueError, match="不能从"):
        S.move(tmp_path, key, "处理中", actor="甲", expected="处理中")
    assert item(tmp_path)["status"] == "处理中"
    with pytest.raises(ValueError, match="承办科室"):
        S.assign(tmp_path, key, office=" ", person="", due=None, note="", actor="甲", expected="处理中")


def test_overdue_supervision():
    """Test 督办逾期: open and past the due date; a closed one or one due today is not."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "status": ["处理中", "处理中", "已办结", "待处理"],
            "due_date": ["2024-10-01", "2024-10-25", "2024-10-01", None],
        }
    )
    assert S.overdue(frame, dt.date(2024, 10, 25)).tolist() == [True, False, False, False]


def _survive(directory):
    """A fresh process reads what another process wrote (the state lives in the data directory's file)."""
    row = S.items(directory).iloc[0]
    assert row["status"] == "处理中" and row["assignee"] == "王科长"


def test_state_survives_a_restart(tmp_path):
    """Test that what one process committed is there for a new process (a restart), and the journal is WAL."""
    S.sync(tmp_path, [alert()], SEPT)
    S.assign(
        tmp_path,
        "hazard_major_overdue|YH1",
        office="安全生产科",
        person="王科长",
        due=None,
        note="",
        actor="管理员",
        expected="待处理",
    )
    ctx = mp.get_context("spawn")
    p = ctx.Process(target=_survive, args=(tmp_path,))
    p.start()
    p.join(60)
    assert p.exitcode == 0
    with sqlite3.connect(tmp_path / "state.sqlite") as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def _writer(directory, n, who):
    """Sync 2024-09 again and again while moving one warning back and forth: every write must land."""
    key = f"rule_{who}|x"
    for _ in range(n):
        S.sync(directory, [alert(), alert(key)], SEPT)
        status = S.items(directory).set_index("key").at[key, "status"]
        S.move(directory, key, "处理中" if status == "待处理" else "待处理", actor=who, expected=status)


def test_two_writer_processes_lose_nothing(tmp_path):
    """Test two processes syncing and changing their own warning 25 times each at once: every status change is in the
    history, both warnings end where 25 moves lead (处理中 after an odd count), no write failed."""
    S.sync(tmp_path, [alert()], SEPT)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(tmp_path, 25, w)) for w in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    frame = S.items(tmp_path).set_index("key")
    for who in ("a", "b"):
        assert frame.at[f"rule_{who}|x", "status"] == "处理中"
        moves = S.history(tmp_path, f"rule_{who}|x")
        assert (moves["actor"] == who).sum() == 25
    assert frame.at["hazard_major_overdue|YH1", "status"] == "待处理"


def test_a_state_file_from_an_earlier_version_gets_the_new_columns(tmp_path):
    """Test that an alert_items table made before `weight` and `ent_id` existed is completed on connect, so the page
    and the daily job keep working on an old state file."""
    cols = [c for c in S.ITEM_SCHEMA if c not in ("weight", "ent_id")]
    with sqlite3.connect(tmp_path / "state.sqlite") as con:
        con.execute(f"create table alert_items ({', '.join(f'{c} {S.ITEM_SCHEMA[c]}' for c in cols)})")
    S.sync(tmp_path, [alert()], SEPT)
    row = item(tmp_path)
    assert (row["ent_id"], row["weight"], row["status"]) == ("E1", 0.0, "待处理")


def test_the_shipped_sample_directory_is_never_written():
    """Test that a server pointed at data/ (the benchmark does that) keeps its 督办 state under var/, not in data/."""
    from cockpit.data.db import ROOT, SAMPLE_DIR

    assert S.state_dir(SAMPLE_DIR) == ROOT / "var" / "sample-state"
    assert S.state_dir(ROOT / "var" / "data") == (ROOT / "var" / "data").resolve()


def test_open_summary_counts_as_the_frame_rules(tmp_path):
    """The strip's counts from SQLite equal open_items / overdue applied to every warning."""
    many = [alert(key=f"hazard_major_overdue|YH{i}") for i in range(6)]
    many[4] = Alert(**{**many[4].__dict__, "severity": "一般"})
    S.sync(tmp_path, many, SEPT)
    common = dict(office="安全生产科", person="王科长", note="", actor="管理员", expected="待处理")
    S.assign(tmp_path, "hazard_major_overdue|YH0", due=dt.date(2024, 10, 20), **common)  # overdue on 10-25
    S.assign(tmp_path, "hazard_major_overdue|YH1", due=dt.date(2024, 10, 25), **common)  # due today: not overdue
    S.assign(tmp_path, "hazard_major_overdue|YH2", due=None, **common)
    S.assign(tmp_path, "hazard_major_overdue|YH3", due=dt.date(2024, 10, 1), **common)
    S.move(tmp_path, "hazard_major_overdue|YH3", "已办结", actor="管理员", expected="处理中")  # closed: not counted
    S.sync(tmp_path, many[:5], SEPT)  # YH5 no longer raised: inactive
    counts, late = S.open_summary(tmp_path, SEPT.today)
    live = S.open_items(S.items(tmp_path))
    assert counts == live["severity"].value_counts().to_dict() == {"严重": 3, "一般": 1}
    assert late == int(S.overdue(live, SEPT.today).sum()) == 1
    # counted once per state version and day: a change of state is seen on the next call, a new day too
    S.move(tmp_path, "hazard_major_overdue|YH0", "已办结", actor="管理员", expected="处理中")
    assert S.open_summary(tmp_path, SEPT.today) == ({"严重": 2, "一般": 1}, 0)
    assert S.open_summary(tmp_path, dt.date(2024, 10, 26)) == ({"严重": 2, "一般": 1}, 1)  # YH1 due 10-25
