"""The 预警 page's reads from SQLite (`alerts_state.tally`, `select`, `of_enterprise`, `linking`) give what the frame
rules (`open_items`, `overdue`, `alerts_view.ordered`) give over every warning — a province's 预警 page reads
counts and the first rows only — and follow every change of the state."""

import datetime as dt
import itertools
import random
from types import SimpleNamespace

import pandas as pd
import pytest

from cockpit.domain import alerts_state as S
from cockpit.domain import alerts_view as V
from cockpit.domain.alerts import Alert, Period

SEPT = Period(2024, 9, dt.date(2024, 10, 25))
LEVELS = ["严重", "较重", "一般"]
RULES = ("hazard_major_overdue", "output_fall", "project_stalled")  # the configured order; "other" is not in it
CONFIG = SimpleNamespace(
    levels=LEVELS,
    rules=[SimpleNamespace(id=r) for r in RULES],
    rank=lambda s: LEVELS.index(s) if s in LEVELS else len(LEVELS),
)
OFFICES = ["安全生产科", "经济发展科", "招商服务中心"]


def warnings(n: int, seed: int = 7) -> list[Alert]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        rule = rng.choice([*RULES, "other"])
        out.append(
            Alert(
                key=f"{rule}|S{i:03d}",
                rule_id=rule,
                rule_name=rule,
                category="安全",
                severity=rng.choice([*LEVELS, "提示"]),  # 提示: a level the configuration does not know
                office=rng.choice(OFFICES),
                subject=f"对象{i}",
                figure=f"{i} 天",
                rule_text="—",
                link=f"/safety?year=2024&hazard=YH{i}",
                order=rng.choice([-3.0, -1.0, 0.0, 2.5]),
                ent_id=f"E{i % 7}",
            )
        )
    return out


@pytest.fixture
def state(tmp_path):
    """60 warnings; then some assigned (some overdue on 10-25), some closed or false alarms, 10 no longer raised."""
    many = warnings(60)
    S.sync(tmp_path, many, SEPT)
    common = dict(person="王科长", note="", actor="管理员", expected="待处理")
    for i, a in enumerate(many[:24]):
        S.assign(tmp_path, a.key, office=OFFICES[i % 3], due=dt.date(2024, 10, 10) + dt.timedelta(days=i), **common)
    for a in many[:6]:
        S.move(tmp_path, a.key, "已办结", actor="管理员", expected="处理中")
    for a in many[30:34]:
        S.move(tmp_path, a.key, "误报", actor="管理员", expected="待处理")
    S.sync(tmp_path, many[:50], SEPT)  # the last ten are no longer raised
    return tmp_path


def frame_choice(frame: pd.DataFrame, view: str, offices: list[str], severities: list[str]) -> pd.DataFrame:
    """The selection the frame rules make (the page before it read SQLite)."""
    active, statuses = V.VIEWS[view]
    out = frame if active is None else frame[frame["active"] == active]
    out = out if statuses is None else out[out["status"].isin(statuses)]
    out = out[out["office"].isin(offices)] if offices else out
    out = out[out["severity"].isin(severities)] if severities else out
    return V.ordered(out, CONFIG)


@pytest.mark.parametrize(
    "view,offices,severities",
    [
        (view, offices, severities)
        for view, offices, severities in itertools.product(V.VIEWS, [[], ["安全生产科"]], [[], ["严重", "提示"]])
    ],
)
def test_select_and_count_equal_the_frame_rules(state, view, offices, severities):
    """Test each view × office × severity choice: the rows, their order (severity, configured rule, weight, key)
    and the first 5 equal the frame rules over every warning; the tally counts them."""
    frame = S.items(state)
    want = frame_choice(frame, view, offices, severities)
    choice = V.choice(view, offices, severities, CONFIG)
    got = S.select(state, **choice)
    assert list(got["key"]) == list(want["key"])
    assert list(S.select(state, **choice, limit=5)["key"]) == list(want["key"])[:5]
    assert V.count(S.tally(state), view, offices, severities) == len(want)


def test_open_counts_and_offices_from_the_tally(state):
    """Test the cards and the 按科室 table from the tally against the frame rules, by hand for one office."""
    frame, counted = S.items(state), S.tally(state)
    live = S.open_items(frame)
    late = S.overdue(live, SEPT.today)
    by_severity, n_late = S.open_counts(counted, SEPT.today)
    assert by_severity == live["severity"].value_counts().to_dict()
    assert n_late == int(late.sum()) > 0
    table = V.by_office(counted, LEVELS, SEPT.today).set_index("office")
    for office, rows in live.groupby("office"):
        assert table.at[office, "total"] == int(rows["severity"].isin(LEVELS).sum())
        assert table.at[office, "late"] == int(late[rows.index].sum())
        for level in LEVELS:
            assert table.at[office, level] == int((rows["severity"] == level).sum())
    assert V.count(counted, "已办结") == int((frame["status"] == S.DONE).sum()) == 6
    assert set(V.offices(counted, ())) == (set(frame["office"]) | set(frame["assignee_office"])) - {""}


def test_reads_follow_every_change(state):
    """Test that a 交办, a status move and a new evaluation show in the next tally and list (the caches are keyed
    on the state's version), and that a read of the same version is the same object (kept)."""
    counted = S.tally(state)
    assert S.tally(state) is counted
    pending = S.select(state, active=1, statuses=(S.PENDING,))
    key = pending["key"].iloc[0]
    S.move(state, key, S.FALSE_ALARM, actor="管理员", expected=S.PENDING)
    assert V.count(S.tally(state), "误报") == V.count(counted, "误报") + 1
    assert key not in set(S.select(state, active=1, statuses=(S.PENDING,))["key"])
    S.sync(state, [], SEPT)  # nothing raised any more
    assert V.count(S.tally(state), "未办结") == 0
    assert S.select(state, active=1, statuses=S.OPEN, limit=10).empty


def test_an_enterprise_and_a_link_find_their_warnings(state):
    """Test `of_enterprise` (open warnings of E3) and `linking` ('hazard=YH1' also finds YH10…YH19: the caller
    checks the exact parameter) against the frame."""
    frame = S.items(state)
    mine = S.open_items(frame[frame["ent_id"] == "E3"])
    assert set(S.of_enterprise(state, "E3")["key"]) == set(mine["key"]) and len(mine) > 0
    near = S.linking(state, "hazard=YH1")
    assert set(near["key"]) == {k for k, link in zip(frame["key"], frame["link"]) if "hazard=YH1" in link}
    assert len(near) == 11
