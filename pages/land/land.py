"""低效用地: 亩 reclaimed against the year's target, by method and status, parcels, candidates, vacant plots."""

import streamlit as st

from cockpit.app import filters, links, map_view, mujun_cache, ui
from cockpit.domain import format as fmt
from cockpit.domain import land, memo, mujun
from cockpit.report import charts

f = filters.current()
p = f.params()
rules = ui.rules()
period = fmt.period_label(f.year, f.month)
floor = land.load_floor()

ui.header("低效工业用地整治")
areas = ui.q("areas")
ui.scope_caption(land.scope_text(period, f.areas, dict(zip(areas["area_code"], areas["area_name"]))))

actions = ui.q("land_actions_status", p)
this_year = actions[actions["plan_year"] == f.year]
totals = land.status_totals(this_year)

left, right = ui.columns([1, 2])
with left:
    ui.indicator_cards("land", per_row=1)
    with st.container(border=True):
        st.metric(
            f"{f.year}年计划整治地块",
            fmt.count(len(this_year), "宗"),
            help=f"列入{f.year}年计划（plan_year = {f.year}）且截至{period}末已摸排的整治行动。",
        )
        st.caption(" · ".join(f"{s} {n} 宗 {fmt.mu(a)}" for s, (n, a) in totals.items()))
with right:
    trend = ui.q("land_trend", p)
    ui.chart(
        charts.ytd_trend,
        trend,
        value="accepted_ytd_mu",
        scale=1.0,
        unit="亩",
        title=f"整治验收面积 逐月累计：{f.year}年与{f.year - 1}年（亩）",
    )
st.caption("整治面积按验收日期计入当年；状态按各环节日期判定（摸排 → 方案 → 实施 → 验收）。")

summary = memo.call(land.method_status_summary, this_year)
methods = land.present_order(summary["method"], land.METHODS)
if summary.empty:
    st.info(f"{f.year}年没有列入计划的整治行动。")
else:
    ui.chart(
        charts.stacked_parts,
        summary,
        category="method",
        part="status",
        value="area_mu",
        unit="亩",
        category_order=methods,
        part_order=list(land.STATUSES),
        title=f"{f.year}年计划整治行动：按方式与状态（亩，截至{period}末）",
    )


def parcels() -> None:
    show = land.with_uplift(actions)
    event = ui.table(
        show[
            [
                "action_id",
                "area_name",
                "parcel_id",
                "area_mu",
                "method",
                "status",
                "ent_before",
                "mujun_tax_before_wan",
                "new_use",
                "mujun_tax_after_wan",
                "uplift",
                "date_accepted",
            ]
        ],
        name="整治地块",
        key="land_parcels",
        **links.CLICKABLE,
        column_config={
            "action_id": st.column_config.TextColumn("编号"),
            "area_name": st.column_config.TextColumn("片区"),
            "parcel_id": st.column_config.TextColumn("地块"),
            "area_mu": st.column_config.NumberColumn("面积（亩）", format="%.2f"),
            "method": st.column_config.TextColumn("整治方式"),
            "status": st.column_config.TextColumn("状态"),
            "ent_before": st.column_config.TextColumn("原企业"),
            "mujun_tax_before_wan": st.column_config.NumberColumn("整治前亩均税收（万元/亩）", format="%.2f"),
            "new_use": st.column_config.TextColumn("新用途 / 新企业"),
            "mujun_tax_after_wan": st.column_config.NumberColumn("整治后亩均税收（万元/亩）", format="%.2f"),
            "uplift": st.column_config.NumberColumn("提升（倍）", format="%.1f"),
            "date_accepted": st.column_config.DateColumn("验收日期", format="YYYY-MM-DD"),
        },
    )
    links.follow(event, enterprise=show["ent_id"])
    st.caption(
        f"截至{period}末已摸排的全部整治行动（历年）。整治后亩均税收在新用地单位满一个完整年度后才有数据。"
        "点击一行打开地块上现有企业（面积最大者）的企业画像。"
    )


def candidates() -> None:
    cfg = mujun.load_config()
    eval_year, eval_note = map_view.evaluation_year()  # the year the map colours by too
    # the D 类 list of the zone-wide 亩均 evaluation, computed once per data version and rules
    d_class = mujun_cache.evaluated(cfg).d_list(eval_year)
    below = ui.q("land_candidates", p, eval_year=eval_year, floor_wan_per_mu=floor)
    pool = memo.call(land.candidate_pool, d_class, below, f.areas)
    st.markdown(
        f"**{f.year + 1}年整治候选池**：{eval_year}年亩均效益评价 D 类（{cfg.names['D']}）企业，"
        f"以及亩均税收低于 **{floor:g} 万元/亩** 的企业，共 {len(pool):,} 家、"
        f"用地 {fmt.mu(pool['land_mu'].sum())}（已在整治的地块除外）。"
    )
    shown = [
        "ent_name",
        "reason",
        "sector_name",
        "area_name",
        "parcel_id",
        "land_mu",
        "mujun_tax_wan_per_mu",
        "mujun_score",
    ]
    event = ui.table(
        pool.head(mujun_cache.SHOW_ROWS)[shown],
        export=pool,
        column_order=shown,
        **links.CLICKABLE,
        name=f"{f.year + 1}年整治候选企业",
        key="land_candidates",
        column_config={
            "ent_name": st.column_config.TextColumn("企业"),
            "reason": st.column_config.TextColumn("入池原因"),
            "sector_name": st.column_config.TextColumn("行业"),
            "area_name": st.column_config.TextColumn("片区"),
            "parcel_id": st.column_config.TextColumn("地块"),
            "land_mu": st.column_config.NumberColumn("用地（亩）", format="%.2f"),
            "mujun_tax_wan_per_mu": st.column_config.NumberColumn(f"{eval_year}年亩均税收（万元/亩）", format="%.2f"),
            "mujun_score": st.column_config.NumberColumn("亩均综合得分（分）", format="%.1f"),
        },
    )
    links.follow(event, enterprise=pool["ent_id"].head(mujun_cache.SHOW_ROWS))
    if note := fmt.shown_note(len(pool), mujun_cache.SHOW_ROWS, "家"):
        st.caption(note + "表中按亩均税收从低到高排列。")
    st.caption(
        f"{eval_note}。亩均税收 = 实缴税金 ÷ 用地面积；D 类按 config/mujun.toml 的亩均效益评价规则，"
        "亩均税收门槛在 config/rules.toml 的低效用地一节中设置。"
    )


def vacant() -> None:
    plots = ui.q("land_vacant", p)
    free = plots[plots["is_available"]]
    st.markdown(
        f"可供二次招商的闲置地块 **{len(free)}** 宗，共 **{fmt.mu(free['area_mu'].sum())}**；"
        f"另有 {len(plots) - len(free)} 宗正在收回 / 收购中。"
    )
    ui.table(
        plots[["parcel_id", "area_name", "area_mu", "is_available", "method", "status", "ent_before", "new_use"]],
        name="闲置地块",
        key="land_vacant",
        column_config={
            "parcel_id": st.column_config.TextColumn("地块"),
            "area_name": st.column_config.TextColumn("片区"),
            "area_mu": st.column_config.NumberColumn("面积（亩）", format="%.2f"),
            "is_available": st.column_config.CheckboxColumn("可供招商"),
            "method": st.column_config.TextColumn("来源方式"),
            "status": st.column_config.TextColumn("整治状态"),
            "ent_before": st.column_config.TextColumn("原企业"),
            "new_use": st.column_config.TextColumn("安排"),
        },
    )
    st.caption("闲置状态为数据截至日的现状（地块表的“用途”）。")


def plot() -> None:
    map_view.show(key="land_map", mode="整治状态")  # the evaluation year of 候选企业


ui.tabs(
    {"整治地块": parcels, "候选企业": candidates, "闲置地块": vacant, "地块地图": plot},
    key="land_tab",
    keep=("land_map_mode",),
)
