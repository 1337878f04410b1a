"""Pure arithmetic: 同比, 完成率, 时序进度, status lights, 拉动 and 贡献率, grades, formatting."""

import pandas as pd
import pytest

from cockpit.data.config import GradeRule, StatusRule, load_rules
from cockpit.domain import format as fmt
from cockpit.domain import metrics
from cockpit.domain.attribution import attribute, total_yoy
from cockpit.domain.metrics import Status

RULE = StatusRule(yellow_points=10.0)


def test_yoy_and_share():
    """Test that 同比 and 占比 are in percent and undefined on a zero base."""
    assert metrics.yoy(204700, 150959) == pytest.approx(35.6, abs=0.05)
    assert metrics.yoy(5, 0) is None and metrics.yoy(None, 3) is None
    assert metrics.share(19.43, 23.19) == pytest.approx(83.8, abs=0.05)
    assert metrics.share(1, 0) is None


def test_schedule_progress_and_completion():
    """Test 时序进度 = m/12 and 完成率 = value/target."""
    assert metrics.schedule_progress(9) == 75.0
    assert metrics.schedule_progress(12) == 100.0
    with pytest.raises(ValueError):
        metrics.schedule_progress(13)
    assert metrics.completion(112.5, 150) == 75.0
    assert metrics.completion(1, 0) is None


@pytest.mark.parametrize(
    "value, month, expected",
    [
        (75.0, 9, Status.GREEN),  # exactly on schedule
        (80.0, 9, Status.GREEN),
        (65.0, 9, Status.YELLOW),  # 10 points behind: still yellow
        (64.9, 9, Status.RED),
        (100.0, 12, Status.GREEN),
    ],
)
def test_status_cumulative(value, month, expected):
    """Test the light of a cumulative indicator at the yellow/red boundaries (target 100)."""
    assert metrics.status(value, 100, month, cumulative=True, higher_is_better=True, rule=RULE) == expected


def test_status_rule_is_configurable():
    """Test that a wider yellow band turns a red into a yellow."""
    assert (
        metrics.status(60, 100, 9, cumulative=True, higher_is_better=True, rule=StatusRule(yellow_points=30))
        == Status.YELLOW
    )


def test_status_lower_is_better_and_levels():
    """Test zero-target indicators (accidents) and non-cumulative levels."""
    assert metrics.status(0, 0, 5, cumulative=True, higher_is_better=False, rule=RULE) == Status.GREEN
    assert metrics.status(1, 0, 5, cumulative=True, higher_is_better=False, rule=RULE) == Status.RED
    assert metrics.status(84.2, 85, 9, cumulative=False, higher_is_better=True, rule=RULE) == Status.YELLOW
    assert metrics.status(None, 85, 9, cumulative=False, higher_is_better=True, rule=RULE) is None
    assert metrics.status(5, None, 9, cumulative=False, higher_is_better=True, rule=RULE) is None


def test_pull_and_contribution_add_up():
    """Test that 拉动 of the parts sums to total 同比 and 贡献率 sums to 100 %."""
    df = pd.DataFrame({"k": ["a", "b", "c"], "cur": [120.0, 40.0, 30.0], "prev": [100.0, 50.0, 0.0]})
    out = attribute(df, key="k", current="cur", previous="prev").set_index("k")
    assert out.loc["a", "pull_pp"] == pytest.approx(20 / 150 * 100)
    assert out.loc["b", "yoy_pct"] == pytest.approx(-20.0)
    assert pd.isna(out.loc["c", "yoy_pct"])  # new part: no 同比
    assert out["pull_pp"].sum() == pytest.approx(total_yoy(df, current="cur", previous="prev"))
    assert out["contribution_pct"].sum() == pytest.approx(100.0)
    assert out.loc["b", "contribution_pct"] == pytest.approx(-10 / 40 * 100)


def test_risk_grade_boundaries():
    """Test the 化工园区 grade at its boundaries: A < 60 ≤ B < 70 ≤ C < 85 ≤ D."""
    rule = GradeRule()
    assert [metrics.risk_grade(s, rule) for s in (59.9, 60, 69.99, 70, 84.9, 85, 100)] == [
        "A",
        "B",
        "B",
        "C",
        "C",
        "D",
        "D",
    ]
    assert metrics.risk_grade(None, rule) is None


def test_rules_file_is_read(tmp_path):
    """Test that the rules file drives the thresholds and falls back to defaults when absent."""
    path = tmp_path / "rules.toml"
    path.write_text("[status]\nyellow_points = 30\n[risk_grade]\nD = 90\n", encoding="utf-8")
    rules = load_rules(path)
    assert rules.status.yellow_points == 30 and rules.grade.d == 90
    assert load_rules(tmp_path / "missing.toml").status.yellow_points == 10


def test_format_units_and_precision():
    """Test the report's units and precision."""
    assert fmt.yi(1366500) == "136.65 亿元"
    assert fmt.wan(4300) == "4,300 万元"
    assert fmt.pct(35.6123) == "35.6%" and fmt.pct(6.04, signed=True) == "+6.0%"
    assert fmt.pct(-2.35, signed=True) == "-2.4%" or fmt.pct(-2.35, signed=True) == "-2.3%"
    assert fmt.pp(1.26) == "+1.3 个百分点" and fmt.pp(-0.5) == "-0.5 个百分点"
    assert fmt.pp(-0.04) == "+0.0 个百分点" and fmt.pct(-0.04, signed=True) == "+0.0%"  # a change that rounds to zero
    assert fmt.mu(150) == "150.0 亩"
    assert fmt.count(90) == "90 个"
    assert fmt.by_unit(109.6298, "万元/亩") == "109.63 万元/亩"
    assert fmt.by_unit(None, "亿元") == "—" and fmt.yi(float("nan")) == "—"
    assert fmt.period_label(2024, 9) == "2024年1—9月" and fmt.period_label(2024, 1) == "2024年1—2月"
