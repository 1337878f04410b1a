"""总览: the headline indicators of the work summary, their trend and where they come from."""

import pandas as pd
import streamlit as st

from cockpit import alerts_ui, brief, charts, filters, ui
from cockpit import format as fmt
from cockpit.attribution import attribute
from cockpit.cards import overview_cards

f = filters.current()
p = f.params()
rules = ui.rules()

ui.header("总览", full=True)
ui.scope_caption(filters.current_description())
alerts_ui.strip()

cards = overview_cards(
    ui.q("industry_kpis", p), ui.q("investment_kpis", p), ui.q("land_kpis", p),
    ui.q("safety_kpis", p), ui.q("targets_for_year", p),
    year=f.year, month=f.month, rules=rules,
)
ui.card_grid(cards, as_of=fmt.period_label(f.year, f.month))

left, right = ui.columns([3, 2])
with left:
    trend = ui.q("output_trend", p)
    ui.chart(charts.ytd_trend, trend, value="output_ytd_wan",
             title=f"规上工业产值 1—m月累计：{f.year}年与{f.year - 1}年（亿元）")
with right:
    chains = attribute(ui.q("output_by_chain", p), key="chain", current="output_wan",
                       previous="output_ly_wan")
    chains["label"] = [f"{fmt.pct(y, signed=True)} · 拉动 {fmt.pp(d)}" if pd.notna(y) else "新增"
                       for y, d in zip(chains["yoy_pct"], chains["pull_pp"])]
    ui.chart(charts.ranked_bars, chains, category="chain", value="output_wan", scale=1e4,
             title=f"分产业链规上产值（{fmt.period_label(f.year, f.month)}，亿元）",
             unit="亿元", label="label")
st.caption("同比 = 本期 ÷ 上年同期 − 1；拉动（个百分点）= 该产业链增量 ÷ 上年同期全区合计 × 100，各产业链拉动之和等于合计同比。"
           "红黄绿灯：完成率不低于时序进度为绿，落后不超过 "
           f"{rules.status.yellow_points:g} 个百分点为黄，落后更多为红。")

# drafted only when asked: an expander would run its body on every rerun, even closed
if st.toggle("显示汇报稿（自动生成，可复制）", key="show_draft"):
    text = brief.draft(ui.q, f, rules)
    title = f"{ui.zone().name}{fmt.period_label(f.year, f.month)}主要工作情况"
    st.code("\n\n".join([title] + [f"{area}：{para}" for area, para in text.items()]), language=None,
            wrap_lines=True)
    st.caption("按当前筛选条件由本页同一组查询结果自动生成，数字与卡片一致；右上角按钮可复制。")
