"""企业画像: the profile's figures for two enterprises of the tiny dataset, worked out by hand (tests/tiny.py),
its queries, and the one-page PDF.

Period 2023年1—3月. Every enterprise reports 3 months a year with the same monthly figures:
  E1 甲化工 (新材料, A1, P1 10 亩): 产值 120/月 (2022: 100), 增加值 24 (20), 税收 = 产值 × 5 %, 用电 1, 能耗 1.
  E3 丙饮料 (食品饮料, A2, P2 shared with E2): 2023 only, 产值 30/月, 增加值 6.
  Zone 2023 1—3月 产值 = 3 × (120 + 40 + 30) = 570; 用电 = 3 × 3 = 9.
"""

import datetime as dt
import subprocess

import pandas as pd
import pytest

from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import enterprise
from cockpit.domain.projects import LagRule
from cockpit.report import profile_pdf

P = {"year": 2023, "month": 3}
ZONE = {"scope": EVERYTHING}


def figures(db, ent_id: str) -> pd.DataFrame:
    rows = db.run("enterprise_months", {"ent_id": ent_id, **P})
    return enterprise.ytd(rows, 2023, 3).set_index("measure")


def test_e1_totals_yoy_and_shares(tiny_db):
    """Test 甲化工 1—3月: 产值 360 (+20 % on 300), 63.16 % of the zone's 570, 100 % of 新材料; 用电 3 = 0 %, 1/3 of 9."""
    t = figures(tiny_db, "E1")
    assert t.loc["output", "current"] == 360 and t.loc["output", "previous"] == 300
    assert t.loc["output", "yoy_pct"] == pytest.approx(20.0)
    assert t.loc["output", "zone_share_pct"] == pytest.approx(360 / 570 * 100)
    assert t.loc["output", "chain_share_pct"] == pytest.approx(100.0)
    assert t.loc["value_added", "current"] == 72 and t.loc["value_added", "yoy_pct"] == pytest.approx(20.0)
    assert t.loc["value_added", "zone_share_pct"] == pytest.approx(72 / (72 + 24 + 18) * 100)
    assert t.loc["tax", "current"] == pytest.approx(18.0) and t.loc["tax", "yoy_pct"] == pytest.approx(20.0)
    assert t.loc["power", "current"] == 3 and t.loc["power", "yoy_pct"] == pytest.approx(0.0)
    assert t.loc["power", "zone_share_pct"] == pytest.approx(100 / 3)
    assert (t["yoy_note"] == "").all()


def test_e3_without_last_year_has_no_yoy(tiny_db):
    """Test 丙饮料 1—3月: 产值 90, no 同比 (上年同期无数据), 15.79 % of the zone, 100 % of 食品饮料."""
    t = figures(tiny_db, "E3")
    assert t.loc["output", "current"] == 90
    assert t.loc["output", "yoy_pct"] is None and t.loc["output", "previous"] is None
    assert t.loc["output", "yoy_note"] == "上年同期无数据"
    assert t.loc["output", "zone_share_pct"] == pytest.approx(90 / 570 * 100)
    assert t.loc["output", "chain_share_pct"] == pytest.approx(100.0)


def test_monthly_points_merge_january_and_february(tiny_db):
    """Test 甲化工's 当月 points: 1—2月 = 240 (+20 %), 3月 = 120 (+20 %), 2022's two periods; 丙饮料 has no 同比."""
    rows = tiny_db.run("enterprise_months", {"ent_id": "E1", **P})
    m = enterprise.monthly(rows, 2023, 3, "output")
    assert list(zip(m["year"], m["month"], m["value"])) == [
        (2022, 2, 200),
        (2022, 3, 100),
        (2023, 2, 240),
        (2023, 3, 120),
    ]
    assert m.loc[m["year"] == 2023, "yoy_pct"].tolist() == pytest.approx([20.0, 20.0])
    assert m.loc[m["year"] == 2023, "zone_share_pct"].tolist() == pytest.approx([240 / 380 * 100, 120 / 190 * 100])
    e3 = enterprise.monthly(tiny_db.run("enterprise_months", {"ent_id": "E3", **P}), 2023, 3, "output")
    assert e3["yoy_pct"].isna().all()
    table = enterprise.month_table(rows, 2023, 3)
    assert list(table["期间"]) == ["1—2月", "3月"] and list(table["output"]) == [240, 120]


def test_missing_month_last_year_blocks_the_cumulative_yoy():
    """Test that 1—m月 同比 is withheld when a month reported this year is missing last year."""
    rows = pd.DataFrame({"year": [2022, 2023, 2023], "month": [3, 2, 3]})
    for m in enterprise.MEASURES:
        rows[m.column] = [10.0, 10.0, 10.0]
        rows[f"zone_{m.column}"] = rows[f"chain_{m.column}"] = [100.0, 100.0, 100.0]
    t = enterprise.ytd(rows, 2023, 3).set_index("measure")
    assert t.loc["output", "yoy_pct"] is None and t.loc["output", "yoy_note"] == "上年同期缺 1 个月"
    assert t.loc["output", "zone_share_pct"] == pytest.approx(10.0)


def test_identity_hazards_projects_accidents(tiny_db):
    """Test 甲化工 and 乙电气: identity lines, 隐患 open / overdue at 2023-03-31, projects with invest, accidents."""
    e1 = tiny_db.run("enterprise_profile", {"ent_id": "E1"}).iloc[0].to_dict()
    lines = dict(enterprise.identity(e1))
    assert lines["产业链"] == "新材料" and lines["高新技术企业"] == "是" and lines["规模"] == "规上，2010 年入规"
    assert lines["地块"] == "P1（10.00 亩，工业）" and enterprise.reported_span(e1) == "2022年1月—2023年3月"
    e2 = tiny_db.run("enterprise_profile", {"ent_id": "E2"}).iloc[0].to_dict()
    assert dict(enterprise.identity(e2))["地块"] == "P2（25.00 亩，工业，与另外 1 家企业共用）"

    def register(ent):
        return tiny_db.run("hazard_register", {**P, **ZONE, "category": "", "ent_id": ent, "status": "", "limit": None})

    # E1: H1 逾期整改 (rectified after its deadline), H2 重大 到期未整改 (deadline 02-15), H5 重大 整改中
    assert enterprise.hazard_counts(register("E1")) == {"listed": 3, "open": 2, "overdue": 1, "major_open": 2}
    # E2: H3 重大 整改中 (deadline 03-31 = the as-of date), H4 一般 到期未整改 (deadline 01-20)
    assert enterprise.hazard_counts(register("E2")) == {"listed": 2, "open": 2, "overdue": 1, "major_open": 1}

    projects = tiny_db.run("enterprise_projects", {"ent_id": "E1", **P})
    assert list(projects["project_id"]) == ["P1"]
    assert projects["invest_ytd_wan"].iloc[0] == 200 and projects["invest_cum_wan"].iloc[0] == 280
    e2_projects = tiny_db.run("enterprise_projects", {"ent_id": "E2", **P})
    assert list(e2_projects["project_id"]) == ["P3"] and e2_projects["invest_ytd_wan"].iloc[0] == 70
    rows = enterprise.project_rows(projects, dt.date(2023, 3, 31), LagRule(1, 3))
    assert rows["stage"].iloc[0] == "未谋划" and rows["lag"].iloc[0] == "—"  # tiny has no stage dates
    assert tiny_db.run("enterprise_accidents", {"ent_id": "E2", **P})["accident_id"].tolist() == ["S1"]
    assert tiny_db.run("enterprise_accidents", {"ent_id": "E1", **P}).empty


def test_find_by_name_or_credit_code(tiny_db):
    """Test the picker: biggest 2023 产值 first, a name part, a code prefix, and the count of matches."""
    everyone = tiny_db.run("enterprise_find", {"search": "", "limit": 2})
    assert list(everyone["ent_id"]) == ["E1", "E2"] and everyone["matches"].iloc[0] == 3
    assert list(tiny_db.run("enterprise_find", {"search": "饮料", "limit": 10})["ent_id"]) == ["E3"]
    assert list(tiny_db.run("enterprise_find", {"search": "e2", "limit": 10})["ent_id"]) == ["E2"]
    assert tiny_db.run("enterprise_find", {"search": "没有", "limit": 10}).empty


def test_parcel_enterprises_largest_first(tiny_db):
    """Test that P2's enterprises are 乙电气 (20 亩) then 丙饮料 (5 亩)."""
    assert list(tiny_db.run("parcel_enterprises", {"parcel_id": "P2"})["ent_id"]) == ["E2", "E3"]


def test_mujun_lines_and_alert_rows():
    """Test the 亩均 sentences and the 预警 table (columns no item has are left out)."""
    history = pd.DataFrame({"year": [2022, 2023], "cls_label": ["B 类 提升发展", "C 类 调控帮扶"]})
    unit = {"cls_label": "C 类 调控帮扶", "score": 88.26, "rank": 40.0}
    assert enterprise.mujun_lines(unit, history, 2023, 115) == [
        "2023年C 类 调控帮扶，综合得分 88.3 分，全区第 40 名（共 115 个评价单元）。",
        "历年分类：2022年 B 类 提升发展；2023年 C 类 调控帮扶。",
    ]
    assert enterprise.mujun_lines(None, [], 2023, 115) == ["未参加2023年亩均效益评价（当年无规上产值申报）。"]
    table = enterprise.alert_rows([{"severity": "严重", "rule_name": "产值连续下降", "figure": "当月 −15%"}])
    assert list(table.columns) == ["等级", "预警", "情况"]
    assert enterprise.alert_rows([]).empty


def test_one_page_pdf(tiny_db):
    """Test that the 企业画像 PDF of 甲化工 is one A4 page with its name, 产值 and 同比, hazards and project."""
    row = tiny_db.run("enterprise_profile", {"ent_id": "E1"}).iloc[0].to_dict()
    register = tiny_db.run(
        "hazard_register", {**P, **ZONE, "category": "", "ent_id": "E1", "status": "", "limit": None}
    )
    projects = enterprise.project_rows(
        tiny_db.run("enterprise_projects", {"ent_id": "E1", **P}), dt.date(2023, 3, 31), LagRule(1, 3)
    )
    p = profile_pdf.collect(
        row,
        figures(tiny_db, "E1").reset_index(),
        register,
        tiny_db.run("enterprise_accidents", {"ent_id": "E1", **P}),
        projects,
        "测试开发区",
        "2023年1—3月",
        mujun=["还没有完整年度的数据，无法进行亩均效益评价。"],
        today=dt.date(2024, 1, 2),
    )
    data = profile_pdf.pdf_bytes(p)
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode()
    assert "Pages:           1" in info and "A4" in info
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True).stdout.decode()
    for words in (
        "企业画像 · 甲化工",
        "统一社会信用代码 E1",
        "360",
        "+20.0%",
        "63.2%",
        "甲扩建",
        "期末未整改 2 条",
        "到期未整改 1 条",
        "重大隐患未整改 2 条",
    ):
        assert words in text, words
    assert profile_pdf.file_name("甲/化工 有限公司", "2023年1—3月") == "企业画像_甲化工有限公司_2023年1—3月.pdf"
