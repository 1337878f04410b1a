"""工业经济: 规上产值 / 增加值 累计 and 当月, the monthly trend, 拉动 by sector, 高新 share, enterprises."""

import pandas as pd
import streamlit as st

from cockpit.app import filters, links, present, ui
from cockpit.domain import format as fmt
from cockpit.domain import indicators, industry
from cockpit.domain.attribution import bar_label
from cockpit.report import charts

f = filters.current()
p = f.params()
rules = ui.rules()
period = fmt.period_label(f.year, f.month)

ui.header("工业经济")
ui.scope_caption(filters.current_description())

same = rules.same_enterprises
covered = indicators.previous_covered(ui.q, f, rules, "output")
with present.section("主要指标"):
    ui.indicator_cards("industry")
    st.caption(
        "统计口径：1—2月数据合并发布，当月值自 3 月起逐月列示（截至 2 月时“当月”即 1—2月）；"
        + (
            "产值、增加值同比按同口径（本期与上年同期均有申报的企业）计算，卡片下方注明全口径同比；"
            if same
            else "产值、增加值同比按全口径计算；"
        )
        + "增加值按企业报表数（现价）计算，导入工业生产者出厂价格指数后同比按可比价计算。"
    )

with present.section("月度走势"):
    st.subheader("月度走势")
    c1, c2 = st.columns([1, 1])
    measure = c1.segmented_control("指标", list(industry.MEASURES), default="产值", key="ind_measure")
    measure = measure or "产值"
    mode = c2.segmented_control("口径", ["当月", "累计"], default="当月", key="ind_mode") or "当月"
    name = industry.MEASURES[measure][2]
    trend, col = industry.monthly(ui.q("industry_monthly", p), measure, mode == "累计")
    word = "逐月累计" if mode == "累计" else "当月"
    ui.chart(
        charts.year_lines, trend, value=col, measure=word, title=f"{name}（{word}）：{f.year}年与{f.year - 1}年（亿元）"
    )
    st.caption(f"{f.year - 1}年为全年 12 个月，{f.year}年至 {f.month} 月；1—2月合并为一个点；悬停可见同比。")

with present.section("增长来源"):
    st.subheader("分行业增长来源")
    grouping = st.segmented_control("分组", list(industry.GROUPINGS), default="产业链", key="ind_grouping") or "产业链"
    parts = ui.q("industry_by_sector", p, by=industry.GROUPINGS[grouping])
    table = industry.sector_attribution(parts, measure, same_enterprises=same)
    total = industry.total_growth(parts, measure, same_enterprises=same) if covered else None
    if not covered:
        table[["pull_pp", "yoy_pct", "contribution_pct"]] = float("nan")
    table["label"] = [
        f"{fmt.pp(d, 2)}（同比 {fmt.pct(y, signed=True)}）"
        if pd.notna(y)
        else bar_label(y, d, covered=covered, same_enterprises=same)
        for d, y in zip(table["pull_pp"], table["yoy_pct"])
    ]
    left, right = ui.columns([1, 1])
    with left:
        ui.chart(
            charts.pull_bars,
            table,
            category="part",
            value="pull_pp",
            label="label",
            title=f"各{grouping}对{name}增长的拉动（{period}，个百分点）",
        )
    with right:
        ui.table(
            table[["part", "current_wan", "yoy_pct", "pull_pp", "contribution_pct"]],
            name=f"分{grouping}增长来源",
            key="ind_parts",
            column_config={
                "part": st.column_config.TextColumn(grouping),
                "current_wan": st.column_config.NumberColumn(f"{period}（万元）", format="%.0f"),
                "yoy_pct": st.column_config.NumberColumn("同比（%）", format="%+.1f", width="small"),
                "pull_pp": st.column_config.NumberColumn("拉动（个百分点）", format="%+.2f", width="small"),
                "contribution_pct": st.column_config.NumberColumn("贡献率（%）", format="%.1f", width="small"),
            },
        )
    basis = "同口径（两期均有申报的企业）" if same else "全口径"
    st.caption(
        (
            f"{name}合计同比（{basis}）{fmt.pct(total, signed=True)}，等于各{grouping}拉动之和 "
            f"{fmt.pp(table['pull_pp'].sum(min_count=1))}。"
            if covered
            else f"{f.year - 1}年同期无数据，不计算同比与拉动。"
        )
        + f"拉动（个百分点）= 该{grouping}增量 ÷ 上年同期合计 × 100；"
        f"贡献率 = 该{grouping}增量 ÷ 合计增量 × 100%，合计为 100%。"
    )

with present.section("高新技术产业"):
    st.subheader("高新技术产业")
    hitech = industry.high_tech_share(ui.q("industry_high_tech_by_year", p))
    ui.chart(
        charts.bars_with_share,
        hitech,
        x="year",
        bar="high_tech_va_wan",
        share="share_pct",
        title=f"高新技术产业增加值及占比（各年1—{max(f.month, 2)}月）",  # fits a phone's width
        bar_title="高新技术产业增加值（亿元）",
        share_title="占规上增加值比重（%）",
    )
    st.caption(
        "高新技术产业增加值：高新技术企业（产品）实现的规上工业增加值；"
        "占比 = 高新技术产业增加值 ÷ 规上工业增加值 × 100%；各年取相同月份，便于比较。"
    )

with present.section("企业"):
    st.subheader("企业")
    turn = industry.turnover_counts(ui.q("industry_turnover", p))
    k1, k2, _ = st.columns(3)
    k1.metric(
        "新进规上企业",
        fmt.count(turn["entered"], "家"),
        help=f"本期有产值、上年同期无产值申报的企业（本期 {turn['now']} 家，上年同期 {turn['before']} 家）。",
    )
    k2.metric("退出规上企业", fmt.count(turn["left"], "家"), help="上年同期有产值、本期无产值申报的企业。")
    s1, s2, s3 = st.columns([2, 2, 1])
    ranking = (
        s1.segmented_control("排行", list(industry.RANKINGS), default="下拉最多（减量最大）", key="ind_ranking")
        or "规模最大"
    )
    search = s2.text_input("搜索企业名称", key="ind_search", placeholder="输入企业名称中的字")
    top_n = s3.number_input("显示家数", min_value=5, max_value=100, value=10, step=5, key="ind_top")
    RANK_COLUMNS = ["ent_name", "chain", "area_name", "current_wan", "previous_wan", "delta_wan", "yoy_pct", "pull_pp"]

    def ranked(n):
        return ui.q(
            "industry_enterprise_rank",
            p,
            measure=industry.MEASURE_IDS[measure],
            kind=industry.RANKINGS[ranking],
            n=n,
            search=search.strip(),
        )

    rows = ranked(int(top_n))
    event = ui.table(
        rows[RANK_COLUMNS],
        export=lambda: ranked(None)[RANK_COLUMNS],  # the download: the whole ranking
        name="企业排行",
        key="ind_enterprises",
        **links.CLICKABLE,
        column_config={
            "ent_name": st.column_config.TextColumn("企业名称"),
            "chain": st.column_config.TextColumn("产业链"),
            "area_name": st.column_config.TextColumn("片区"),
            "current_wan": st.column_config.NumberColumn(f"{name}（万元）", format="%.0f"),
            "previous_wan": st.column_config.NumberColumn("上年同期（万元）", format="%.0f"),
            "delta_wan": st.column_config.NumberColumn("增量（万元）", format="%+.0f"),
            "yoy_pct": st.column_config.NumberColumn("同比（%）", format="%+.1f"),
            "pull_pp": st.column_config.NumberColumn("拉动（个百分点）", format="%+.2f"),
        },
    )
    links.follow(event, enterprise=rows["ent_id"])
    st.caption(
        "点击企业打开企业画像。"
        f"{period}与上年同期比较；拉动 = 企业增量 ÷ 筛选范围内上年同期{name}合计 × 100。"
        "“下拉最多”列出减量最大的企业，即拖累增长的企业。"
    )
