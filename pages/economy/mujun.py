"""亩均效益: the 亩均论英雄 evaluation of 规上 enterprises (rules in config/mujun.toml)."""

import streamlit as st

from cockpit.app import filters, links, map_view, mujun_cache, present, ui
from cockpit.domain import format as fmt
from cockpit.domain import metrics, mujun
from cockpit.report import charts

f = filters.current()
p = f.params()
cfg = mujun.load_config()

ui.header("亩均效益综合评价")
ui.scope_caption(filters.current_description())

periods = ui.q("data_periods")
last_month = dict(zip(periods["year"].astype(int), periods["last_month"].astype(int)))
default_year, year_note = mujun.evaluation_year(f.year, last_month)
years = mujun.complete_years(last_month)
if default_year is None:
    st.info("还没有完整年度的数据，无法进行亩均效益评价。")
    st.stop()
year = st.selectbox(
    "评价年度",
    years,
    index=years.index(default_year),
    format_func=lambda y: f"{y}年",
    key=f"mj_year_{default_year}",
    help="默认取筛选栏所选年度；所选年度尚未结束时取上一个完整年度。",
)
# evaluated once per data version and rules (zone-wide); the filters only choose what is shown
evaluated = mujun_cache.evaluated(cfg)
prepared = evaluated.year(year)
ev = prepared.ev
view = mujun_cache.scoped(cfg, year, p)
ents, units = view.enterprises, view.units  # shared between sessions: read only
with present.section("评价结果"):
    st.caption(f"{year_note}；当前显示 {year} 年评价结果。{ev.benchmark_note}。")
    st.caption(
        f"评价规则（config/mujun.toml，可由管理员修改）：{cfg.describe()}"
        "参评范围：评价年度有产值申报的规上工业企业（当年新进规企业按实际申报月份计）。"
        "筛选栏只改变显示范围，分类始终按全区排名。"
    )

    zone = view.zone
    counts = view.counts.set_index("cls_label")["count"]
    m = ui.cells(4, name="亩均概况")
    m[0].metric("参评企业", fmt.count(len(ents), "家"), help="评价年度有产值申报的规上工业企业（筛选范围内）。")
    m[1].metric("评价单元（地块）", fmt.count(len(units), "个"), help="同一地块上的企业合并为一个评价单元。")
    m[2].metric(
        "亩均增加值",
        fmt.by_unit(zone["va_per_mu"], "万元/亩"),
        help="Σ 工业增加值 ÷ Σ 用地面积（参评企业，评价年度全年）；全区口径与总览一致。",
    )
    m[3].metric(
        "亩均税收",
        fmt.by_unit(zone["tax_per_mu"], "万元/亩"),
        help="Σ 实缴税金 ÷ Σ 用地面积（参评企业，评价年度全年）。",
    )
    for col, c in zip(ui.cells(len(mujun.CLASSES), name="亩均分类"), mujun.CLASSES):
        n = int(counts.get(cfg.label(c), 0))
        col.metric(
            cfg.label(c),
            fmt.count(n, "家"),
            help=f"{year}年{cfg.label(c)}企业家数（筛选范围内），占参评企业 {fmt.pct(metrics.share(n, len(ents)))}。",
        )

with present.section("分布"):
    order = prepared.class_order
    left, right = st.columns(2)
    with left:
        ui.chart(
            charts.class_shares,
            view.by_chain,
            category="chain",
            cls="cls_label",
            count="count",
            share="share_pct",
            order=order,
            title=f"{year}年各产业链企业分类占比（%）",
        )
    with right:
        ui.chart(
            charts.class_shares,
            view.by_area,
            category="area_name",
            cls="cls_label",
            count="count",
            share="share_pct",
            order=order,
            title=f"{year}年各片区企业分类占比（%）",
        )
    # binned by the chart builder: ≤ (bins × classes) rows reach the browser, however many units there are
    ui.chart(
        charts.score_histogram,
        units[["score", "cls_label"]],
        score="score",
        cls="cls_label",
        order=order,
        title=f"{year}年综合得分分布（评价单元，个）",
        step=10.0,
    )

ranked = ents  # in ranking order (rank, then ent_id; not rated last)
columns = {
    "rank": st.column_config.NumberColumn("全区排名", format="%d"),
    "ent_name": st.column_config.TextColumn("企业名称"),
    "chain": st.column_config.TextColumn("产业链"),
    "area_name": st.column_config.TextColumn("片区"),
    "parcel_id": st.column_config.TextColumn("地块"),
    "n_enterprises": st.column_config.NumberColumn("同地块参评企业（家）", format="%d"),
    "land_mu": st.column_config.NumberColumn("企业用地（亩）", format="%.2f"),
    "score": st.column_config.NumberColumn("综合得分（分）", format="%.1f"),
    "cls_label": st.column_config.TextColumn("分类"),
    **{i.key: st.column_config.NumberColumn(f"{i.name}（{i.unit}）", format="%.2f") for i in mujun.INDICATORS},
    "missing": st.column_config.TextColumn("缺项指标"),
    "action_id": st.column_config.TextColumn("低效用地整治编号"),
    "action_year": st.column_config.NumberColumn("整治计划年度", format="%d"),
    "method": st.column_config.TextColumn("整治方式"),
    "status": st.column_config.TextColumn("整治进度"),
}


def long_table(df, shown_columns, **kwargs):
    """The first mujun_cache.SHOW_ROWS rows with a note under them; the download holds every row (built on click)."""
    event = ui.table(
        df.head(mujun_cache.SHOW_ROWS)[shown_columns],
        export=df,
        column_order=shown_columns,
        column_config=columns,
        **kwargs,
        **links.CLICKABLE,
    )
    links.follow(event, enterprise=df["ent_id"].head(mujun_cache.SHOW_ROWS))
    note = fmt.shown_note(len(df), mujun_cache.SHOW_ROWS, "家")
    if note:
        st.caption(note)


def parcel_map() -> None:
    st.subheader("亩均一张图")
    map_view.show(key="mj_map", mode="亩均分类", year=year)


def ranking() -> None:
    st.subheader("排名")
    long_table(
        ranked,
        [
            "rank",
            "ent_name",
            "chain",
            "area_name",
            "parcel_id",
            "n_enterprises",
            "score",
            "cls_label",
            *mujun.BY_KEY,
            "missing",
        ],
        name=f"{year}年亩均效益排名",
        key="mj_ranking",
        height=420,
    )
    st.caption("同一地块上的企业合并为一个评价单元，排名、得分和各项指标均为该地块合计后的数值。点击企业打开企业画像。")


def profile() -> None:
    st.subheader("企业画像")
    if ranked.empty:
        st.info("筛选范围内没有参评企业。")
        return
    search = ""
    if len(ranked) > mujun_cache.PICK_LIMIT:
        search = st.text_input(
            "按企业名称搜索",
            key="mj_search",
            placeholder="输入企业名称中的字",
            help=f"筛选范围内共 {len(ranked):,} 家参评企业；下拉框列出排名靠前的企业和排名"
            f"最后的 D 类企业（共 {mujun_cache.PICK_LIMIT} 家），其他企业请在此搜索。",
        )
    options = mujun.picker_options(ranked, search, mujun_cache.PICK_LIMIT)
    if options.empty:
        st.info(f"筛选范围内没有名称含“{ui.plain(search.strip())}”的参评企业。")
        options = mujun.picker_options(ranked, "", mujun_cache.PICK_LIMIT)
    names = dict(zip(options["ent_id"], options["ent_name"]))
    ent_id = st.selectbox(
        "选择企业", list(names), format_func=names.get, key="mj_ent", help="按综合得分排序；可输入企业名称中的字搜索。"
    )
    ent = ev.enterprise(ent_id)
    links.profile_link(ent_id)
    st.text(
        f"{ent['ent_name']} · {ent['chain']} · {ent['area_name']} · 地块 {ent['parcel_id']}"
        f"（同地块参评企业 {int(ent['n_enterprises'])} 家）"
    )
    c1, c2 = st.columns([3, 2])
    with c1:
        ui.table(
            mujun.indicator_table(ev, ent["unit_id"]),
            name="企业指标得分",
            key="mj_indicators",
            column_config={
                "实际值": st.column_config.NumberColumn("实际值", format="%.2f"),
                "基准值": st.column_config.NumberColumn("基准值", format="%.2f"),
                "实际值/基准值（%）": st.column_config.NumberColumn(format="%.1f"),
                "权重（分）": st.column_config.NumberColumn(format="%.0f"),
                "得分（分）": st.column_config.NumberColumn(format="%.1f"),
            },
        )
        st.caption(
            f"{year}年综合得分 {fmt.num(ent['score'], 1)} 分，全区第 {fmt.num(ent['rank'], 0)} 名，"
            f"{ent['cls_label']}。{ev.benchmark_note}。"
        )
    with c2:
        history = mujun.history_of(evaluated.history, ent_id)
        ui.table(
            history[["year", "score", "rank", "units", "cls_label"]],
            name="企业历年分类",
            key="mj_history",
            column_config={
                "year": st.column_config.NumberColumn("年度", format="%d"),
                "score": st.column_config.NumberColumn("综合得分（分）", format="%.1f"),
                "rank": st.column_config.NumberColumn("全区排名", format="%d"),
                "units": st.column_config.NumberColumn("参评单元（个）", format="%d"),
                "cls_label": st.column_config.TextColumn("分类"),
            },
        )
        st.caption("历年分类按现行评价规则重新计算。")

    with st.expander("假如……（模拟调整该企业的税收、增加值或用地）", expanded=True):
        w1, w2, w3 = st.columns(3)
        key = f"{year}_{ent_id}"
        tax = w1.number_input(
            "实缴税金（万元）", min_value=0.0, value=float(ent["tax_wan"]), step=10.0, key=f"mj_tax_{key}"
        )
        va = w2.number_input("工业增加值（万元）", value=float(ent["value_added_wan"]), step=10.0, key=f"mj_va_{key}")
        land = w3.number_input(
            "用地面积（亩）",
            min_value=0.0,
            value=float(ent["land_mu"]),
            step=1.0,
            key=f"mj_land_{key}",
            help="例如退还 20 亩：在现有面积上减去 20。",
        )
        result = mujun_cache.what_if(cfg, year, ent_id, tax_wan=tax, value_added_wan=va, land_mu=land)
        r1, r2, r3 = ui.cells(3, name="亩均模拟", per_row=3)
        r1.metric(
            "模拟后综合得分",
            fmt.by_unit(result.score, "分"),
            delta=None if result.change is None else f"{result.change:+.1f} 分",
            help="基准值和其他企业得分不变。",
        )
        r2.metric("模拟后分类", cfg.label(result.cls), help=f"现为 {ent['cls_label']}")
        r3.metric(
            "模拟后全区排名",
            "—" if result.rank is None else f"第 {result.rank} 名",
            help=f"共 {result.units} 个参评单元",
        )
        st.caption(
            f"模拟后亩均税收 {fmt.by_unit(result.values['tax_per_mu'], '万元/亩')}，"
            f"亩均增加值 {fmt.by_unit(result.values['va_per_mu'], '万元/亩')}。"
            "同地块其他企业的数据不变，地块合计按差额调整。"
        )


def d_list() -> None:
    st.subheader(f"{cfg.label('D')}名单")
    long_table(
        view.d_list,
        [
            "ent_name",
            "chain",
            "area_name",
            "parcel_id",
            "land_mu",
            "score",
            "rank",
            "tax_per_mu",
            "va_per_mu",
            "action_id",
            "action_year",
            "method",
            "status",
        ],
        name=f"{year}年{cfg.label('D')}名单",
        key="mj_d_list",
    )
    st.caption(
        "整治编号、方式和进度来自低效用地整治台账（该地块最近一次整治）；空白表示地块尚未列入整治，详见“低效用地”页面。"
    )


# the map and the lists in tabs: a filter change redraws only the open one (each tab is its 演示模式 step)
ui.tabs(
    {"亩均一张图": parcel_map, "排名": ranking, "企业画像": profile, "D类名单": d_list},
    key="mujun_tab",
    keep=("mj_map_mode", "mj_search", "mj_ent"),
    steps=True,
)
