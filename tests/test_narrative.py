"""The drafted 汇报 text: registry sentences filled from evaluations of hand-written numbers equal hand-written text."""

import re

import pandas as pd
import pytest
from registry_rows import fake_run

from cockpit.app.filters import Filters
from cockpit.data.config import GradeRule, Rules, StatusRule
from cockpit.domain import indicators
from cockpit.report import narrative

RULES = Rules(StatusRule(10.0), GradeRule(), same_enterprises=False)


def evaluations(month, targets, year=2024, **values):
    """Evaluations of (value, last year) pairs in display units, through the registry's own evaluation."""
    run = fake_run(values, targets=targets, year=year)
    return {e.id: e for e in indicators.evaluate(run, Filters(year, month), RULES, list(values))}


CHAINS = pd.DataFrame({"chain": ["新材料", "文化创意", "新装备"], "pull_pp": [2.14, 0.96, -0.43]})


def paragraph(section, e, period, as_of="", **kw):
    return narrative.paragraph(section, e, period, as_of, **kw)


def test_growth_ahead_of_schedule():
    """Test growth, completion ahead of 时序进度, 拉动 and the 高新 share sentence."""
    e = evaluations(
        9,
        {"output": 100.0},
        output=(80.0, 75.0),
        value_added=(13.0, 12.5),
        high_tech_va=(11.0, 10.0),
        high_tech_share=(84.6, 80.0),
        mujun_va=(None, None),
    )
    text = narrative.draft(e, "1—9月", "", chains=CHAINS)["工业经济"]
    assert text == (
        "1—9月，规上工业产值 80.00 亿元，同比增长 6.7%，完成年度目标的 80.0%，超时序进度 5.0 个百分点。"
        "分产业链看，新材料产业拉动 2.1 个百分点、文化创意产业拉动 1.0 个百分点；新装备产业下拉 0.4 个百分点。"
        "规上工业增加值 13.00 亿元，同比增长 4.0%（现价）。"
        "高新技术产业增加值 11.00 亿元，同比增长 10.0%（现价），占规上工业增加值比重 84.6%，比上年同期提高 4.6 个百分点。"
    )


def test_decline_behind_schedule_and_target_missing():
    """Test 下降, 落后于时序进度, and a clause without a target."""
    e = evaluations(
        6,
        {"fai": 40.0},
        fai=(15.0, 16.0),
        industrial_invest=(10.0, 10.0),
        high_tech_invest=(5.0, None),
        project_count=(30, 28),
    )
    assert paragraph("投资与项目", e, "1—6月") == (
        "1—6月，辖区内 30 个项目实现固定资产投资 15.00 亿元，同比下降 6.2%，完成年度目标的 37.5%，"
        "落后于时序进度 12.5 个百分点；其中工业投资 10.00 亿元，与上年同期持平；"
        "高新技术产业投资 5.00 亿元，上年同期无数据。"
    )


def test_exactly_on_schedule_and_zero_land():
    """Test 与时序进度持平, and the sentence for nothing accepted yet."""
    on = evaluations(6, {"land_reclaimed": 150.0}, land_reclaimed=(75.0, 50.0))
    assert paragraph("低效用地", on, "1—6月") == (
        "1—6月，完成低效工业用地整治 75.0 亩，同比增长 50.0%，完成年度目标（150.0 亩）的 50.0%，与时序进度持平。"
    )
    zero = evaluations(3, {"land_reclaimed": 150.0}, land_reclaimed=(0.0, 10.0))
    assert paragraph("低效用地", zero, "1—3月") == "1—3月，尚无完成验收的低效工业用地整治项目，年度目标 150.0 亩。"


def test_safety_sentences():
    """Test zero and non-zero accidents, overdue hazards and the risk grade as a gap to the threshold."""
    e = evaluations(
        9, {}, accidents=(0, 0), major_hazards_open=(6, 2), major_hazards_overdue=(3,), risk_score=(84.2, 81.5)
    )
    assert paragraph("安全生产", e, "1—9月", "9月底") == (
        "1—9月，辖区内未发生生产安全事故。截至9月底，重大事故隐患未整改 6 个，其中逾期未整改 3 个，须挂牌督办。"
        "化工集聚区最近一次安全风险评估得分 84.2 分，为 C 类，距 D 类（85 分）还差 0.8 分。"
    )
    bad = evaluations(9, {}, accidents=(2, 0), major_hazards_open=(0, 0), major_hazards_overdue=(0,))
    assert paragraph("安全生产", bad, "1—9月", "9月底") == (
        "1—9月，辖区内发生生产安全事故 2 起，需认真分析原因、落实整改。截至9月底，重大事故隐患未整改 0 个，无逾期未整改。"
    )


def test_missing_data():
    """Test that missing statistics give a plain sentence instead of numbers."""
    e = evaluations(
        9, {}, output=(None, None), value_added=(None, None), high_tech_va=(None, None), high_tech_share=(None, None)
    )
    assert paragraph("工业经济", e, "1—9月") == "1—9月，暂无规上工业统计数据。"


def test_scope_note_travels_with_the_sentence():
    """Test that a figure ignoring an active filter says so in its sentence, as on its card."""
    run = fake_run({"land_reclaimed": (75.0, 50.0)}, targets={"land_reclaimed": 150.0})
    e = {x.id: x for x in indicators.evaluate(run, Filters(2024, 6, chains=("新材料",)), RULES, ["land_reclaimed"])}
    assert paragraph("低效用地", e, "1—6月").endswith("与时序进度持平（全区口径，不随产业链筛选）。")


def test_pulls_name_the_largest_drags():
    """Test that the largest drags are named, most negative first, and tiny ones are left out."""
    rows = pd.DataFrame({"chain": ["甲", "乙", "丙", "丁"], "pull_pp": [1.0, -0.3, -1.2, -0.01]})
    assert narrative.pulls(rows) == "甲产业拉动 1.0 个百分点；丙产业下拉 1.2 个百分点、乙产业下拉 0.3 个百分点"


UNIT_GLUED = re.compile(r"\d(?:亿元|万元|亩|个|起|家|分|天|人次|次|场)")
HAN_NUMBER = re.compile(r"[\u4e00-\u9fff][+\-]?(\d[\d.,]*)(.?)")


def spacing_violations(text: str) -> list[str]:
    """The house rule (cockpit.domain.format, the cards): a space between a number and its unit ('80.00 亿元', '6 个';
    % written close: '6.7%'), and between Chinese text and a number ('增长 6.7%'); dates are written close
    ('截至2024年9月底', '1—9月')."""
    bad = [m.group(0) for m in UNIT_GLUED.finditer(text)]
    bad += [m.group(0) for m in HAN_NUMBER.finditer(text) if m.group(2) not in ("年", "月", "日", "—")]
    return bad


def test_spacing_rule_catches_the_old_text():
    """Test the checker on the mixed spacing of the old 汇报稿."""
    assert spacing_violations("产值103.93亿元，同比增长 7.0%") == ["3亿元", "值103.93亿"]
    assert spacing_violations("1—9月，规上工业产值 103.93 亿元，同比增长 7.0%，截至2024年9月底，未整改 6 个") == []


def test_every_sentence_follows_one_spacing_rule():
    """Test that a whole 汇报稿 from hand-made figures (every section) has one spacing rule."""
    e = evaluations(
        9,
        {"output": 100.0, "fai": 40.0, "land_reclaimed": 150.0},
        output=(80.0, 75.0),
        value_added=(13.0, 12.5),
        high_tech_va=(11.0, 10.0),
        high_tech_share=(84.6, 80.0),
        mujun_va=(79.86, 78.1),
        fai=(15.0, 16.0),
        industrial_invest=(10.0, 10.0),
        high_tech_invest=(5.0, None),
        project_count=(30, 28),
        land_reclaimed=(75.0, 50.0),
        accidents=(2, 0),
        major_hazards_open=(6, 2),
        major_hazards_overdue=(3,),
        risk_score=(84.2, 81.5),
    )
    text = narrative.draft(e, "1—9月", "2024年9月底", chains=CHAINS)
    assert set(text) == {"工业经济", "投资与项目", "低效用地", "安全生产"}
    for area, para in text.items():
        assert spacing_violations(para) == [], (area, para)
    assert "规上工业产值 80.00 亿元" in text["工业经济"] and "固定资产投资 15.00 亿元" in text["投资与项目"]


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 0, 3, 1]])
def test_the_largest_drags_are_named_whatever_the_row_order(order):
    """Test with hand-made 拉动: the two largest drags (most negative) are named, in that order, whatever order the
    rows come in (the 总览 model keeps the 产业链 in output order); the smaller drags are not."""
    rows = pd.DataFrame({"chain": ["甲", "乙", "丙", "丁", "戊"], "pull_pp": [2.0, -0.23, -0.64, -0.63, -0.15]})
    text = narrative.pulls(rows.iloc[order])
    assert text == "甲产业拉动 2.0 个百分点；丙产业下拉 0.6 个百分点、丁产业下拉 0.6 个百分点"
