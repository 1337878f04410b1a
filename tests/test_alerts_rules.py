"""预警 rules on hand-made data: each kind fires at its threshold's far side and not at the threshold itself.

The enterprise rows below are made for the 产值 / 用电 runs (as of 2024-05, three periods back to 2024-03):
  E1 falls exactly 10 % each month (not "more than 10 %"), and 15 % in 1—2月 and 3月 (the combined period);
  E2 falls 11 % each month from a base of 100 (用电 31 % in May);
  E3 falls 20 % but has no April report (the run is broken).
"""

import datetime as dt

import invest_fixture
import pandas as pd
import pytest
import tiny

from cockpit.data.config import GradeRule, load_rules
from cockpit.data.db import SAMPLE_DIR, Database
from cockpit.domain import alerts, duty
from cockpit.domain.alerts import IndicatorFigure, Period, Rule

D = dt.date


def rule(kind: str, severity: str = "较重", office: str = "", **params) -> Rule:
    """A rule as the config file gives it (defaults of the kind filled in)."""
    raw = {
        "rule": [
            {
                "id": "r",
                "kind": kind,
                "name": "测试规则",
                "description": "测试",
                "severity": severity,
                "office": office,
                "enabled": True,
                **params,
            }
        ]
    }
    return alerts.parse_config(raw).rules[0]


def keys(found) -> list[str]:
    return [a.key.split("|", 1)[1] for a in found]


# ---------------------------------------------------------------------------------------- config
def test_shipped_rules_load_and_read_as_words():
    """Test that config/alerts.toml loads, every rule has its thresholds in words and a known severity."""
    cfg = alerts.load_config()
    assert len(cfg.rules) >= 10 and cfg.levels == ["严重", "较重", "一般"]
    assert {r.kind for r in cfg.rules} == set(alerts.KINDS)
    for r in cfg.rules:
        assert r.severity in cfg.levels and "{" not in r.text()
    assert cfg.rule("enterprise_output_falling").text() == "当月产值同比下降超过 10%，连续 3 个月"


@pytest.mark.parametrize(
    "item, message",
    [
        ({"kind": "no_such"}, "不认识的规则类型"),
        ({"severity": "特别严重"}, "不在 [severity] 中"),
        ({"id": "Bad-Id"}, "id 只能用小写"),
        ({"months": "三"}, "类型不对"),
        ({"colour": "red"}, "不认识的项"),
        ({"measure": "tax"}, "measure 只能是"),
        ({"description": "下降超过 {pct}%"}, "description 中的 {pct}"),
        ({"enabled": "yes"}, "enabled 只能填"),
    ],
)
def test_a_bad_rule_is_named_in_chinese(item, message):
    """Test that a mistake in a rule raises ConfigError naming the rule and what is wrong."""
    base = {
        "id": "x",
        "kind": "enterprise_yoy_decline",
        "name": "n",
        "description": "d",
        "severity": "一般",
        "measure": "output",
        "months": 3,
        "drop_pct": 10,
    }
    with pytest.raises(alerts.ConfigError, match=message.replace("[", r"\[").replace("{", r"\{")):
        alerts.parse_config({"rule": [{**base, **item}]})


def test_missing_threshold_and_duplicate_id_are_refused():
    """Test that a kind's required threshold must be given and ids are unique."""
    with pytest.raises(alerts.ConfigError, match="缺少数值项 drop_pct"):
        alerts.parse_config(
            {
                "rule": [
                    {
                        "id": "x",
                        "kind": "enterprise_yoy_decline",
                        "name": "n",
                        "description": "d",
                        "severity": "一般",
                        "measure": "output",
                        "months": 3,
                    }
                ]
            }
        )
    one = {"id": "x", "kind": "accident_new", "name": "n", "description": "d", "severity": "一般"}
    with pytest.raises(alerts.ConfigError, match="重复"):
        alerts.parse_config({"rule": [one, one]})


# ---------------------------------------------------------------------------------------- indicators
PERIOD = Period(2024, 9, D(2024, 10, 25))


def fig(indicator_id="output", completion=None, progress=75.0, change=None, mode="pct") -> IndicatorFigure:
    return IndicatorFigure(
        indicator_id, "规上工业产值", "亿元", "100.00 亿元", change, mode, completion, progress, "经济发展科"
    )


@pytest.mark.parametrize("completion, fires", [(70.0, False), (69.99, True), (65.0, True), (64.99, False)])
def test_behind_schedule_between_its_bounds(completion, fires):
    """Test 落后 more than 5 and at most 10 个百分点: 5 exactly does not fire, 10 exactly does, 10.01 does not."""
    r = rule("indicator_behind_schedule", min_points=5, max_points=10)
    found = alerts.behind_schedule([fig(completion=completion)], r, PERIOD)
    assert bool(found) == fires
    if fires:
        a = found[0]
        assert a.office == "经济发展科" and a.category == "指标"
        assert "完成率" in a.figure and "时序进度 75.0%" in a.figure
        assert a.link == "/industry?year=2024&month=1%E2%80%949%E6%9C%88&indicator=output"


def test_behind_schedule_needs_a_target_and_a_schedule():
    """Test that an indicator without 完成率 (no target) or 时序进度 (not cumulative) never fires."""
    r = rule("indicator_behind_schedule", min_points=0)
    assert alerts.behind_schedule([fig(completion=None), fig(completion=10.0, progress=None)], r, PERIOD) == []


@pytest.mark.parametrize("change, fires", [(0.0, False), (-0.01, True)])
def test_yoy_below_threshold(change, fires):
    """Test 同比 below 0 %: 0.0 does not fire, −0.01 does."""
    r = rule("indicator_yoy_below", below_pct=0, indicators=["output"])
    assert bool(alerts.yoy_below([fig(change=change)], r, PERIOD)) == fires


def test_yoy_below_only_listed_percentage_indicators():
    """Test that an indicator not listed, or whose change is in 个百分点 / ± n, does not fire."""
    r = rule("indicator_yoy_below", below_pct=0, indicators=["fai"])
    assert alerts.yoy_below([fig(change=-5.0)], r, PERIOD) == []
    r = rule("indicator_yoy_below", below_pct=0, indicators=["output"])
    assert alerts.yoy_below([fig(change=-5.0, mode="points")], r, PERIOD) == []


def test_the_adapter_reads_the_overview_cards(tiny_db):
    """Test that indicator_figures gives the 总览 cards' values, 完成率 and 时序进度 (tiny: 2023 1—2月, target 0.1 亿元)."""
    figures = {
        f.indicator_id: f for f in alerts.indicator_figures(tiny_db.run, Period(2023, 2, D(2023, 3, 25)), load_rules())
    }
    out = figures["output"]
    assert out.value_text == "0.04 亿元"  # 240 + 80 + 60 万元
    assert out.completion == pytest.approx(380 / 1000 * 100)
    assert out.progress == pytest.approx(2 / 12 * 100)
    # 同比 on the same enterprises as the card (同口径: 甲 240 and 乙 80 reported both years, 300 last year)
    assert out.change == pytest.approx((320 / 300 - 1) * 100) and out.office == "经济发展科"


# ---------------------------------------------------------------------------------------- enterprises
def _month_rows() -> pd.DataFrame:
    rows = []

    def put(ent, year, month, output, power=10.0):
        rows.append(
            {
                "ent_id": ent,
                "year": year,
                "month": month,
                "output_wan": float(output),
                "value_added_wan": output * 0.2,
                "revenue_wan": float(output),
                "tax_wan": 1.0,
                "energy_tce": 1.0,
                "emission_t": 0.1,
                "power_10k_kwh": float(power),
                "employees": 10,
                "rd_wan": 1.0,
            }
        )

    put("E1", 2023, 1, 60), put("E1", 2023, 2, 40), put("E1", 2024, 2, 85)  # 1—2月: 100 → 85
    for m in (3, 4, 5):
        put("E1", 2023, m, 100), put("E1", 2024, m, 85 if m == 3 else 90)
        put("E2", 2023, m, 100), put("E2", 2024, m, 89, power=6.9 if m == 5 else 10.0)
        put("E3", 2023, m, 100)
        if m != 4:
            put("E3", 2024, m, 80)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def ent_db(tmp_path_factory):
    tables = tiny.tables()
    tables["enterprise_month"] = _month_rows()
    directory = tmp_path_factory.mktemp("alerts-ent")
    for name, df in tables.items():
        df.to_parquet(directory / f"{name}.parquet", index=False)
    return Database(directory)


def decline(db, year=2024, month=5, measure="output", months=3, drop=10.0, base=0.0):
    r = rule(
        "enterprise_yoy_decline", office="经济发展科", measure=measure, months=months, drop_pct=drop, min_base=base
    )
    rows = db.run(
        "alert_enterprise_decline",
        dict(year=year, month=month, measure=measure, months=months, drop_pct=drop, min_base=base),
    )
    return alerts.enterprise_declines(rows, r)


def test_output_falling_more_than_the_threshold_for_every_month(ent_db):
    """Test that only E2 (−11 % three months running) fires; E1 (exactly −10 %) and E3 (April missing) do not."""
    found = decline(ent_db)
    assert keys(found) == ["E2"]
    a = found[0]
    assert a.link == "/enterprise?id=E2" and a.office == "经济发展科"
    assert a.figure == "2024年5月当月产值 89.00 万元，上年同期 100.00 万元，同比 -11.0%，连续 3 个月同比下降均超过 10%"
    assert keys(decline(ent_db, drop=10.99)) == ["E2"] and keys(decline(ent_db, drop=11.0)) == []


def test_january_and_february_count_as_one_period(ent_db):
    """Test that as of March the two periods are 3月 and 1—2月 (100 → 85 summed), so E1 fires with E2 absent
    in 1—2月 (no report: the run is broken)."""
    assert keys(decline(ent_db, month=3, months=2)) == ["E1"]
    assert keys(decline(ent_db, month=3, months=2, drop=15.0)) == []


def test_a_small_base_is_left_out(ent_db):
    """Test that last year's value must be at least min_base (100 万元 passes, 100.01 does not)."""
    assert keys(decline(ent_db, base=100.0)) == ["E2"]
    assert keys(decline(ent_db, base=100.01)) == []


def test_power_drop_in_the_latest_month(ent_db):
    """Test 用电 −31 % in May for E2 against a 30 % and a 31 % threshold."""
    assert keys(decline(ent_db, measure="power", months=1, drop=30.0)) == ["E2"]
    assert keys(decline(ent_db, measure="power", months=1, drop=31.0)) == []


def test_mujun_class_downgrades():
    """Test A→B is one step, B→D two, unrated years and upgrades never fire."""
    prev = pd.DataFrame(
        {
            "ent_id": ["a", "b", "c", "d"],
            "cls": ["A", "B", "C", None],
            "cls_label": ["A 类", "B 类", "C 类", "未参评"],
            "score": [150.0, 120.0, 90.0, None],
        }
    )
    cur = pd.DataFrame(
        {
            "ent_id": ["a", "b", "c", "d"],
            "ent_name": ["甲", "乙", "丙", "丁"],
            "cls": ["B", "D", "B", "D"],
            "cls_label": ["B 类", "D 类", "B 类", "D 类"],
            "score": [140.0, 40.0, 100.0, 30.0],
        }
    )
    fell = alerts.class_downgrades(prev, cur, 1)
    assert list(zip(fell["ent_id"], fell["steps"])) == [("b", 2), ("a", 1)]
    assert list(alerts.class_downgrades(prev, cur, 2)["ent_id"]) == ["b"]
    found = alerts.mujun_downgrades(fell, rule("enterprise_mujun_downgrade", office="经济发展科"), 2023)
    assert found[0].figure == "2023年亩均效益评价 D 类（40.0 分），2022年 B 类（120.0 分），下降 2 档"


def test_mujun_downgrade_on_the_shipped_data_compares_the_last_two_complete_years(real_db):
    """Test that as of 2024年1—9月 the rule compares 2023 with 2022, each warning's classes come from the
    evaluation of those years, and every named enterprise fell at least one class."""
    from cockpit.domain import mujun

    r = rule("enterprise_mujun_downgrade", min_steps=1)
    ctx = alerts.Context(real_db.run, Period(2024, 9, D(2024, 10, 25)), load_rules())
    found = alerts.KINDS[r.kind].evaluate(r, ctx)
    evs = mujun.evaluate_years(mujun.read_inputs(real_db.run), [2022, 2023], mujun.load_config())
    cls = {y: dict(zip(evs[y].enterprises["ent_id"], evs[y].enterprises["cls"])) for y in (2022, 2023)}
    assert found
    for a in found:
        ent = a.key.split("|")[1]
        assert "ABCD".index(cls[2023][ent]) > "ABCD".index(cls[2022][ent])
        assert a.link == f"/enterprise?id={ent}"


# ---------------------------------------------------------------------------------------- projects
@pytest.fixture(scope="module")
def project_db(tmp_path_factory):
    return Database(invest_fixture.write(tmp_path_factory.mktemp("alerts-projects")))


def late(db, min_months, max_months=None, year=2023, month=6):
    r = rule("project_late", min_months=min_months, **({"max_months": max_months} if max_months else {}))
    ctx = alerts.Context(db.run, Period(year, month, D(year, month + 1, 20)), load_rules())
    return alerts.KINDS[r.kind].evaluate(r, ctx)


def test_project_late_by_months(project_db):
    """Test the invest fixture as of 2023-06 (Q1 投产 planned 2023-03: 3 months; Q2 开工 planned 2023-05: 1 month):
    a 1—2 month rule names Q2 only, a ≥ 3 month rule Q1 only, ≥ 4 nobody."""
    assert keys(late(project_db, 1, 2)) == ["Q2|开工"]
    assert keys(late(project_db, 3)) == ["Q1|投产"]
    assert keys(late(project_db, 4)) == []
    a = late(project_db, 3)[0]
    assert a.office == "项目推进科" and a.duty == "责任单位：项目推进科，责任人：甲一"
    assert a.link == "/invest?year=2023&month=1%E2%80%946%E6%9C%88&project=Q1"
    assert a.figure == "计划投产 2023-03-31，截至2023年6月30日仍未投产，逾期 3 个月"


def funds(db, below, min_plan=0.0):
    r = rule("project_funds_low", below_pct=below, min_plan_wan=min_plan)
    rows = db.run("alert_project_funds", dict(year=2023, month=2, below_pct=below, min_plan_wan=min_plan))
    return alerts.low_funds(rows, r, Period(2023, 2, D(2023, 3, 20)))


def test_funds_rate_below_the_threshold(tiny_db):
    """Test tiny 2023 1—2月: P1 到位 180 of 200 planned = 90 % (fires below 90.01 %, not below 90 %); P2 at 100 %."""
    assert keys(funds(tiny_db, 90.0)) == []
    found = funds(tiny_db, 90.01)
    assert keys(found) == ["P1|2023"]
    assert found[0].figure == "2023年1—2月到位资金 180 万元，计划投资 200 万元，资金到位率 90.0%"
    assert found[0].office == "项目推进科" and "包联领导：丙主任" in found[0].duty


def test_funds_rate_ignores_small_plans(tiny_db):
    """Test that P1's 200 万元 plan counts at min_plan_wan 200 and not at 200.01."""
    assert keys(funds(tiny_db, 95.0, 200.0)) == ["P1|2023"]
    assert keys(funds(tiny_db, 95.0, 200.01)) == []


# ---------------------------------------------------------------------------------------- safety
def hazards(db, level="重大", min_days=1, month=2):
    r = rule("hazard_overdue", level=level, min_days=min_days)
    ctx = alerts.Context(db.run, Period(2023, month, D(2023, month + 1, 20)), load_rules())
    return alerts.KINDS[r.kind].evaluate(r, ctx)


def test_major_hazard_overdue(tiny_db):
    """Test tiny as of 2023-02-28: H2 (重大, deadline 02-15, open) is 13 days overdue; H1 was rectified, H3 and H5
    are not due; min_days 13 fires, 14 does not."""
    found = hazards(tiny_db, min_days=13)
    assert keys(found) == ["H2"]
    a = found[0]
    assert a.office == "安全生产科" and a.duty == "监管科室：安全生产科，整改责任人：张安全"
    assert a.figure == "重大隐患（电气焊：动火未审批），整改期限 2023-02-15，截至2023年2月28日已逾期 13 天"
    assert a.link == "/safety?year=2023&month=1%E2%80%942%E6%9C%88&hazard=H2"
    assert hazards(tiny_db, min_days=14) == []


def test_minor_hazard_rule_sees_only_its_level(tiny_db):
    """Test that the 一般 rule names H4 (deadline 01-20: 39 days) and not the 重大 H2."""
    assert keys(hazards(tiny_db, level="一般", min_days=39)) == ["H4"]
    assert hazards(tiny_db, level="一般", min_days=40) == []


@pytest.mark.parametrize(
    "year, month, months, fires", [(2022, 2, 1, True), (2022, 3, 1, False), (2022, 3, 2, True), (2022, 1, 1, False)]
)
def test_new_accident_in_the_window(tiny_db, year, month, months, fires):
    """Test tiny's accident of 2022-02-10 against windows of 1—2 months ending at the as-of month."""
    r = rule("accident_new", months=months)
    ctx = alerts.Context(tiny_db.run, Period(year, month, D(2022, 4, 1)), load_rules())
    found = alerts.KINDS[r.kind].evaluate(r, ctx)
    assert keys(found) == (["S1"] if fires else [])
    if fires:
        assert found[0].figure == "2022-02-10 发生机械伤害事故：死亡 0 人，受伤 1 人，直接经济损失 3.0 万元"


GRADES = GradeRule(b=60, c=70, d=85)


def assessments(*scores):
    return pd.DataFrame(
        {
            "park": "化工集聚区",
            "area_code": "A1",
            "assess_date": [D(2023, 1, 1) + dt.timedelta(days=100 * i) for i in range(len(scores))],
            "assessor": "自评",
            "score": list(scores),
            "grade": "",
        }
    )


@pytest.mark.parametrize(
    "scores, fires",
    [((72.0, 69.9), True), ((72.0, 70.0), False), ((68.0, 72.5), False), ((85.0, 84.9), True), ((84.9,), False)],
)
def test_risk_grade_worse(scores, fires):
    """Test that crossing a cut-off downwards (C 72 → B 69.9, D 85 → C 84.9) fires; staying (70.0 is still C),
    improving, or a single assessment does not."""
    found = alerts.worse_grades(assessments(*scores), rule("risk_grade_worse", office="安全生产科"), PERIOD, GRADES)
    assert bool(found) == fires


def test_risk_grade_rule_needs_a_chemical_cluster(tmp_path):
    """Test that a zone whose areas have no 化工集聚区 gets no assessments, hence no warning."""
    tables = tiny.tables()
    tables["areas"] = tables["areas"].assign(is_chemical_cluster=False)
    tables["risk_assessments"] = assessments(72.0, 60.0).drop(columns="area_code")
    for name, df in tables.items():
        df.to_parquet(tmp_path / f"{name}.parquet", index=False)
    rows = Database(tmp_path).run("alert_risk_assessments", dict(year=2024, month=9))
    assert rows.empty


# ---------------------------------------------------------------------------------------- freshness
@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2024, 10, 20), D(2024, 8, 31)),
        (D(2024, 10, 21), D(2024, 9, 30)),
        (D(2024, 1, 21), D(2023, 12, 31)),
        (D(2024, 1, 5), D(2023, 11, 30)),
    ],
)
def test_monthly_data_is_due_after_the_grace_days(today, expected):
    """Test that last month's data is due once 20 days of this month have passed."""
    assert alerts.expected_latest("月度", 20, today) == expected


def test_stale_table_fires_only_when_behind():
    """Test enterprise data through 2024-09: fresh on 10-21, stale on 11-21 (October due), and the figure."""
    rows = pd.DataFrame({"table_name": ["enterprise_month"], "latest": [pd.Timestamp("2024-09-30")]})
    r = rule("data_stale", table="enterprise_month", grace_days=20)
    assert alerts.stale_tables(rows, r, D(2024, 10, 21)) == []
    found = alerts.stale_tables(rows, r, D(2024, 11, 21))
    assert keys(found) == ["enterprise_month|2024-10"]
    assert found[0].figure == "企业月度数据最新数据截至 2024年9月，按月报送应已有 2024年10月的数据（今天 2024-11-21）"
    yearly = rule("data_stale", table="risk_assessments", frequency="年度", grace_days=30)
    ra = pd.DataFrame({"table_name": ["risk_assessments"], "latest": [pd.Timestamp("2024-06-25")]})
    assert alerts.stale_tables(ra, yearly, D(2025, 7, 25)) == []
    assert len(alerts.stale_tables(ra, yearly, D(2025, 7, 26))) == 1


# ---------------------------------------------------------------------------------------- the whole run
def test_shipped_data_warnings_are_complete_and_linked(real_db):
    """Test the evaluation of the shipped data as of 2024年1—9月: unique keys, the worst first, every warning with
    a figure, the rule in words, an office and a link to a page of the app; no None/nan reaches the text."""
    found = alerts.evaluate(real_db.run, today=D(2024, 10, 25))
    cfg = alerts.load_config()
    assert len({a.key for a in found}) == len(found) > 0
    assert [cfg.rank(a.severity) for a in found] == sorted(cfg.rank(a.severity) for a in found)
    pages = {"/industry", "/invest", "/land", "/safety", "/overview", "/enterprise", "/admin"}
    for a in found:
        assert a.figure and a.rule_text and a.office and a.link.split("?")[0] in pages
        text = " ".join([a.subject, a.figure, a.rule_text, a.office, a.duty])
        assert "None" not in text and "nan" not in text
    ents = set(pd.read_parquet(SAMPLE_DIR / "enterprises.parquet")["ent_id"])
    for a in found:  # enterprise and hazard warnings name their enterprise (the 企业画像 lists them)
        assert (a.ent_id in ents) if (a.category == "企业" or a.rule_id.startswith("hazard")) else a.ent_id == ""
    by_rule = {r: sum(a.rule_id == r for a in found) for r in {a.rule_id for a in found}}
    assert by_rule["hazard_major_overdue"] == 3  # the sample's three overdue 重大 hazards
    assert "data_stale_enterprise_month" not in by_rule  # data through September are on time on 10-25


def test_duty_text_skips_what_is_not_recorded():
    """Test the responsibility sentence: filled columns in order, blanks skipped, '' when none."""
    assert (
        duty.text({"duty_unit": "项目推进科", "duty_person": None, "liaison_leader": "周晨"})
        == "责任单位：项目推进科，包联领导：周晨"
    )
    assert duty.text({"duty_person": float("nan")}) == "" and duty.suffix({}) == ""


def test_sample_fills_the_responsibility_columns():
    """Test that every sample project has a 责任单位 and 责任人 and the major ones a 包联领导; every hazard an
    整改责任人 and 监管科室."""
    projects = pd.read_parquet(SAMPLE_DIR / "projects.parquet")
    hz = pd.read_parquet(SAMPLE_DIR / "hazards.parquet")
    assert projects[["duty_unit", "duty_person"]].notna().all().all()
    major = (projects["total_invest_wan"] >= 10_000) | projects["is_special_bond"]
    assert projects.loc[major, "liaison_leader"].notna().all() and projects.loc[~major, "liaison_leader"].isna().all()
    assert hz[["rectify_person", "supervise_office"]].notna().all().all()
    assert set(projects["duty_unit"]) <= {"经济发展科", "项目推进科", "规划建设科", "招商服务中心"}
