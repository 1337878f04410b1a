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

from cockpit import safety
from cockpit.config import GradeRule, load_rules
from cockpit.db import Database

D = dt.date
AS_OF = D(2023, 3, 31)
ALL = {"chains": [], "sectors": [], "areas": [], "high_tech_only": False}

HAZARDS = pd.DataFrame({
    "hazard_id": ["K1", "K2", "K3", "K4", "K5", "K6", "K7"],
    "ent_id": ["E1", "E1", "E2", "E2", "E3", "E1", "E2"],
    "area_code": ["A1", "A1", "A2", "A2", "A2", "A1", "A2"],
    "level": ["重大", "一般", "一般", "重大", "重大", "重大", "一般"],
    "category": ["危化品", "消防", "用电", "消防", "厂中厂", "电气焊", "用电"],
    "source": ["专项排查", "日常巡查", "日常巡查", "专家检查", "专项排查", "专家检查", "日常巡查"],
    "found_date": [D(2023, 1, 5), D(2023, 2, 1), D(2023, 3, 10), D(2023, 1, 10), D(2022, 11, 1),
                   D(2023, 3, 20), D(2023, 4, 2)],
    "deadline": [D(2023, 1, 31), D(2023, 2, 15), D(2023, 4, 10), D(2023, 2, 20), D(2022, 12, 1),
                 D(2023, 3, 25), D(2023, 4, 20)],
    "rectified_date": [D(2023, 2, 10), None, None, D(2023, 2, 18), D(2023, 1, 15), D(2023, 4, 5),
                       None],
    "description": ["d1", "d2", "d3", "d4", "d5", "d6", "d7"],
})


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The tiny dataset with this file's hazards, accidents, trainings and assessments."""
    import tiny

    tables = tiny.tables()
    tables["hazards"] = HAZARDS
    tables["accidents"] = pd.DataFrame({
        "accident_id": ["S1", "S2"], "accident_date": [D(2022, 2, 10), D(2023, 2, 20)],
        "ent_id": ["E2", "E1"], "area_code": ["A2", "A1"], "kind": ["机械伤害", "灼烫"],
        "deaths": [0, 0], "injuries": [1, 2], "loss_wan": [3.0, 5.0],
    })
    tables["trainings"] = pd.DataFrame({
        "training_id": ["T1", "T2", "T3", "T4"],
        "training_date": [D(2023, 1, 15), D(2023, 3, 5), D(2023, 4, 1), D(2022, 2, 1)],
        "kind": ["培训", "演练", "培训", "培训"], "topic": ["a", "b", "c", "d"],
        "area_code": ["A1", "A2", "A1", "A2"], "participants": [100, 30, 50, 40],
    })
    tables["risk_assessments"] = pd.DataFrame({
        "park": ["化工集聚区"] * 3,
        "assess_date": [D(2022, 6, 1), D(2023, 1, 20), D(2023, 6, 1)],
        "assessor": ["自评", "省应急厅评估", "自评"], "score": [59.9, 60.0, 85.0],
        "grade": ["A", "B", "D"],
    })
    directory = tmp_path_factory.mktemp("safety")
    for name, df in tables.items():
        df.to_parquet(directory / f"{name}.parquet", index=False)
    return Database(directory)


def run(db, name, **kw):
    return db.run(name, {**ALL, "year": 2023, "month": 3, "category": "", "ent_id": "", **kw})


# --- pure functions -------------------------------------------------------------------------------

@pytest.mark.parametrize("hid, status", [
    ("K1", safety.LATE), ("K2", safety.OVERDUE), ("K3", safety.OPEN), ("K4", safety.ON_TIME),
    ("K5", safety.LATE), ("K6", safety.OVERDUE), ("K7", None),
])
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


@pytest.mark.parametrize("score, grade", [
    (0, "A"), (59.9, "A"), (60, "B"), (69.99, "B"), (70, "C"), (84.9, "C"), (85, "D"), (100, "D"),
])
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
    df = pd.DataFrame({"energy_ytd_tce": [6.0], "emission_ytd_t": [0.6],
                       "value_added_ytd_wan": [76.0]})
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
    assert (t["found"], t["rectified"], t["due"], t["closed_on_time"], t["open"], t["overdue"]) == \
        (1, 0, 1, 0, 1, 1)


def test_hazard_totals_follow_the_area_filter(db):
    """Test that the 片区 filter keeps only A2's enterprises' hazards (K3, K4)."""
    t = safety.totals(run(db, "hazard_totals", areas=["A2"]), 2023)
    assert (t["found"], t["rectified"], t["due"], t["closed_on_time"], t["open"], t["overdue"]) == \
        (2, 1, 1, 1, 1, 0)


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


def test_hazard_breakdown_by_category_and_enterprise(db):
    """Test that the breakdown counts the register per 类别 and per 企业."""
    cat = safety.breakdown(run(db, "hazard_breakdown"), "类别").set_index("member")
    assert cat.loc["消防", ["found", "found_major", "rectified", "open", "overdue"]].tolist() == \
        [2, 1, 1, 1, 1]
    assert cat.loc["电气焊", ["found", "open", "overdue", "pending"]].tolist() == [1, 1, 1, 0]
    assert cat.loc["用电", ["open", "overdue", "pending", "register"]].tolist() == [1, 0, 1, 1]
    assert "厂中厂" not in cat.index
    ent = safety.breakdown(run(db, "hazard_breakdown"), "企业").set_index("member_id")
    assert ent.loc["E1", ["found", "rectified", "open", "overdue"]].tolist() == [3, 1, 2, 2]
    assert ent.loc["E1", "member"] == "甲化工"


@pytest.mark.parametrize("kw, ids", [
    ({"category": "消防"}, ["K2", "K4"]),
    ({"ent_id": "E2"}, ["K3", "K4"]),
    ({"category": "消防", "ent_id": "E2"}, ["K4"]),
    ({"category": "x' or '1'='1"}, []),
])
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
    """Test that the page's cards carry the fixture's figures, the zero targets and their lights."""
    p = {**ALL, "year": 2023, "month": 3}
    hazards, others = safety.page_cards(
        db.run("hazard_totals", p), db.run("safety_accidents", p), db.run("safety_training", p),
        db.run("safety_risk_assessments", p), pd.DataFrame(columns=["indicator_id", "target_value"]),
        year=2023, month=3, rules=load_rules())
    text = {c.name: c.value_text for c in hazards + others}
    assert text["隐患整改率"] == "40.0%" and text["隐患按期闭环率"] == "25.0%"
    assert text["到期未整改隐患"] == "2 个" and text["生产安全事故"] == "1 起"
    assert text["连续无事故天数"] == "39 天" and text["化工集聚区风险等级"] == "B 类"
    lights = {c.name: c.status for c in hazards + others}
    assert lights["到期未整改隐患"].value == "red" and lights["生产安全事故"].value == "red"
