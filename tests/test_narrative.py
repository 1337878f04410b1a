"""The drafted 汇报 text on fixture numbers equals hand-written sentences."""

import pandas as pd

from cockpit import narrative
from cockpit.cards import make_card
from cockpit.config import GradeRule, Rules, StatusRule

RULES = Rules(StatusRule(10.0), GradeRule())


def cards(month, targets, **values):
    """Cards from (value, last year) pairs in display units."""
    return {k: make_card(k, v[0], v[1], month=month, targets=targets, rules=RULES,
                         change_mode="points" if k == "high_tech_share" else
                         ("diff" if k in ("accidents", "major_hazards_open") else "pct"))
            for k, v in values.items()}


CHAINS = pd.DataFrame({"chain": ["新材料", "文化创意", "新装备"], "pull_pp": [2.14, 0.96, -0.43]})


def test_growth_ahead_of_schedule():
    """Test growth, completion ahead of 时序进度, 拉动 and the 高新 share sentence."""
    c = cards(9, {"output": 100.0},
              output=(80.0, 75.0), value_added=(13.0, 12.5), high_tech_va=(11.0, 10.0),
              high_tech_share=(84.6, 80.0), mujun_va=(None, None))
    assert narrative.industry(c, CHAINS, "1—9月") == (
        "1—9月，规上工业产值80.00亿元，同比增长 6.7%，完成年度目标的 80.0%，超时序进度 5.0 个百分点。"
        "分产业链看，新材料产业拉动 2.1 个百分点、文化创意产业拉动 1.0 个百分点；新装备产业下拉 0.4 个百分点。"
        "规上工业增加值13.00亿元，同比增长 4.0%。"
        "高新技术产业增加值11.00亿元，同比增长 10.0%，占规上工业增加值比重 84.6%，比上年同期提高 4.6 个百分点。")


def test_decline_behind_schedule_and_target_missing():
    """Test 下降, 落后于时序进度, and a clause without a target."""
    c = cards(6, {"fai": 40.0}, fai=(15.0, 16.0), industrial_invest=(10.0, 10.0),
              high_tech_invest=(5.0, None), project_count=(30, 28))
    assert narrative.investment(c, "1—6月") == (
        "1—6月，辖区内 30 个项目实现固定资产投资15.00亿元，同比下降 6.2%，完成年度目标的 37.5%，"
        "落后于时序进度 12.5 个百分点；其中工业投资10.00亿元，与上年同期持平；"
        "高新技术产业投资5.00亿元，上年同期无可比数据。")


def test_exactly_on_schedule_and_zero_land():
    """Test 与时序进度持平, and the sentence for nothing accepted yet."""
    on = cards(6, {"land_reclaimed": 150.0}, land_reclaimed=(75.0, 50.0))
    assert narrative.land(on, "1—6月") == (
        "1—6月，完成低效工业用地整治 75.0 亩，同比增长 50.0%，完成年度目标（150.0 亩）的 50.0%，与时序进度持平。")
    zero = cards(3, {"land_reclaimed": 150.0}, land_reclaimed=(0.0, 10.0))
    assert narrative.land(zero, "1—3月") == "1—3月，尚无完成验收的低效工业用地整治项目，年度目标 150.0 亩。"


def test_safety_sentences():
    """Test zero and non-zero accidents, overdue hazards and the risk grade gap."""
    c = cards(9, {}, accidents=(0, 0), major_hazards_open=(6, 2))
    assert narrative.safety(c, "1—9月", "9月底", overdue=3, risk_score=84.2, risk_grade="C",
                            goal_score=85) == (
        "1—9月，辖区内未发生生产安全事故。截至9月底，重大事故隐患未整改 6 个，其中逾期未整改 3 个，须挂牌督办。"
        "化工集聚区最近一次安全风险评估得分 84.2 分，为 C 类，距 D 类（85 分）还差 0.8 分。")
    bad = cards(9, {}, accidents=(2, 0), major_hazards_open=(0, 0))
    assert narrative.safety(bad, "1—9月", "9月底", overdue=0) == (
        "1—9月，辖区内发生生产安全事故 2 起，需认真分析原因、落实整改。截至9月底，重大事故隐患未整改 0 个，无逾期未整改。")


def test_missing_data():
    """Test that missing statistics give a plain sentence instead of numbers."""
    c = cards(9, {}, output=(None, None), value_added=(None, None), high_tech_va=(None, None),
              high_tech_share=(None, None))
    assert narrative.industry(c, CHAINS, "1—9月") == "1—9月，暂无规上工业统计数据。"
