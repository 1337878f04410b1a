"""低效用地: named queries on invest_fixture's hand-made parcels and actions, pure functions, shipped-data figures."""

import invest_fixture
import pandas as pd
import pytest

from cockpit.data.db import Database
from cockpit.domain import land

P = {"year": 2023, "month": 6, "areas": []}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Database(invest_fixture.write(tmp_path_factory.mktemp("land")))


def test_land_trend_cumulates_accepted_area(db):
    """Test 验收 亩 累计 by month: 10 in February, 15 from May; last year 4 from January."""
    df = db.run("land_trend", P)
    assert list(df[df["year"] == 2023]["accepted_ytd_mu"]) == [0, 10, 10, 10, 15, 15]
    assert set(df[df["year"] == 2022]["accepted_ytd_mu"]) == {4}
    a2 = db.run("land_trend", {**P, "areas": ["A2"]})
    assert list(a2[a2["year"] == 2023]["accepted_ytd_mu"])[-1] == 5


def test_land_actions_status_as_of_the_month_end(db):
    """Test that status comes from the dates on the as-of day and later actions are left out."""
    df = db.run("land_actions_status", P).set_index("action_id")
    assert dict(df["status"]) == {"L1": "验收", "L2": "验收", "L3": "方案", "L4": "验收"}
    later = db.run("land_actions_status", {**P, "month": 8}).set_index("action_id")
    assert later.loc["L3", "status"] == "实施" and later.loc["L5", "status"] == "摸排"
    assert list(db.run("land_actions_status", {**P, "areas": ["A2"]})["action_id"]) == ["L2", "L3"]


def test_method_status_summary_in_fixed_order(db):
    """Test the method × status summary of the year's plan, in the order 收回, 收购, …, 提升改造."""
    acts = db.run("land_actions_status", P)
    s = land.method_status_summary(acts[acts["plan_year"] == 2023])
    assert list(zip(s["method"], s["status"], s["action_count"], s["area_mu"])) == [
        ("收回", "验收", 1, 10.0),
        ("收购", "验收", 1, 5.0),
        ("提升改造", "方案", 1, 8.0),
    ]
    totals = land.status_totals(acts[acts["plan_year"] == 2023])
    assert totals == {"摸排": (0, 0.0), "方案": (1, 8.0), "实施": (0, 0.0), "验收": (2, 15.0)}


def test_land_candidates_below_the_floor_on_untreated_parcels(db):
    """Test that only enterprises under the 亩均税收 floor on parcels without an action found are candidates."""
    q = {**P, "eval_year": 2022, "floor_wan_per_mu": 1.0}
    df = db.run("land_candidates", q)
    assert list(df["ent_id"]) == ["E4"] and df["mujun_tax_wan_per_mu"].iloc[0] == pytest.approx(0.5)
    assert db.run("land_candidates", {**q, "month": 9}).empty  # L5 on P5 found in August
    assert list(db.run("land_candidates", {**q, "floor_wan_per_mu": 2.0})["ent_id"]) == ["E4"]  # E1, E2 treated
    assert db.run("land_candidates", {**q, "areas": ["A2"]}).empty


def test_parcel_map_states(db):
    """Test parcel states on the map at the as-of date: 已整治, 整治中, 闲置 and 在用."""
    q = {**P, "chains": [], "sectors": [], "high_tech_only": False, "limit": 5000}
    df = db.run("parcel_map", q).set_index("parcel_id")
    assert dict(df["state"]) == {
        "P1": "已整治",
        "P2": "已整治",
        "P3": "整治中",
        "P4": "闲置",
        "P5": "在用",
        "P6": "闲置",
    }


def test_land_vacant_available_first(db):
    """Test that vacant parcels without an open action come first, biggest first."""
    df = db.run("land_vacant", {"areas": []})
    assert list(zip(df["parcel_id"], df["is_available"])) == [("P6", True), ("P4", True), ("P3", False)]


def test_uplift():
    """Test 亩均税收 after ÷ before, None when unknown or no base."""
    assert land.uplift(2.0, 6.0) == 3.0
    assert land.uplift(2.0, None) is None and land.uplift(0.0, 5.0) is None
    assert land.uplift(float("nan"), 1.0) is None


def test_candidate_pool_merges_d_class_and_floor():
    """Test that D 类 without an action and floor candidates merge into one row per enterprise with a reason."""
    d = pd.DataFrame(
        {
            "ent_id": ["a", "b", "c"],
            "ent_name": ["甲", "乙", "丙"],
            "sector_name": ["x"] * 3,
            "area_code": ["A1", "A1", "A2"],
            "area_name": ["一区", "一区", "二区"],
            "parcel_id": ["p1", "p2", "p3"],
            "land_mu": [10.0, 5.0, 8.0],
            "score": [30.0, 35.0, 40.0],
            "tax_per_mu": [2.0, 4.0, 6.0],
            "action_id": [None, "L9", None],
        }
    )
    low = pd.DataFrame(
        {
            "ent_id": ["a", "e"],
            "ent_name": ["甲", "戊"],
            "sector_name": ["x", "y"],
            "area_name": ["一区", "一区"],
            "parcel_id": ["p1", "p5"],
            "land_mu": [10.0, 3.0],
            "mujun_tax_wan_per_mu": [2.0, 1.0],
        }
    )
    pool = land.candidate_pool(d, low)
    assert list(zip(pool["ent_id"], pool["reason"])) == [
        ("e", "亩均税收低于门槛"),
        ("a", "D 类且低于门槛"),
        ("c", "亩均评价 D 类"),
    ]
    assert list(land.candidate_pool(d, low.iloc[0:0], areas=("A1",))["ent_id"]) == ["a"]


def test_floor_read_from_the_rules_file(tmp_path):
    """Test that [land] mujun_tax_floor_wan sets the floor and a missing file gives the default."""
    path = tmp_path / "rules.toml"
    path.write_text("[land]\nmujun_tax_floor_wan = 7.5\n", encoding="utf-8")
    assert land.load_floor(path) == 7.5
    assert land.load_floor(tmp_path / "none.toml") == land.DEFAULT_FLOOR_WAN


def test_present_order():
    """Test that present values follow the given order and unknown ones come last."""
    assert land.present_order(["提升改造", "收回", "其他", "收回"], land.METHODS) == ["收回", "提升改造", "其他"]


def test_2024_reclaimed_on_the_shipped_data(real_db):
    """Test 2024 1—9月: 108.76 亩 accepted against the 150 亩 target, the page's trend agreeing with land_kpis."""
    q = {"year": 2024, "month": 9, "areas": []}
    trend = real_db.run("land_trend", q)
    ytd = trend[trend["year"] == 2024]["accepted_ytd_mu"].iloc[-1]
    kpi = real_db.run("land_kpis", q)
    assert round(ytd, 2) == 108.76
    assert kpi[kpi["year"] == 2024]["reclaimed_mu"].iloc[0] == pytest.approx(ytd)
    targets = real_db.run("targets_for_year", {"year": 2024})
    assert dict(zip(targets["indicator_id"], targets["target_value"]))["land_reclaimed"] == 150
