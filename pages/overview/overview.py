"""总览: the headline indicators of the work summary, their trend and where they come from."""

import streamlit as st

from cockpit.app import alerts_ui, clipboard, filters, present, ui
from cockpit.domain import format as fmt
from cockpit.domain import overview
from cockpit.report import brief, charts, narrative

f = filters.current()
rules = ui.rules()

ui.header("总览", full=True)
ui.scope_caption(filters.current_description())
with present.section("分产业链"):  # 演示模式: the first screen holds the cards and the main chart
    alerts_ui.strip()

view = overview.model(ui.q, f, rules)
with present.section("主要指标"):
    ui.card_grid(view.cards)
left, right = ui.columns([3, 2])
with left, present.section("主要指标"):
    ui.chart(
        charts.ytd_trend,
        view.trend,
        value="output_ytd_wan",
        title=f"规上工业产值 逐月累计：{f.year}年与{f.year - 1}年（亿元）",
    )
with right, present.section("分产业链"):
    ui.chart(
        charts.ranked_bars,
        view.chains,
        category="chain",
        value="output_wan",
        scale=1e4,
        title=f"分产业链规上产值（{fmt.period_label(f.year, f.month)}，亿元）",
        unit="亿元",
        label="label",
    )
with present.section("分产业链"):
    st.caption(overview.growth_caption(view, rules.status.yellow_points))

    # drafted only when asked: an expander would run its body on every rerun, even closed
    if st.toggle("显示汇报稿（自动生成，可复制）", key="show_draft"):
        text = brief.draft(ui.q, f, rules, view)
        title = f"{ui.zone().name}{fmt.period_label(f.year, f.month)}主要工作情况"
        with st.container(border=True):
            clipboard.copy_button(
                narrative.as_text(title, text),
                label="复制汇报稿",
                key="copy_draft",
                help="复制标题和各段文字（纯文本），可直接粘贴到 Word 或微信",
            )
            st.markdown(f"##### {ui.plain(title)}")
            for area, para in text.items():
                st.markdown(f"**{ui.plain(area)}**　{ui.plain(para)}")
        st.caption("按当前筛选条件由本页同一组查询结果自动生成，数字与卡片一致。")
