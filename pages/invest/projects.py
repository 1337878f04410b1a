"""投资与项目: investment growth and its sources, the project pipeline, lagging projects, 专项债, project detail.

Figures over every project (rates, funnel, lagging, top movers) come from SQL aggregates; lists show at most
LIST_LIMIT rows (the downloads run the full query on click); the project picker offers at most PICK_LIMIT.
"""

import streamlit as st

from cockpit.app import filters, links, ui
from cockpit.domain import duty, indicators, memo, metrics
from cockpit.domain import format as fmt
from cockpit.domain import projects as pr
from cockpit.domain.attribution import attribute
from cockpit.domain.indicators import BY_ID
from cockpit.report import charts

f = filters.current()
p = f.params()
rules = ui.rules()
period = fmt.period_label(f.year, f.month)
as_of = pr.as_of_date(f.year, f.month)

ui.header("投资与项目")
ui.scope_caption(filters.current_description())
ui.indicator_cards("invest", 1)

DATE = st.column_config.DateColumn
WAN = {"format": "%.0f"}
LIST_LIMIT = 200  # rows of the lagging and 专项债 tables (the Excel / CSV downloads hold all)
PICK_LIMIT = 200  # projects offered by the picker at a time


def note(total: int, shown: int, unit: str = "个") -> None:
    text = pr.list_note(total, shown, unit)
    if text:
        st.caption(text)


def growth() -> None:
    measure = st.radio(
        "指标", list(pr.INVEST_MEASURES), format_func=lambda m: BY_ID[m].name, horizontal=True, key="invest_measure"
    )
    name = BY_ID[measure].name
    trend = ui.q("invest_trend", p)
    left, right = ui.columns([3, 2])
    with left:
        ui.chart(
            charts.ytd_trend,
            trend,
            value=f"{measure}_ytd_wan",
            title=f"{name} 逐月累计：{f.year}年与{f.year - 1}年（亿元）",
        )
    with right:
        table = memo.call(pr.ytd_yoy, trend, f.year)
        ui.table(
            table[["month", f"{measure}_ytd_wan", f"{measure}_yoy_pct"]],
            name=f"{name}累计与同比",
            key="invest_ytd",
            height=320,
            column_config={
                "month": st.column_config.NumberColumn("截至月份", format="1—%d月"),
                f"{measure}_ytd_wan": st.column_config.NumberColumn(f"{name}累计（万元）", **WAN),
                f"{measure}_yoy_pct": st.column_config.NumberColumn("同比（%）", format="%+.1f"),
            },
        )
    st.caption(f"{name}口径：{BY_ID[measure].definition} 同比 = 本期累计 ÷ 上年同期累计 − 1。")

    st.subheader("增长来源")
    dim = st.radio("按", ["产业链", "行业", "项目类型"], horizontal=True, key="invest_dim")
    parts = ui.q("invest_by_part", p)
    att = attribute(parts[parts["dimension"] == dim], key="part", current="invest_wan", previous="invest_ly_wan")
    att["label"] = pr.growth_labels(att, covered=indicators.previous_covered(ui.q, f, rules, "fai"))
    left, right = ui.columns([1, 1])
    with left:
        ui.chart(
            charts.ranked_bars,
            att,
            category="part",
            value="invest_wan",
            scale=1e4,
            unit="亿元",
            title=f"固定资产投资分{dim}（{period}，亿元）",
            label="label",
        )
    with right:
        movers = ui.q("invest_top_movers", p, n=8)
        st.markdown(f"**增减最多的项目**（{period}与上年同期相比）")
        moved = ["project_name", "kind", "invest_wan", "invest_ly_wan", "delta", "pull_pp"]
        event = ui.table(
            movers[moved],
            export=lambda: ui.q("invest_top_movers", p, n=None)[moved],  # every changed project
            name="增减最多的项目",
            key="invest_movers",
            **links.CLICKABLE,
            column_config={
                "project_name": st.column_config.TextColumn("项目"),
                "kind": st.column_config.TextColumn("类型"),
                "invest_wan": st.column_config.NumberColumn("本期完成（万元）", **WAN),
                "invest_ly_wan": st.column_config.NumberColumn("上年同期（万元）", **WAN),
                "delta": st.column_config.NumberColumn("增减（万元）", format="%+.0f"),
                "pull_pp": st.column_config.NumberColumn("拉动（个百分点）", format="%+.1f"),
            },
        )
        links.follow(event, project=movers["project_id"])
    st.caption(
        "点击项目查看详情。拉动（个百分点）= 该部分投资增量 ÷ 上年同期固定资产投资合计 × 100，各部分拉动之和等于合计同比；"
        "基础设施、平台提升项目无行业，归入“非工业（基础设施/平台）”，选择产业链或行业筛选时不计入。"
    )


def pipeline() -> None:
    r = pr.rates_of(ui.q("project_rates", p))
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "开工率",
        fmt.pct(r.start_rate),
        help=f"计划{f.year}年开工的项目中，截至{period}末已开工的比例：{r.started} ÷ {r.start_planned} 个。",
    )
    c2.metric(
        "投产率",
        fmt.pct(r.produce_rate),
        help=f"计划{f.year}年投产（基础设施、平台提升项目为竣工）的项目中，截至{period}末已投产（竣工）的比例："
        f"{r.produced} ÷ {r.produce_planned} 个。",
    )
    c3.metric(
        "资金到位率",
        fmt.pct(r.funds_rate),
        help=f"{period}项目到位资金 ÷ 计划投资：{fmt.wan(r.funds_in_wan)} ÷ {fmt.wan(r.plan_wan)}。",
    )
    st.caption(
        f"开工 {r.started}/{r.start_planned} 个 · 投产（竣工） {r.produced}/{r.produce_planned} 个 · "
        f"到位资金 {fmt.yi(r.funds_in_wan)} / 计划投资 {fmt.yi(r.plan_wan)}"
    )

    kind = st.radio("项目类型", list(pr.KIND_STAGES), horizontal=True, key="funnel_kind")
    funnels = ui.q("project_funnel", p)
    fun = funnels.loc[
        funnels["kind"] == kind, ["stage", "reached_count", "reached_invest_wan", "current_count"]
    ].reset_index(drop=True)
    fun["label"] = pr.funnel_labels(fun)
    left, right = ui.columns([3, 2])
    with left:
        ui.chart(
            charts.funnel_bars,
            fun,
            stage="stage",
            value="reached_count",
            unit="个",
            title=f"{kind}项目推进漏斗（截至{period}末，个 · 计划总投资亿元）",
            label="label",
        )
    with right:
        ui.table(
            fun[["stage", "reached_count", "current_count", "reached_invest_wan"]],
            name=f"{kind}项目推进漏斗",
            key="invest_funnel",
            column_config={
                "stage": st.column_config.TextColumn("阶段"),
                "reached_count": st.column_config.NumberColumn("已达到（个）"),
                "current_count": st.column_config.NumberColumn("处于该阶段（个）"),
                "reached_invest_wan": st.column_config.NumberColumn("计划总投资（万元）", **WAN),
            },
        )
    st.caption(
        f"漏斗范围：截至{period}末已谋划、且未在{f.year}年以前投产（竣工）的项目。"
        "“已达到”= 该阶段日期不晚于期末；在谈 = 已洽谈未签约。基础设施、平台提升项目只有谋划、开工、竣工。"
    )


def lagging_projects() -> None:
    rule = pr.load_lag_rule()
    LAG_COLS = [
        "light",
        "project_name",
        "ent_name",
        "milestone",
        "plan_date",
        "months_late",
        "duty_unit",
        "duty_person",
        "liaison_leader",
    ]

    def lagging(limit):
        rows = pr.lagging_list(ui.q, p, rule, limit)
        rows["light"] = pr.lag_texts(rows)
        return rows.fillna({c: "—" for c in ("ent_name", "duty_unit", "duty_person", "liaison_leader")})

    late = lagging(LIST_LIMIT)
    n_late = pr.total_rows(late)
    st.markdown(
        f"截至{period}末，计划开工或投产（竣工）月份已过而未达到的项目：**{n_late:,}** 项"
        f"（逾期 {rule.yellow_months} 个月起黄灯，{rule.red_months} 个月起红灯）。"
    )
    note(n_late, len(late), "项")
    event = ui.table(
        late[LAG_COLS],
        name="滞后项目",
        key="invest_lagging",
        export=lambda: lagging(None)[LAG_COLS],
        lights={"light": pr.LAG_LIGHTS},
        **links.CLICKABLE,
        column_config={
            "light": st.column_config.TextColumn("预警"),
            "project_name": st.column_config.TextColumn("项目"),
            "ent_name": st.column_config.TextColumn("项目业主"),
            "milestone": st.column_config.TextColumn("未达节点"),
            "plan_date": DATE("计划日期", format="YYYY-MM-DD"),
            "months_late": st.column_config.NumberColumn("逾期（月）"),
            "duty_unit": st.column_config.TextColumn("责任单位"),
            "duty_person": st.column_config.TextColumn("责任人"),
            "liaison_leader": st.column_config.TextColumn("包联领导"),
        },
    )
    links.follow(event, enterprise=late["ent_id"], project=late["project_id"])
    st.caption("点击项目查看项目详情，点击项目业主打开企业画像。")


def bonds() -> None:
    ui.indicator_cards("invest", 2, per_row=3)
    st.markdown(f"**{f.year}年项目储备与专项债计划：实际与目标**")
    if ui.indicator_cards("invest", 3, per_row=3):
        st.caption(
            "平台提升项目数按已开工计；储备项目 = 列入当年计划的储备项目（不含专项债）；"
            "专项债储备项目的拟争取资金 = 其申报金额之和。专项债与计划项目随其项目的片区、行业筛选，"
            "基础设施、平台提升项目无行业，选择产业链或行业时不计入。"
        )
    else:
        st.caption(f"{f.year}年没有项目储备与专项债计划目标。")
    BOND_COLS = [
        "project_name",
        "bond_year",
        "date_declared",
        "declared_wan",
        "date_approved",
        "approved_wan",
        "received_wan",
        "spent_wan",
        "spend_pct",
        "status",
    ]

    def bond_rows(limit):
        return pr.bond_table(ui.q("bond_progress", p, limit=limit), f.month, rules.status)

    table = bond_rows(LIST_LIMIT)
    st.markdown(
        f"**专项债项目：申报 → 获批 → 到位 → 支出**（截至{period}末，时序进度 "
        f"{fmt.pct(metrics.schedule_progress(f.month))}）"
    )
    note(pr.total_rows(table), len(table), "笔")
    ui.table(
        table[BOND_COLS],
        name="专项债项目",
        key="invest_bonds",
        export=lambda: bond_rows(None)[BOND_COLS],
        column_config={
            "project_name": st.column_config.TextColumn("项目"),
            "bond_year": st.column_config.NumberColumn("批次年度", format="%d"),
            "date_declared": DATE("申报日期", format="YYYY-MM-DD"),
            "declared_wan": st.column_config.NumberColumn("申报（万元）", **WAN),
            "date_approved": DATE("获批日期", format="YYYY-MM-DD"),
            "approved_wan": st.column_config.NumberColumn("获批（万元）", **WAN),
            "received_wan": st.column_config.NumberColumn("累计到位（万元）", **WAN),
            "spent_wan": st.column_config.NumberColumn("累计支出（万元）", **WAN),
            "spend_pct": st.column_config.ProgressColumn("支出进度（%）", format="%.1f%%", min_value=0, max_value=100),
            "status": st.column_config.TextColumn("状态"),
        },
    )
    st.caption(
        "支出进度 = 累计支出 ÷ 累计到位；与时序进度（m/12）比较：不低于为正常，落后不超过 "
        f"{rules.status.yellow_points:g} 个百分点为预警，更多为滞后。"
    )


def detail() -> None:
    search = st.text_input(
        "搜索全部项目（名称或编号中的文字）", key="project_search", max_chars=50, placeholder="输入项目名称或编号"
    ).strip()
    plist = ui.q("project_find", search=search, limit=PICK_LIMIT)
    n_found = pr.total_rows(plist)
    names = dict(zip(plist["project_id"], plist["project_name"]))
    pid = st.selectbox(
        "查找项目（可输入名称关键字）",
        list(names),
        format_func=names.get,
        key="project_pick",
        index=None,
        placeholder="输入项目名称",
    )
    if search and not n_found:
        st.warning(pr.pick_note(search, n_found, len(plist)))
    elif pid is None or n_found > len(plist):
        st.caption(pr.pick_note(search, n_found, len(plist)))
    if pid is not None:
        proj = plist[plist["project_id"] == pid].iloc[0].to_dict()
        c1, c2, c3 = st.columns(3)
        c1.metric("当前阶段", pr.stage_as_of(proj, as_of) or "未谋划", help=f"截至{period}末达到的最远阶段。")
        c2.metric("计划总投资", fmt.yi(proj["total_invest_wan"]), help="项目计划总投资（万元 ÷ 10000）。")
        c3.metric("项目类型", proj["kind"])
        st.text(f"{proj['project_name']} · {proj['area_name']} · {proj['note'] or ''}")
        st.text(duty.text(proj) or "责任单位、责任人尚未登记")
        if isinstance(proj.get("ent_id"), str) and proj["ent_id"]:
            links.profile_link(proj["ent_id"], label="项目业主的企业画像")
        ui.table(
            pr.stage_dates(proj, as_of),
            name="项目节点",
            key="invest_stages",
            column_config={
                "stage": st.column_config.TextColumn("阶段"),
                "date": st.column_config.TextColumn("达到日期"),
                "plan_date": st.column_config.TextColumn("计划日期"),
            },
        )
        monthly = ui.q("project_monthly", p, project_id=pid)
        if monthly.empty:
            st.caption(f"截至{period}末该项目尚无完成投资。")
        else:
            monthly["period"] = pr.period_labels(monthly)
            ui.chart(
                charts.actual_vs_plan,
                monthly,
                x="period",
                actual="invest_wan",
                plan="plan_wan",
                unit="万元",
                title="当月完成投资与计划投资（万元）",
            )
            st.caption(
                f"截至{period}末累计完成 {fmt.wan(monthly['invest_cum_wan'].iloc[-1])}，"
                f"累计计划 {fmt.wan(monthly['plan_cum_wan'].iloc[-1])}。"
            )


links.requested_project(tab=("invest_tab", "项目查询"))  # a link to a project (?project=) opens 项目查询 on it
ui.tabs(
    {"投资增长": growth, "项目推进": pipeline, "滞后项目": lagging_projects, "专项债": bonds, "项目查询": detail},
    key="invest_tab",
    keep=("invest_measure", "invest_dim", "funnel_kind", "project_search", "project_pick"),
)
