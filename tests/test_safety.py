"""安全生产: pure functions on hand-made dates, and the safety queries on a small hand-made dataset.

Hazards of the fixture (year 2023, as-of month 3 → as-of date 2023-03-31):
  K1 E1 重大 危化品 found 01-05, deadline 01-31, rectified 02-10  → rectified after its deadline (逾期整改)
  K2 E1 一般 消防   found 02-01, deadline 02-15, open             → open past its deadline (到期未整改, 44 天)
  K3 E2 一般 用电   found 03-10, deadline 04-10, open             → open within its deadline (整改中)
  K4 E2 重大 消防   found 01-10, deadline 02-20, rectified 02-18  → rectified on time (按期整改)
  K5 E3 重大 厂中厂 found 2022-11-01, deadline 2022-12-01, rectified 2023-01-15 → last year's
  K6 E1 重大 电气焊 found 03-20, deadline 03-25, rectified 04-05  → open and overdue at 03-31 (6 天)
  K7 E2 一般 用电   found 04-02, deadline 04-20, open             → after the as-of date
Enterprises (tests/tiny.py): E1 in A1 (新材料), E2 and E3 in A2.
"""

import datetime as dt

import pandas as pd
import pytest

from cockpit.data.config import GradeRule, load_rules
from cockpit.data.db import Database
from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import safety

D = dt.date
AS_OF = D(2023, 3, 31)
ALL = {"scope": EVERYTHING}

HAZARDS = pd.DataFrame(
    {
        "hazard_id": ["K1", "K2", "K3", "K4", "K5", "K6", "K7"],
        "ent_id": ["E1", "E1", "E2", "E2", "E3", "E1", "E2"],
        "area_code": ["A1", "A1", "A2", "A2", "A2", "A1", "A2"],
        "level": ["重大", "一般", "一般", "重大", "重大", "重大", "一般"],
        "category": ["危化品", "消防", "用电", "消防", "厂中厂", "电气焊", "用电"],
        "source": ["专项排查", "日常巡查", "日常巡查", "专家检查", "专项排查", "专家检查", "日常巡查"],
        "found_date": [
            D(2023, 1, 5),
            D(2023, 2, 1),
            D(2023, 3, 10),
            D(2023, 1, 10),
            D(2022, 11, 1),
            D(2023, 3, 20),
            D(2023, 4, 2),
        ],
        "deadline": [
            D(2023, 1, 31),
            D(2023, 2, 15),
            D(2023, 4, 10),
            D(2023, 2, 20),
            D(2022, 12, 1),
            D(2023, 3, 25),
            D(2023, 4, 20),
        ],
        "rectified_date": [D(2023, 2, 10), None, None, D(2023, 2, 18), D(2023, 1, 15), D(2023, 4, 5), None],
        "description": ["d1", "d2", "d3", "d4", "d5", "d6", "d7"],
        "rectify_person": ["张安全", "张安全", "李安全", "李安全", "王安全", "张安全", "李安全"],
        "supervise_office": ["安全生产科"] * 4 + ["规划建设科"] + ["安全生产科"] * 2,
    }
)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The tiny dataset with this file's hazards, accidents, trainings and assessments."""
    import tiny

    tables = tiny.tables()
    tables["hazards"] = HAZARDS
    tables["accidents"] = pd.DataFrame(
        {
            "accident_id": ["S1", "S2"],
            "accident_date": [D(2022, 2, 10), D(2023, 2, 20)],
            "ent_id": ["E2", "E1"],
            "area_code": ["A2", "A1"],
            "kind": ["机械伤害", "灼烫"],
            "deaths": [0, 0],
            "injuries": [1, 2],
            "loss_wan": [3.0, 5.0],
        }
    )
    tables["trainings"] = pd.DataFrame(
        {
            "training_id": ["T1", "T2", "T3", "T4"],
            "training_date": [D(2023, 1, 15), D(2023, 3, 5), D(2023, 4, 1), D(2022, 2, 1)],
            "kind": ["培训", "演练", "培训", "培训"],
            "topic": ["a", "b", "c", "d"],
            "area_code": ["A1", "A2", "A1", "A2"],
            "participants": [100, 30, 50, 40],
        }
    )
    tables["risk_assessments"] = pd.DataFrame(
        {
            "park": ["化工集聚区"] * 3,
            "assess_date": [D(2022, 6, 1), D(2023, 1, 20), D(2023, 6, 1)],
            "assessor": ["自评", "省应急厅评估", "自评"],
            "score": [59.9, 60.0, 85.0],
            "grade": ["A", "B", "D"],
        }
    )
    directory = tmp_path_factory.mktemp("safety")
    for name, df in tables.items():
        df.to_parquet(directory / f"{name}.parquet", index=False)
    return Database(directory)


def run(db, name, **kw):
    return db.run(name, {**ALL, "year": 2023, "month": 3, "category": "", "ent_id": "", **kw})


# --- pure functions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hid, status",
    [
        ("K1", safety.LATE),
        ("K2", safety.OVERDUE),
        ("K3", safety.OPEN),
        ("K4", safety.ON_TIME),
        ("K5", safety.LATE),
        ("K6", safety.OVERDUE),
        ("K7", None),
    ],
)
def test_hazard_status_at_the_as_of_date(hid, status):
    """Test that each hand-made hazard gets its state at 2023-03-31 (a rectification after it is unknown)."""
    h = HAZARDS.set_index("hazard_id").loc[hid]
    assert safety.hazard_status(h.found_date, h.deadline, h.rectified_date, AS_OF) == status


def test_age_and_days_overdue_count_only_open_hazards():
    """Test that 隐患时长 and 逾期天数 are as-of minus found date / deadline, and None when closed or in time."""
    assert safety.hazard_age(D(2023, 2, 1), None, AS_OF) == 58
    assert safety.hazard_age(D(2023, 3, 20), D(2023, 4, 5), AS_OF) == 11
    assert safety.hazard_age(D(2023, 1, 5), D(2023, 2, 10), AS_OF) is None
    assert safety.days_overdue(D(2023, 2, 15), None, AS_OF) == 44
    assert safety.days_overdue(D(2023, 3, 25), D(2023, 4, 5), AS_OF) == 6
    assert safety.days_overdue(D(2023, 4, 10), None, AS_OF) is None
    assert safety.days_overdue(D(2023, 3, 31), None, AS_OF) is None  # the deadline day itself is not late
    assert safety.days_overdue(D(2023, 1, 31), D(2023, 2, 10), AS_OF) is None


def test_rates_and_as_of_date():
    """Test that 整改率 and 闭环率 are simple shares in percent and the as-of date is the month's last day."""
    assert safety.rectification_rate(2, 5) == pytest.approx(40.0)
    assert safety.closure_rate(1, 4) == pytest.approx(25.0)
    assert safety.rectification_rate(0, 0) is None
    assert safety.as_of_date(2024, 2) == D(2024, 2, 29)
    assert safety.as_of_date(2023, 12) == D(2023, 12, 31)
    assert safety.days_since(D(2022, 2, 10), AS_OF) == 414
    assert safety.days_since(None, AS_OF) is None


def test_register_lists_overdue_major_first_then_longest_overdue():
    """Test that the annotated register puts 到期未整改 重大 first, then other overdue by days overdue."""
    shown = HAZARDS[HAZARDS["hazard_id"] != "K7"].copy()
    shown.loc[shown["hazard_id"] == "K6", "rectified_date"] = None  # as the query shows it at 03-31
    out = safety.annotate_hazards(shown, AS_OF)
    assert list(out["hazard_id"][:3]) == ["K6", "K2", "K3"]
    assert list(out["overdue_days"][:2]) == [6, 44]
    ages = safety.age_summary(out)
    assert ages == {"open": 3, "mean_days": pytest.approx((11 + 58 + 21) / 3), "max_days": 58}
    view = safety.register_view(out)
    assert view.loc[0, "rectified_date"] == "—" and view.loc[0, "found_date"] == "2023-03-20"


@pytest.mark.parametrize(
    "score, grade",
    [
        (0, "A"),
        (59.9, "A"),
        (60, "B"),
        (69.99, "B"),
        (70, "C"),
        (84.9, "C"),
        (85, "D"),
        (100, "D"),
    ],
)
def test_grade_from_score_at_the_boundaries(score, grade):
    """Test that the default cut-offs give A < 60 ≤ B < 70 ≤ C < 85 ≤ D."""
    graded = safety.grade_history(pd.DataFrame({"score": [score]}), GradeRule())
    assert graded["grade_by_rule"].iloc[0] == grade


def test_grade_thresholds_come_from_the_rules_file(tmp_path):
    """Test that the [risk_grade] section of a rules file moves the cut-offs and the points to the goal."""
    path = tmp_path / "rules.toml"
    path.write_text('[risk_grade]\nB = 50.0\nC = 65.0\nD = 80.0\ngoal = "D"\n', encoding="utf-8")
    rule = load_rules(path).grade
    graded = safety.grade_history(pd.DataFrame({"score": [49.9, 50.0, 79.9, 80.0]}), rule)
    assert list(graded["grade_by_rule"]) == ["A", "B", "C", "D"]
    assert safety.points_to_goal(78.5, rule) == pytest.approx(1.5)
    assert safety.points_to_goal(81.0, rule) == 0.0


def test_intensity_per_unit_value_added():
    """Test that 单位增加值能耗 and 排放 divide by 增加值 and refuse a zero denominator."""
    df = pd.DataFrame({"energy_ytd_tce": [6.0], "emission_ytd_t": [0.6], "value_added_ytd_wan": [76.0]})
    out = safety.intensity_trend(df)
    assert out["energy_per_va"].iloc[0] == pytest.approx(6 / 76)
    assert out["emission_per_va_yi"].iloc[0] == pytest.approx(0.6 / 76 * 1e4)
    assert safety.intensity(1.0, 0) is None


# --- queries on the fixture -----------------------------------------------------------------------


def test_hazard_totals_count_found_rectified_due_open_and_overdue(db):
    """Test that hazard_totals gives the hand-counted flows and stocks at 2023-03-31, and 整改率 / 闭环率."""
    t = safety.totals(run(db, "hazard_totals"), 2023)
    assert (t["found"], t["rectified"], t["due"], t["closed_on_time"]) == (5, 2, 4, 1)
    assert (t["open"], t["overdue"]) == (3, 2)
    assert (t["found_major"], t["open_major"], t["overdue_major"]) == (3, 1, 1)
    assert t["rectification_rate"] == pytest.approx(40.0)
    assert t["closure_rate"] == pytest.approx(25.0)
    last_year = safety.totals(run(db, "hazard_totals"), 2022)
    assert last_year["found"] == 0 and last_year["closure_rate"] is None


def test_hazard_totals_last_year_at_december(db):
    """Test that last year's row at 1—12月 sees K5 open and overdue at 2022-12-31."""
    t = safety.totals(run(db, "hazard_totals", month=12), 2022)
    assert (t["found"], t["rectified"], t["due"], t["closed_on_time"], t["open"], t["overdue"]) == (1, 0, 1, 0, 1, 1)


def test_hazard_totals_follow_the_area_filter(db):
    """Test that the 片区 filter keeps only A2's enterprises' hazards (K3, K4)."""
    t = safety.totals(run(db, "hazard_totals", areas=["A2"]), 2023)
    assert (t["found"], t["rectified"], t["due"], t["closed_on_time"], t["open"], t["overdue"]) == (2, 1, 1, 1, 1, 0)


def test_sql_counts_agree_with_the_pure_classification(db):
    """Test that the register classified by the pure functions gives the query's open and overdue counts."""
    register = safety.annotate_hazards(run(db, "hazard_list"), AS_OF)
    t = safety.totals(run(db, "hazard_totals"), 2023)
    assert sorted(register["hazard_id"]) == ["K1", "K2", "K3", "K4", "K6"]
    assert (register["status"] == safety.OVERDUE).sum() == t["overdue"]
    assert register["status"].isin([safety.OVERDUE, safety.OPEN]).sum() == t["open"]


def test_hazard_monthly(db):
    """Test that each month's found, rectified, open and overdue match the hand count."""
    m = run(db, "hazard_monthly").set_index("month")
    assert m.loc[1].tolist() == [2, 1, 2, 0]
    assert m.loc[2].tolist() == [1, 2, 1, 1]
    assert m.loc[3].tolist() == [2, 0, 3, 2]


def test_hazard_breakdown_by_category(db):
    """Test that the breakdown counts the register per 类别 (and has no per-enterprise rows any more)."""
    rows = run(db, "hazard_breakdown")
    assert set(rows["dimension"]) == {"类别", "来源", "片区"}
    cat = safety.breakdown(rows, "类别").set_index("member")
    assert cat.loc["消防", ["found", "found_major", "rectified", "open", "overdue"]].tolist() == [2, 1, 1, 1, 1]
    assert cat.loc["电气焊", ["found", "open", "overdue", "pending"]].tolist() == [1, 1, 1, 0]
    assert cat.loc["用电", ["open", "overdue", "pending", "register"]].tolist() == [1, 0, 1, 1]
    assert "厂中厂" not in cat.index


def enterprises(db, **kw):
    return run(db, "hazard_enterprises", **{"search": "", "limit": 200, **kw})


def test_hazard_enterprises_count_the_register_per_enterprise(db):
    """Test that the picker lists E1 (K1, K2, K6) before E2 (K3, K4) and leaves E3 out (K5 was closed before
    2023), with names and the number of enterprises."""
    rows = enterprises(db)
    assert rows["ent_id"].tolist() == ["E1", "E2"]
    e1 = rows.set_index("ent_id").loc["E1"]
    assert (e1["ent_name"], e1["hazards"]) == ("甲化工", 3)
    assert set(rows["matches"]) == {2}
    assert enterprises(db, areas=["A2"])["ent_id"].tolist() == ["E2"]


@pytest.mark.parametrize(
    "kw, ids, matches",
    [
        ({"limit": 1}, ["E1"], 2),
        ({"limit": 1, "ent_id": "E2"}, ["E1", "E2"], 2),  # the picked one stays listed beyond the limit
        ({"limit": 0, "ent_id": "E2"}, ["E2"], 2),
        ({"search": "乙"}, ["E2"], 1),
        ({"search": "%"}, [], 0),  # a plain substring, not a LIKE pattern
        ({"search": "' or '1'='1"}, [], 0),
    ],
)
def test_hazard_enterprises_limit_search_and_pick(db, kw, ids, matches):
    """Test that the picker cuts to $limit, always keeps $ent_id, and searches names by a bound substring."""
    rows = enterprises(db, **kw)
    assert rows["ent_id"].tolist() == ids
    assert (rows["matches"].iloc[0] if len(rows) else 0) == matches


REGISTER_COLUMNS = [
    "hazard_id",
    "ent_name",
    "area_name",
    "level",
    "category",
    "source",
    "found_date",
    "deadline",
    "rectified_date",
    "description",
    "status",
    "age_days",
    "overdue_days",
]


def sql_register(db, params, **kw):
    return db.run("hazard_register", {**params, "category": "", "ent_id": "", "status": "", "limit": None, **kw})


def python_register(db, params, **kw):
    """The reference: hazard_list annotated by the pure functions."""
    listed = db.run("hazard_list", {**params, "category": "", "ent_id": "", **kw})
    return safety.annotate_hazards(listed, safety.as_of_date(params["year"], params["month"]))


def assert_same_register(sql, reference):
    assert len(sql) == len(reference)
    assert sql["hazard_id"].tolist() == reference["hazard_id"].tolist()  # same rows, same order
    for col in ("status", "level", "category", "ent_name", "area_name", "description"):
        assert sql[col].tolist() == reference[col].tolist(), col
    for col in ("age_days", "overdue_days"):
        assert sql[col].astype("Int64").tolist() == reference[col].astype("Int64").tolist(), col
    for col in ("found_date", "deadline", "rectified_date"):
        assert pd.to_datetime(sql[col]).tolist() == pd.to_datetime(reference[col]).tolist(), col


@pytest.mark.parametrize("kw", [{}, {"category": "消防"}, {"ent_id": "E1"}, {"areas": ["A2"]}])
@pytest.mark.parametrize("month", [2, 3, 12])
def test_hazard_register_classifies_as_the_pure_functions(db, kw, month):
    """Test that the SQL state, age, days overdue and order equal annotate_hazards on the fixture."""
    params = {**ALL, "year": 2023, "month": month}
    scope = {k: kw.pop(k) for k in list(kw) if k in ALL}
    sql = sql_register(db, {**params, **scope}, **kw)
    assert_same_register(sql, python_register(db, {**params, **scope}, **kw))
    assert set(sql["total"]) <= {len(sql)}
    assert set(sql["overdue_total"]) <= {int((sql["status"] == safety.OVERDUE).sum())}


@pytest.mark.parametrize(
    "year, month, scope",
    [
        (2024, 9, {}),
        (2023, 12, {}),
        (2024, 2, {"chains": ["新材料"]}),
        (2022, 6, {"areas": ["HGQ"]}),
    ],
)
def test_hazard_register_equals_the_pure_functions_on_the_shipped_data(real_db, year, month, scope):
    """Test that on the county data the whole SQL register, and its first rows, equal the Python one."""
    params = {**ALL, "year": year, "month": month, **scope}
    reference = python_register(real_db, params)
    assert len(reference) > 0
    assert_same_register(sql_register(real_db, params), reference)
    head = sql_register(real_db, params, limit=7)
    assert head["hazard_id"].tolist() == reference["hazard_id"].head(7).tolist()
    assert set(head["total"]) == {len(reference)}
    assert set(head["overdue_total"]) == {int((reference["status"] == safety.OVERDUE).sum())}
    overdue = sql_register(real_db, params, status=safety.OVERDUE)
    assert overdue["hazard_id"].tolist() == reference.loc[reference["status"] == safety.OVERDUE, "hazard_id"].tolist()


def test_hazard_register_states_are_the_python_ones(db):
    """Test that the states SQL writes are exactly the Python constants, in the Python order."""
    states = sql_register(db, {**ALL, "year": 2023, "month": 3})["status"]
    assert list(dict.fromkeys(states)) == [safety.OVERDUE, safety.OPEN, safety.LATE, safety.ON_TIME]


@pytest.mark.parametrize(
    "which, year, month", [("db", 2023, 3), ("db", 2022, 12), ("real_db", 2024, 9), ("real_db", 2023, 12)]
)
def test_open_ages_from_totals_equal_the_register_summary(which, year, month, request):
    """Test that 隐患时长 (count, mean, longest) from hazard_totals equals age_summary of the register."""
    database = request.getfixturevalue(which)
    params = {**ALL, "year": year, "month": month}
    from_sql = safety.open_ages(database.run("hazard_totals", params), year)
    reference = safety.age_summary(python_register(database, params))
    assert from_sql["open"] == reference["open"] and from_sql["max_days"] == reference["max_days"]
    assert from_sql["mean_days"] == pytest.approx(reference["mean_days"])


def test_list_note_only_when_cut():
    """Test that a list cut to its first rows says so, and a whole list says nothing."""
    assert safety.list_note(640, 200) == "，显示前 200 条；下载 Excel 可得全部"
    assert safety.list_note(12, 12) == ""


# --- the rewritten aggregates against the definitions computed in pandas from the raw county tables ------


def raw_hazards(scope: dict) -> pd.DataFrame:
    """The county hazards of enterprises in scope (as scoped_enterprises), with dates as Timestamps."""
    from cockpit.data.db import SAMPLE_DIR

    h = pd.read_parquet(SAMPLE_DIR / "hazards.parquet")
    e = pd.read_parquet(SAMPLE_DIR / "enterprises.parquet").merge(
        pd.read_parquet(SAMPLE_DIR / "sectors.parquet")[["sector_code", "chain"]], on="sector_code"
    )
    if scope.get("chains"):
        e = e[e["chain"].isin(scope["chains"])]
    if scope.get("areas"):
        e = e[e["area_code"].isin(scope["areas"])]
    h = h[h["ent_id"].isin(e["ent_id"])].copy()
    for col in ("found_date", "deadline", "rectified_date"):
        h[col] = pd.to_datetime(h[col])
    return h


def month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)


SCOPES = [(2024, 9, {}), (2023, 12, {}), (2024, 2, {"chains": ["新材料"]}), (2022, 7, {"areas": ["HGQ"]})]


@pytest.mark.parametrize("year, month, scope", SCOPES)
def test_hazard_totals_follow_the_definitions(real_db, year, month, scope):
    """Test that found, rectified, due, closed on time, open and overdue of both years equal the 口径."""
    h = raw_hazards(scope)
    got = real_db.run("hazard_totals", {**ALL, "year": year, "month": month, **scope})
    for y in (year, year - 1):
        start, end = pd.Timestamp(y, 1, 1), month_end(y, month)
        known = h[h["found_date"] <= end]
        found = known["found_date"] >= start
        due = (known["deadline"] >= start) & (known["deadline"] < end)
        open_ = known["rectified_date"].isna() | (known["rectified_date"] > end)
        want = [
            found.sum(),
            (found & (known["rectified_date"] <= end)).sum(),
            due.sum(),
            (due & (known["rectified_date"] <= known["deadline"])).sum(),
            open_.sum(),
            (open_ & (known["deadline"] < end)).sum(),
        ]
        t = safety.totals(got, y)
        assert [t[c] for c in ("found", "rectified", "due", "closed_on_time", "open", "overdue")] == want


@pytest.mark.parametrize("year, month, scope", SCOPES)
def test_hazard_monthly_follows_the_definitions(real_db, year, month, scope):
    """Test that each month's found, rectified (of those found by then), open and overdue equal the 口径."""
    h = raw_hazards(scope)
    got = real_db.run("hazard_monthly", {**ALL, "year": year, "month": month, **scope}).set_index("month")
    assert got.index.tolist() == list(range(1, month + 1))
    for m in range(1, month + 1):
        start, end = pd.Timestamp(year, m, 1), month_end(year, m)
        known = h[h["found_date"] <= end]
        open_ = known["rectified_date"].isna() | (known["rectified_date"] > end)
        want = [
            known["found_date"].between(start, end).sum(),
            known["rectified_date"].between(start, end).sum(),
            open_.sum(),
            (open_ & (known["deadline"] < end)).sum(),
        ]
        assert got.loc[m, ["found", "rectified", "open", "overdue"]].tolist() == want, m


@pytest.mark.parametrize("year, month, scope", SCOPES)
def test_hazard_breakdown_follows_the_definitions(real_db, year, month, scope):
    """Test that each 类别 / 来源 / 片区 counts the register's found, 重大, rectified, open and overdue."""
    from cockpit.data.db import SAMPLE_DIR

    h = raw_hazards(scope).merge(
        pd.read_parquet(SAMPLE_DIR / "areas.parquet")[["area_code", "area_name"]], on="area_code"
    )
    start, end = pd.Timestamp(year, 1, 1), month_end(year, month)
    open_ = h["rectified_date"].isna() | (h["rectified_date"] > end)
    reg = h[(h["found_date"] <= end) & ((h["found_date"] >= start) | open_)].copy()
    reg["found"] = reg["found_date"] >= start
    reg["found_major"] = reg["found"] & (reg["level"] == "重大")
    reg["rectified"] = reg["found"] & (reg["rectified_date"] <= end)
    reg["open"] = reg["rectified_date"].isna() | (reg["rectified_date"] > end)
    reg["overdue"] = reg["open"] & (reg["deadline"] < end)
    got = real_db.run("hazard_breakdown", {**ALL, "year": year, "month": month, **scope})
    cols = ["found", "found_major", "rectified", "open", "overdue"]
    for dimension, column in (("类别", "category"), ("来源", "source"), ("片区", "area_name")):
        want = reg.groupby(column)[cols].sum().astype(int).sort_index()
        have = got[got["dimension"] == dimension].set_index("member")[cols].sort_index()
        assert have.index.tolist() == want.index.tolist()
        assert have.values.tolist() == want.values.tolist(), dimension


def test_hazard_facts_carry_each_hazards_enterprise_attributes(real_db):
    """Test that the summary built at load time has every hazard of a known enterprise once, with the
    enterprise's 产业链, 行业, 片区 and 高新."""
    con = real_db._current().cursor()
    mismatches = con.execute("""
        select count(*) from hazard_facts as f
        join hazards as h using (hazard_id)
        join enterprises as e on e.ent_id = h.ent_id
        join sectors as s on s.sector_code = e.sector_code
        where f.ent_id is distinct from h.ent_id or f.chain is distinct from s.chain
           or f.sector_code is distinct from e.sector_code or f.ent_area_code is distinct from e.area_code
           or f.is_high_tech is distinct from e.is_high_tech or f.found_date is distinct from h.found_date
           or f.rectified_date is distinct from h.rectified_date or f.deadline is distinct from h.deadline
           or f.description is distinct from h.description""").fetchall()[0][0]
    counts = con.execute("""
        select (select count(*) from hazard_facts), (select count(distinct hazard_id) from hazard_facts),
               (select count(*) from hazards join enterprises using (ent_id)
                join sectors using (sector_code))""").fetchall()[0]
    assert mismatches == 0
    assert counts[0] == counts[1] == counts[2] > 0


@pytest.mark.parametrize(
    "kw, ids",
    [
        ({"category": "消防"}, ["K2", "K4"]),
        ({"ent_id": "E2"}, ["K3", "K4"]),
        ({"category": "消防", "ent_id": "E2"}, ["K4"]),
        ({"category": "x' or '1'='1"}, []),
    ],
)
def test_hazard_list_drill_down(db, kw, ids):
    """Test that the register narrows to the picked category and enterprise (values bound, not spliced)."""
    assert sorted(run(db, "hazard_list", **kw)["hazard_id"]) == ids


def test_hazard_list_hides_a_rectification_after_the_as_of_date(db):
    """Test that K6, rectified on 04-05, shows no rectification date at 2023-03-31."""
    rows = run(db, "hazard_list").set_index("hazard_id")
    assert pd.isna(rows.loc["K6", "rectified_date"])
    assert pd.Timestamp(rows.loc["K1", "rectified_date"]).date() == D(2023, 2, 10)


def test_accidents_and_last_accident(db):
    """Test that accidents count 1—m月 per year and the latest accident is found up to the as-of date."""
    rows = run(db, "safety_accidents").set_index("year")
    assert rows.loc[2023, "accidents"] == 1 and rows.loc[2023, "injuries"] == 2
    assert rows.loc[2022, "accidents"] == 1
    assert pd.Timestamp(rows.loc[2023, "last_accident_date"]).date() == D(2023, 2, 20)
    a2 = run(db, "safety_accidents", areas=["A2"]).set_index("year")
    assert a2.loc[2023, "accidents"] == 0
    assert pd.Timestamp(a2.loc[2023, "last_accident_date"]).date() == D(2022, 2, 10)


def test_training_by_kind_and_area(db):
    """Test that 培训 / 演练 sessions and 人次 count 1—m月 and follow the 片区 filter only."""
    rows = run(db, "safety_training").set_index(["year", "kind"])
    assert rows.loc[(2023, "培训")].tolist() == [1, 100]
    assert rows.loc[(2023, "演练")].tolist() == [1, 30]
    assert rows.loc[(2022, "演练")].tolist() == [0, 0]
    a2 = run(db, "safety_training", areas=["A2"]).set_index(["year", "kind"])
    assert a2.loc[(2023, "培训")].tolist() == [0, 0]


def test_risk_assessments_up_to_the_as_of_date(db):
    """Test that only assessments on or before the as-of date are returned, oldest first."""
    rows = run(db, "safety_risk_assessments")
    assert rows["score"].tolist() == [59.9, 60.0]


def test_energy_emission_cumulates_from_january(db):
    """Test that 能耗, 排放 and 增加值 are 1—m月 累计 in scope (tiny: 3 firms × 1 吨标煤, 增加值 38 万元 a month)."""
    rows = run(db, "safety_energy_emission").set_index(["year", "month"])
    assert rows.loc[(2023, 2), "energy_ytd_tce"] == pytest.approx(6.0)
    assert rows.loc[(2023, 2), "value_added_ytd_wan"] == pytest.approx(76.0)
    assert rows.loc[(2022, 3), "value_added_ytd_wan"] == pytest.approx(90.0)
    e1 = run(db, "safety_energy_emission", chains=["新材料"]).set_index(["year", "month"])
    assert e1.loc[(2023, 3), "value_added_ytd_wan"] == pytest.approx(72.0)


def test_page_cards(db):
    """Test that the page's registry cards carry the fixture's figures, the zero targets and their lights."""
    from cockpit.app.filters import Filters
    from cockpit.domain import cards, indicators

    shown = cards.cards(indicators.page(db.run, Filters(2023, 3), load_rules(), "safety"), on_page=True)
    text = {c.label: c.value_text for c in shown}
    assert text["隐患整改率"] == "40.0%" and text["隐患按期闭环率"] == "25.0%"
    assert text["到期未整改隐患"] == "2 个" and text["生产安全事故"] == "1 起"
    assert text["连续无事故天数"] == "39 天" and text["化工集聚区风险等级"] == "B 类"
    by = {c.label: c for c in shown}
    assert by["到期未整改隐患"].status.value == "red" and by["生产安全事故"].status.value == "red"
    assert by["生产安全事故"].status_text == "超出目标" and by["生产安全事故"].target_text == "目标 0 起"
    # the score against the goal grade: a threshold, never a 完成率, and no green arrow for its rise
    risk = by["化工集聚区风险等级"]
    assert risk.change_text == "60.0 分 · 比上次评估 +0.1 分" and risk.tone == "neutral"
    assert risk.target_text == "目标 D 类（≥ 85 分）· 距 D 级 25.0 分" and risk.status is None
    june = {
        c.label: c
        for c in cards.cards(indicators.page(db.run, Filters(2023, 6), load_rules(), "safety", 2), on_page=True)
    }["化工集聚区风险等级"]
    assert june.value_text == "D 类" and june.status_text == "已达 D 类" and june.target_text == "目标 D 类（≥ 85 分）"
