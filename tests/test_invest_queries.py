"""投资与项目 named queries on the hand-made invest_fixture data, and the 2023 / 2024 figures on the shipped data.

The page's SQL aggregates over every project (project_rates, project_funnel, project_lagging, invest_top_movers)
are checked by hand on the fixture and against the pure reference functions of cockpit/domain/projects.py (over
project_pipeline / invest_by_project rows) on the fixture and the shipped data; also the LIMITed lists
(total_count) and the project search."""

import invest_fixture
import pandas as pd
import pytest

from cockpit.data.db import Database
from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import projects as pr
from cockpit.domain.metrics import Status

ALL = {"scope": EVERYTHING}
LAG = {"yellow_months": 1, "red_months": 3}


def params(**kw):
    return {**ALL, "year": 2023, "month": 6, **kw}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Database(invest_fixture.write(tmp_path_factory.mktemp("invest")))


def test_invest_trend_cumulates_three_measures(db):
    """Test 1—m月累计 of 固投 / 工业 / 高新 for this year through June and all of last year."""
    df = db.run("invest_trend", params())
    this = df[df["year"] == 2023]
    assert list(this["month"]) == [1, 2, 3, 4, 5, 6]
    assert list(this["fai_ytd_wan"]) == [200, 300, 400, 400, 400, 700]
    assert list(this["industrial_invest_ytd_wan"]) == [200, 300, 300, 300, 300, 600]
    assert list(this["high_tech_invest_ytd_wan"]) == [200, 300, 300, 300, 300, 300]
    last = df[df["year"] == 2022]
    assert len(last) == 12 and list(last["fai_ytd_wan"])[2] == 100 and list(last["fai_ytd_wan"])[-1] == 500
    t = pr.ytd_yoy(df, 2023).set_index("month")
    assert t.loc[6, "fai_yoy_pct"] == pytest.approx(600.0)
    assert t.loc[6, "industrial_invest_yoy_pct"] == pytest.approx(500.0)
    assert t.loc[6, "high_tech_invest_yoy_pct"] == pytest.approx(200.0)


def test_invest_trend_respects_the_sector_filter(db):
    """Test that an industry filter keeps only that sector's projects (infrastructure drops out)."""
    df = db.run("invest_trend", params(sectors=["38"]))
    assert list(df[df["year"] == 2023]["fai_ytd_wan"])[-1] == 300


def test_invest_by_part_splits_by_chain_sector_and_kind(db):
    """Test 1—6月 investment by 产业链 / 项目类型 this year and last year."""
    df = db.run("invest_by_part", params())
    chain = df[df["dimension"] == "产业链"].set_index("part")
    assert chain.loc["新材料", "invest_wan"] == 300 and chain.loc["新材料", "invest_ly_wan"] == 100
    assert chain.loc["新能源及电子信息", "invest_wan"] == 300
    assert chain.loc["非工业（基础设施/平台）", "invest_wan"] == 100
    kind = df[df["dimension"] == "项目类型"].set_index("part")
    assert kind.loc["产业", "invest_wan"] == 600 and kind.loc["基础设施", "invest_ly_wan"] == 0
    for dim in ("产业链", "行业", "项目类型"):
        assert df[df["dimension"] == dim]["invest_wan"].sum() == 700


def test_invest_by_project_and_top_movers(db):
    """Test per-project 1—6月 investment and that the largest increase comes first."""
    df = db.run("invest_by_project", params())
    assert set(df["project_id"]) == {"Q1", "Q3", "Q6"}
    movers = pr.top_movers(df)
    assert list(movers["project_id"]) == ["Q6", "Q1", "Q3"]


def test_project_pipeline_ytd_sums(db):
    """Test the pipeline rows: 1—6月 invest / plan / funds and investment to date per project."""
    df = db.run("project_pipeline", params()).set_index("project_id")
    assert len(df) == 10
    assert tuple(df.loc["Q1", ["invest_ytd_wan", "plan_ytd_wan", "funds_in_ytd_wan", "invest_to_date_wan"]]) == (
        300,
        350,
        250,
        400,
    )
    assert df.loc["Q3", "invest_to_date_wan"] == 500
    r = pr.rates(df.reset_index(), 2023, pr.as_of_date(2023, 6))
    assert r.funds_rate == pytest.approx(600 / 650 * 100)


def test_project_monthly_stops_at_the_as_of_month(db):
    """Test one project's months up to the as-of month, with running totals."""
    df = db.run("project_monthly", {"project_id": "Q1", "year": 2023, "month": 6})
    assert list(zip(df["year"], df["month"])) == [(2022, 3), (2023, 1), (2023, 2)]
    assert list(df["invest_cum_wan"]) == [100, 300, 400]
    assert list(df["plan_cum_wan"]) == [100, 350, 450]


def test_bond_progress_as_of(db):
    """Test 申报 / 获批 / 到位 / 支出 per bond counted only up to the as-of date."""
    df = db.run("bond_progress", params(limit=None)).set_index("bond_id")
    assert list(df.index) == ["B1"]
    b = df.loc["B1"]
    assert (b["declared_wan"], b["approved_wan"], b["received_wan"], b["spent_wan"]) == (1000, 800, 600, 300)
    later = db.run("bond_progress", params(month=9, limit=None)).set_index("bond_id")
    assert later.loc["B1", "received_wan"] == 800 and later.loc["B1", "spent_wan"] == 400
    assert later.loc["B2", "received_wan"] == 0


def test_project_plan_actuals(db):
    """Test 储备 / 专项债储备 / 拟争取 / 平台提升 items of the year's plan as listed by the as-of date."""
    got = dict(db.run("project_plan_actuals", params())[["indicator_id", "actual_value"]].values)
    assert got == {
        "reserve_projects": 1,
        "reserve_invest": 0.5,
        "bond_reserve_projects": 1,
        "bond_reserve_invest": 0.3,
        "bond_seek": 0,
        "platform_projects": 1,
    }
    later = dict(db.run("project_plan_actuals", params(month=9))[["indicator_id", "actual_value"]].values)
    assert later["bond_seek"] == 0.25


# ---- the shipped data, through the page's own queries -------------------------------------------

YEAR_2023 = {**ALL, "year": 2023, "month": 12}


def test_2023_investment_through_the_page_trend(real_db):
    """Test that the page's monthly 累计 query gives 20.47 / 15.09 / 9.06 亿元, +35.6 / +14.4 / +58.8 % for 1—12月."""
    t = pr.ytd_yoy(real_db.run("invest_trend", YEAR_2023), 2023).set_index("month").loc[12]
    for m, level, growth in [
        ("fai", 20.47, 35.6),
        ("industrial_invest", 15.09, 14.4),
        ("high_tech_invest", 9.06, 58.8),
    ]:
        assert round(t[f"{m}_ytd_wan"] / 1e4, 2) == level, m
        assert round(t[f"{m}_yoy_pct"], 1) == growth, m


def test_2023_trend_agrees_with_the_overview_query(real_db):
    """Test that the page's trend and the 总览's investment_kpis agree for every as-of month of 2023."""
    trend = real_db.run("invest_trend", YEAR_2023)
    this = trend[trend["year"] == 2023].set_index("month")
    for month in (3, 9):
        kpi = real_db.run("investment_kpis", {**YEAR_2023, "month": month})
        assert kpi[kpi["year"] == 2023]["fai_wan"].iloc[0] == pytest.approx(this.loc[month, "fai_ytd_wan"])


def test_2023_attribution_adds_up_to_the_growth(real_db):
    """Test that the 拉动 of the parts of each dimension add up to the 固投 同比 of +35.6 %."""
    from cockpit.domain.attribution import attribute

    parts = real_db.run("invest_by_part", YEAR_2023)
    for dim in ("产业链", "行业", "项目类型"):
        att = attribute(parts[parts["dimension"] == dim], key="part", current="invest_wan", previous="invest_ly_wan")
        assert round(att["pull_pp"].sum(), 1) == 35.6, dim


def test_2023_end_has_eleven_projects_in_talks(real_db):
    """Test that 11 projects are 在谈 at the end of 2023 (the report's 11 在谈重点项目)."""
    pipe = real_db.run("project_pipeline", YEAR_2023)
    as_of = pr.as_of_date(2023, 12)
    f = pr.funnel(pr.active_in_year(pipe, 2023, as_of), as_of, "产业").set_index("stage")
    assert f.loc["在谈", "current_count"] == 11


def test_2023_approved_special_bonds(real_db):
    """Test that bonds approved in 2023 add up to 3.43 亿元 in the per-bond table."""
    df = real_db.run("bond_progress", {**YEAR_2023, "limit": None})
    approved = df[df["date_approved"].dt.year == 2023]["approved_wan"].sum()
    assert round(approved / 1e4, 2) == 3.43


def test_2024_plan_items_meet_the_work_plan(real_db):
    """Test the 2024 plan: 8 reserve projects worth 12 亿元, 3 专项债 projects worth 4.1 亿元 seeking 2.5 亿元, 13 platform projects."""
    df = real_db.run("project_plan_actuals", {**YEAR_2023, "year": 2024, "month": 9}).set_index("indicator_id")
    assert df.loc["reserve_projects", "actual_value"] == 8
    assert round(df.loc["reserve_invest", "actual_value"], 2) == 12.0
    assert df.loc["bond_reserve_projects", "actual_value"] == 3
    assert round(df.loc["bond_reserve_invest", "actual_value"], 2) == 4.1
    assert round(df.loc["bond_seek", "actual_value"], 2) == 2.5
    assert df.loc["platform_projects", "listed_value"] == 13


def test_seed_projects_are_findable_with_stages(real_db):
    """Test that projects named in the work summary are in the project list with their 2024-09 stage."""
    plist = real_db.run("project_list", {}).set_index("project_name")
    as_of = pr.as_of_date(2024, 9)
    expect = {
        "迈图新材料项目": "签约",
        "亚格盛甲硅烷特气项目": "签约",
        "军用特种涂料项目": "在谈",
        "渴可速饮料生产基地项目": "投产",
        "源头酒业白酒酿造扩建项目": "开工",
        "元素新材料特种有机硅项目": "签约",
        "泰能光电光伏组件项目": "投产",
    }
    for name, stage in expect.items():
        assert pr.stage_as_of(plist.loc[name].to_dict(), as_of) == stage, name
    for name in (
        "集中供热项目",
        "再生水厂项目",
        "职工服务中心项目",
        "卡游产业园项目",
        "惠多利新材料项目",
        "通航智造产业区基础设施建设项目",
        "绍兴材华科技着色剂项目",
        "天瑞机钢结构项目",
    ):
        assert name in plist.index, name


# ---- the page's SQL aggregates over every project, hand-checked on the fixture (as of 2023-06-30) --------


def test_rates_by_sql(db):
    """Test 开工 3/6, 投产（竣工）1/4 and 到位资金 600 ÷ 计划 650 from the one-row query."""
    r = pr.rates_of(db.run("project_rates", params()))
    assert (r.started, r.start_planned, r.produced, r.produce_planned) == (3, 6, 1, 4)
    assert (r.funds_in_wan, r.plan_wan) == (600, 650)


def test_funnel_by_sql(db):
    """Test the funnel counts, 计划总投资 and current stage of 产业 and 基础设施 projects."""
    df = db.run("project_funnel", params())
    ind = df[df["kind"] == "产业"].set_index("stage")
    assert list(ind.index) == list(pr.STAGES)
    assert list(ind["reached_count"]) == [4, 3, 2, 2, 0, 0]
    assert list(ind["current_count"]) == [1, 1, 0, 2, 0, 0]
    assert ind.loc["谋划", "reached_invest_wan"] == 1000 + 500 + 2000 + 5000
    assert ind.loc["投产", "reached_invest_wan"] == 0
    infra = df[df["kind"] == "基础设施"]
    assert list(infra["stage"]) == ["谋划", "开工", "竣工"] and list(infra["reached_count"]) == [2, 1, 1]


def test_lagging_by_sql_red_first_and_limited(db):
    """Test that Q1's missed 投产 (3 months, red) comes before Q2's 开工 (1 month, yellow), and that a limit
    keeps the first rows while total_count and red_count still count all."""
    late = pr.lag_rows(db.run("project_lagging", params(**LAG, limit=None)))
    assert list(zip(late["project_id"], late["milestone"], late["months_late"], late["status"])) == [
        ("Q1", "投产", 3, Status.RED),
        ("Q2", "开工", 1, Status.YELLOW),
    ]
    one = db.run("project_lagging", params(**LAG, limit=1))
    assert list(one["project_id"]) == ["Q1"]
    assert (pr.total_rows(one), pr.total_rows(one, "red_count")) == (2, 1)
    wide = db.run("project_lagging", params(yellow_months=2, red_months=4, limit=None))
    assert list(zip(wide["project_id"], wide["status"])) == [("Q1", "yellow")]


def test_top_movers_by_sql(db):
    """Test 1—12月 2023 against 2022: Q6 +300, Q1 +250, then Q3 −300, 拉动 over last year's 500 万元."""
    m = db.run("invest_top_movers", params(month=12, n=8))
    assert list(zip(m["project_id"], m["delta"])) == [("Q6", 300), ("Q1", 250), ("Q3", -300)]
    assert list(m["pull_pp"]) == pytest.approx([60.0, 50.0, -60.0])
    assert list(m["invest_ly_wan"]) == [0, 100, 400]
    assert list(db.run("invest_top_movers", params(month=12, n=1))["project_id"]) == ["Q6", "Q3"]


def test_bond_progress_limit_keeps_the_total(db):
    """Test that a limit of one bond shows the newest batch (B2, 2024) and total_count 2 (month 9)."""
    df = db.run("bond_progress", params(month=9, limit=1))
    assert list(df["bond_id"]) == ["B2"] and pr.total_rows(df) == 2


@pytest.mark.parametrize(
    "search, ids",
    [
        ("", ["Q5", "Q6", "Q2", "Q7", "Q1", "Q4", "Q8", "Q10", "Q9", "Q3"]),
        ("扩", ["Q6", "Q1"]),
        ("q1", ["Q1", "Q10"]),
        ("%", []),
        ("_", []),
    ],
)
def test_project_find_by_name_or_id(db, search, ids):
    """Test the picker's search: name or 编号 contains the text (case-insensitive, % and _ literal),
    listed by name."""
    df = db.run("project_find", {"search": search, "limit": 50})
    assert list(df["project_id"]) == ids
    assert list(df["project_name"]) == sorted(df["project_name"])


def test_project_find_limit_keeps_the_largest(db):
    """Test that a limit keeps the projects with the largest 计划总投资 (Q7 5000, Q8 3000) and counts all."""
    df = db.run("project_find", {"search": "", "limit": 2})
    assert set(df["project_id"]) == {"Q7", "Q8"} and pr.total_rows(df) == 10


# ---- the SQL aggregates agree with the Python reference (cockpit/domain/projects.py) ------------------------

CASES = [
    (2023, 6, {}),
    (2023, 12, {}),
    (2024, 9, {}),
    (2022, 3, {}),
    (2023, 6, {"sectors": ["38"]}),
    (2024, 9, {"chains": ["新材料"]}),
    (2023, 9, {"areas": ["A1"]}),
    (2023, 6, {"high_tech_only": True}),
]


def assert_agree(database: Database, year: int, month: int, filters: dict) -> None:
    p = {**ALL, "year": year, "month": month, **filters}
    as_of = pr.as_of_date(year, month)
    pipe = database.run("project_pipeline", p)

    got, want = pr.rates_of(database.run("project_rates", p)), pr.rates(pipe, year, as_of)
    assert (got.start_planned, got.started, got.produce_planned, got.produced) == (
        want.start_planned,
        want.started,
        want.produce_planned,
        want.produced,
    )
    assert (got.funds_in_wan, got.plan_wan) == pytest.approx((want.funds_in_wan, want.plan_wan), rel=1e-9)

    funnels = database.run("project_funnel", p)
    active = pr.active_in_year(pipe, year, as_of)
    for kind in pr.KIND_STAGES:
        want = pr.funnel(active, as_of, kind)
        got = funnels[funnels["kind"] == kind].drop(columns="kind").reset_index(drop=True)
        pd.testing.assert_frame_equal(got[list(want.columns)], want, check_dtype=False, rtol=1e-9)

    for rule in (LAG, {"yellow_months": 2, "red_months": 6}):
        want = pr.lagging(pipe, as_of, **rule)
        got = pr.lag_rows(database.run("project_lagging", {**p, **rule, "limit": None}))
        assert pr.total_rows(got) == len(want)
        assert pr.total_rows(got, "red_count") == int((want["status"] == Status.RED).sum())
        cols = ["project_id", "project_name", "milestone", "months_late", "status"]
        pd.testing.assert_frame_equal(got[cols], want[cols], check_dtype=False)
        assert [d.date() for d in got["plan_date"]] == list(want["plan_date"])
        top = database.run("project_lagging", {**p, **rule, "limit": 3})
        assert list(top["project_id"]) == list(want["project_id"].head(3))

    want = pr.top_movers(database.run("invest_by_project", p), n=5)
    got = database.run("invest_top_movers", {**p, "n": 5})
    cols = ["project_id", "project_name", "kind", "chain", "invest_wan", "invest_ly_wan", "delta", "yoy_pct", "pull_pp"]
    want = want[cols].astype({"yoy_pct": float, "pull_pp": float})  # None where 同比 / 拉动 have no base
    pd.testing.assert_frame_equal(_by_change(got[cols]), _by_change(want), check_dtype=False, rtol=1e-9)


def _by_change(df: pd.DataFrame) -> pd.DataFrame:
    """Increases then decreases, each largest first, ties by project (pandas leaves tie order open)."""
    out = df.assign(_side=df["delta"] < 0, _size=-df["delta"].abs())
    return out.sort_values(["_side", "_size", "project_id"]).drop(columns=["_side", "_size"]).reset_index(drop=True)


@pytest.mark.parametrize("year, month, filters", CASES)
def test_sql_agrees_with_python_on_the_fixture(db, year, month, filters):
    """Test that rates, funnel, lagging list and top movers from SQL equal the Python reference (fixture)."""
    assert_agree(db, year, month, filters)


@pytest.mark.parametrize(
    "year, month, filters",
    [
        (2023, 12, {}),
        (2024, 9, {}),
        (2024, 3, {}),
        (2022, 6, {}),
        (2024, 9, {"chains": ["新材料"]}),
        (2023, 12, {"high_tech_only": True}),
        (2024, 6, {"sectors": ["26", "39"]}),
    ],
)
def test_sql_agrees_with_python_on_the_shipped_data(real_db, year, month, filters):
    """Test the same agreement on the shipped county data (170 projects)."""
    assert_agree(real_db, year, month, filters)


def test_rates_of_an_empty_scope_are_missing(db):
    """Test that a scope without projects gives None rates (not zero) and empty lists."""
    p = params(sectors=["99"])
    r = pr.rates_of(db.run("project_rates", p))
    assert r.start_rate is None and r.produce_rate is None and r.funds_rate is None
    assert db.run("project_funnel", p)["reached_count"].sum() == 0
    late = db.run("project_lagging", {**p, **LAG, "limit": 200})
    assert pr.total_rows(late) == 0 and pr.lag_rows(late).empty
    assert db.run("invest_top_movers", {**p, "n": 8}).empty
