"""One registry entry (plus its SQL column) puts a new headline indicator on 总览, in the 汇报稿, in the PDF brief and
in the targets template's code list: 规上工业营业收入 with a target, registered in a temporary registry.

The SQL column is `revenue_wan` of query industry_kpis; nothing else in the code names the indicator.
"""

import shutil

import pandas as pd
import pytest
import tiny
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.app.filters import Filters
from cockpit.data.config import load_rules
from cockpit.data.db import SAMPLE_DIR, Database
from cockpit.domain import indicators, overview
from cockpit.domain.indicators import Indicator, Sentence, Source
from cockpit.report import brief

REVENUE = Indicator(
    "revenue",
    "规上工业营业收入",
    "亿元",
    "规模以上工业企业营业收入，1—m月累计，现价。",
    "Σ 当月营业收入（1—m月）÷ 10000",
    Source("industry_kpis", "revenue_wan", stored="万元"),
    "经济发展科",
    "enterprise_month",
    overview=13,
    sentence=Sentence("工业经济", 50, "{name} {value}，{change}{schedule}"),
)
REGISTRY = indicators.REGISTRY.extended(REVENUE)


def with_target(directory, year: int, value: float):
    targets = pd.read_parquet(directory / "targets.parquet")
    row = pd.DataFrame(
        [
            {
                "year": year,
                "indicator_id": "revenue",
                "scope_kind": "全区",
                "scope_code": "",
                "target_value": value,
                "source": "测试",
            }
        ]
    )
    pd.concat([targets, row], ignore_index=True).to_parquet(directory / "targets.parquet", index=False)


def test_registry_entry_gives_card_sentence_and_code(tmp_path):
    """Test on tiny (营业收入 = 产值: 570 vs 450 万元; target 0.1 亿元): the card, the sentence and the code."""
    directory = tiny.write(tmp_path / "tiny")
    with_target(directory, 2023, 0.1)
    db = Database(directory)
    f, rules = Filters(2023, 3), load_rules()
    model = overview.model(db.run, f, rules, registry=REGISTRY)
    card = model.cards[-1]
    assert (card.label, card.value_text, card.change_text) == ("规上工业营业收入", "0.06 亿元", "同比 +26.7%")
    assert card.target_text == "完成率 57.0%（时序进度 25.0%）· 目标 0.10 亿元" and card.status_text == "正常"
    text = brief.draft(db.run, f, rules, model, registry=REGISTRY)["工业经济"]
    assert "规上工业营业收入 0.06 亿元，同比增长 26.7%，完成年度目标的 57.0%，超时序进度 32.0 个百分点。" in text
    assert "revenue" in [r["indicator_id"] for r in indicators.catalogue_rows(REGISTRY)]
    assert "revenue" not in [r["indicator_id"] for r in indicators.catalogue_rows()]
    pdf = brief.collect(db.run, f, rules, "全部", registry=REGISTRY)
    assert brief.kpi_table(pdf.cards)["指标"].iloc[-1] == "规上工业营业收入"


@pytest.fixture()
def sample_with_revenue_target(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, directory)
    with_target(directory, 2023, 140.0)
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(directory))
    monkeypatch.setattr(indicators, "REGISTRY", REGISTRY)
    return directory


def test_overview_page_shows_the_new_card_and_sentence(sample_with_revenue_target):
    """Test that 总览 (AppTest, shipped data + a 2023 target of 140 亿元) shows the card and the 汇报稿 sentence."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.selectbox(key="year").select(2023).run()
    at.selectbox(key="month").select(12).run()
    assert not at.exception, at.exception
    metric = next(m for m in at.metric if m.label == "规上工业营业收入")
    assert metric.value == "137.53 亿元"
    shown = [c.value.replace("\\", "") for c in at.caption]  # as shown: Markdown escapes removed
    assert any("完成率 98.2%" in c and "目标 140.00 亿元" in c for c in shown)
    at.toggle(key="show_draft").set_value(True).run()
    assert any("规上工业营业收入 137.53 亿元" in m.value.replace("\\", "") for m in at.markdown)
