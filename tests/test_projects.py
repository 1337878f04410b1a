"""Pure pipeline arithmetic (cockpit/domain/projects.py) on hand-made projects; numbers worked out in invest_fixture.py."""

import datetime as dt

import invest_fixture
import pandas as pd
import pytest

from cockpit.data.config import StatusRule
from cockpit.domain import projects as pr
from cockpit.domain.metrics import Status

D = dt.date
AS_OF = D(2023, 6, 30)


@pytest.fixture()
def pipe():
    df = pd.DataFrame(invest_fixture.PROJECTS, columns=invest_fixture.PROJECT_COLS)
    df["funds_in_ytd_wan"] = 0.0
    df["plan_ytd_wan"] = 0.0
    df.loc[df["project_id"] == "Q1", ["funds_in_ytd_wan", "plan_ytd_wan"]] = (250.0, 350.0)
    df.loc[df["project_id"] == "Q6", ["funds_in_ytd_wan", "plan_ytd_wan"]] = (250.0, 200.0)
    df.loc[df["project_id"] == "Q3", ["funds_in_ytd_wan", "plan_ytd_wan"]] = (100.0, 100.0)
    return df


def row(df, pid):
    return df[df["project_id"] == pid].iloc[0].to_dict()


def test_as_of_date_is_the_month_end():
    """Test that the as-of date is the last day of the month, leap years included."""
    assert pr.as_of_date(2024, 2) == D(2024, 2, 29)
    assert pr.as_of_date(2023, 12) == D(2023, 12, 31)


def test_stage_as_of_follows_the_dates(pipe):
    """Test that a project's stage is the furthest stage dated on or before the day."""
    q1 = row(pipe, "Q1")
    assert pr.stage_as_of(q1, D(2022, 2, 1)) == "谋划"
    assert pr.stage_as_of(q1, D(2022, 3, 1)) == "在谈"
    assert pr.stage_as_of(q1, D(2023, 1, 31)) == "签约"
    assert pr.stage_as_of(q1, AS_OF) == "开工"
    assert pr.stage_as_of(row(pipe, "Q5"), AS_OF) is None
    assert pr.stage_as_of(row(pipe, "Q3"), AS_OF) == "竣工"


def test_active_in_year_drops_finished_and_future_projects(pipe):
    """Test that the year's pipeline leaves out projects finished before the year and not yet conceived."""
    ids = set(pr.active_in_year(pipe, 2023, AS_OF)["project_id"])
    assert ids == {"Q1", "Q2", "Q3", "Q6", "Q7", "Q8", "Q9", "Q10"}


def test_funnel_counts_and_investment(pipe):
    """Test funnel counts, 计划总投资 and current stage per stage for 产业 and 基础设施 projects."""
    active = pr.active_in_year(pipe, 2023, AS_OF)
    f = pr.funnel(active, AS_OF, "产业").set_index("stage")
    assert list(f.index) == list(pr.STAGES)
    assert list(f["reached_count"]) == [4, 3, 2, 2, 0, 0]
    assert f.loc["谋划", "reached_invest_wan"] == 1000 + 500 + 2000 + 5000
    assert f.loc["签约", "reached_invest_wan"] == 3000
    assert list(f["current_count"]) == [1, 1, 0, 2, 0, 0]
    infra = pr.funnel(active, AS_OF, "基础设施").set_index("stage")
    assert list(infra.index) == ["谋划", "开工", "竣工"]
    assert list(infra["reached_count"]) == [2, 1, 1]


def test_rates_start_produce_and_funds(pipe):
    """Test 开工率 3/6, 投产率 1/4 (竣工 for infrastructure and platforms) and 资金到位率 600/650."""
    r = pr.rates(pipe, 2023, AS_OF)
    assert (r.started, r.start_planned) == (3, 6)
    assert (r.produced, r.produce_planned) == (1, 4)  # Q1, Q3, Q9, Q10 planned; Q3 done
    assert r.start_rate == pytest.approx(50.0)
    assert r.produce_rate == pytest.approx(25.0)
    assert r.funds_rate == pytest.approx(600 / 650 * 100)


def test_rates_without_plans_are_missing():
    """Test that rates without planned projects or planned investment are None, not zero."""
    empty = pd.DataFrame(columns=invest_fixture.PROJECT_COLS + ["funds_in_ytd_wan", "plan_ytd_wan"])
    r = pr.rates(empty, 2023, AS_OF)
    assert r.start_rate is None and r.produce_rate is None and r.funds_rate is None


@pytest.mark.parametrize(
    "plan, as_of, months",
    [
        (D(2024, 6, 30), D(2024, 9, 1), 3),
        (D(2024, 9, 1), D(2024, 9, 30), 0),
        (D(2023, 12, 15), D(2024, 1, 31), 1),
        (D(2024, 10, 1), D(2024, 9, 30), -1),
    ],
)
def test_months_between(plan, as_of, months):
    """Test whole calendar months between two dates."""
    assert pr.months_between(plan, as_of) == months


@pytest.mark.parametrize(
    "late, light", [(0, None), (1, Status.YELLOW), (2, Status.YELLOW), (3, Status.RED), (12, Status.RED), (-2, None)]
)
def test_lag_status_thresholds(late, light):
    """Test yellow from 1 month late and red from 3 (the default rule)."""
    assert pr.lag_status(late, yellow_months=1, red_months=3) == light


def test_lagging_list_red_first(pipe):
    """Test that missed 投产 (3 months) is red and listed before a missed 开工 (1 month, yellow)."""
    late = pr.lagging(pipe, AS_OF, yellow_months=1, red_months=3)
    assert list(zip(late["project_id"], late["milestone"], late["months_late"], late["status"])) == [
        ("Q1", "投产", 3, Status.RED),
        ("Q2", "开工", 1, Status.YELLOW),
    ]


def test_lagging_thresholds_are_configurable(pipe):
    """Test that wider thresholds turn Q1 yellow and drop Q2."""
    late = pr.lagging(pipe, AS_OF, yellow_months=2, red_months=4)
    assert list(zip(late["project_id"], late["status"])) == [("Q1", Status.YELLOW)]


def test_lag_rule_read_from_the_rules_file(tmp_path):
    """Test that [projects] in the rules file sets the thresholds and a missing file gives defaults."""
    path = tmp_path / "rules.toml"
    path.write_text("[projects]\nlag_yellow_months = 2\nlag_red_months = 6\n", encoding="utf-8")
    assert pr.load_lag_rule(path) == pr.LagRule(2, 6)
    assert pr.load_lag_rule(tmp_path / "none.toml") == pr.LagRule(1, 3)


def test_ytd_yoy_by_month():
    """Test 累计 and 同比 per month against the same month of last year (None without a base)."""
    trend = pd.DataFrame(
        {
            "year": [2023, 2023, 2022, 2022],
            "month": [1, 2, 1, 2],
            "fai_ytd_wan": [100.0, 300.0, 0.0, 200.0],
            "industrial_invest_ytd_wan": [50.0, 150.0, 40.0, 100.0],
            "high_tech_invest_ytd_wan": [10.0, 30.0, 5.0, 20.0],
        }
    )
    t = pr.ytd_yoy(trend, 2023)
    assert list(t["month"]) == [1, 2]
    assert pd.isna(t["fai_yoy_pct"].iloc[0])
    assert t["fai_yoy_pct"].iloc[1] == pytest.approx(50.0)
    assert t["industrial_invest_yoy_pct"].iloc[0] == pytest.approx(25.0)
    assert t["high_tech_invest_yoy_pct"].iloc[1] == pytest.approx(50.0)


def test_top_movers_orders_increases_then_decreases():
    """Test that the projects with the largest increase come first and decreases follow."""
    df = pd.DataFrame(
        {
            "project_id": ["a", "b", "c", "d"],
            "project_name": ["甲", "乙", "丙", "丁"],
            "kind": ["产业"] * 4,
            "chain": ["新材料"] * 4,
            "invest_wan": [300.0, 100.0, 50.0, None],
            "invest_ly_wan": [100.0, None, 150.0, 20.0],
        }
    )
    m = pr.top_movers(df, n=2)
    assert list(m["project_id"]) == ["a", "b", "c", "d"]
    assert list(m["delta"]) == [200.0, 100.0, -100.0, -20.0]
    assert m["pull_pp"].iloc[0] == pytest.approx(200 / 270 * 100)


def test_bond_table_spend_progress_and_status():
    """Test 支出进度 = 支出 ÷ 到位 against 时序进度, and 未到位 when nothing arrived."""
    df = pd.DataFrame({"bond_id": ["B1", "B2"], "spent_wan": [300.0, 0.0], "received_wan": [600.0, 0.0]})
    rule = StatusRule(yellow_points=10.0)
    t6 = pr.bond_table(df, 6, rule)
    assert t6["spend_pct"].iloc[0] == 50.0 and pd.isna(t6["spend_pct"].iloc[1])
    assert list(t6["status"]) == ["正常", "未到位"]
    assert pr.bond_table(df, 9, rule)["status"].iloc[0] == "滞后"  # 50 % vs 75 %
    assert pr.bond_table(df, 7, rule)["status"].iloc[0] == "预警"  # 50 % vs 58.3 %


def test_stage_dates_lists_the_kind_stages_with_plans(pipe):
    """Test that an infrastructure project shows 谋划/开工/竣工 with the planned completion date."""
    t = pr.stage_dates(row(pipe, "Q3"), AS_OF)
    assert list(t["stage"]) == ["谋划", "开工", "竣工"]
    assert list(t["date"]) == ["2022-05-01", "2022-09-01", "2023-04-10"]
    assert list(t["plan_date"]) == ["—", "2022-09-01", "2023-04-30"]
    assert pr.stage_dates(row(pipe, "Q1"), D(2022, 12, 31))["date"].iloc[3] == "—"


def test_list_note_only_when_rows_are_left_out():
    """Test the note under a LIMITed list: none when every row is shown."""
    assert pr.list_note(200, 200) is None
    assert pr.list_note(40106, 200, "项") == "共 40,106 项，显示前 200 项；下载 Excel 可得全部"


@pytest.mark.parametrize(
    "search, total, shown, text",
    [
        ("", 170, 170, "项目查询不受筛选栏影响，列出全部项目。"),
        (
            "",
            200000,
            200,
            "共 200,000 个项目，下拉列表列出其中计划总投资最大的 200 个；在上方输入名称或编号可查找其他项目。"
            "项目查询不受筛选栏影响。",
        ),
        ("新材料", 3, 3, "含“新材料”的项目共 3 个。项目查询不受筛选栏影响。"),
        ("*x_$", 0, 0, "没有名称或编号含“\\*x\\_\\$”的项目。"),
    ],
)
def test_pick_note(search, total, shown, text):
    """Test the line under the project picker (the search text echoed Markdown-escaped)."""
    assert pr.pick_note(search, total, shown) == text
