"""企业画像（一企一档）: one enterprise by its 统一社会信用代码 (`/enterprise?id=…`): identity, monthly output, tax,
power and energy with 同比 and shares, 亩均 class history, its parcel, projects, hazards, accidents and warnings."""

import streamlit as st

from cockpit.app import filters, links, map_view, mujun_cache, ui
from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import enterprise, memo, mujun, safety
from cockpit.domain import format as fmt
from cockpit.domain import projects as pr
from cockpit.domain.markup import plain
from cockpit.report import charts, profile_pdf

f = filters.current()
period = fmt.period_label(f.year, f.month)
as_of = safety.as_of_date(f.year, f.month)
PICK_LIMIT = 200  # enterprises the picker offers at once (more through the search)

links.back_link()
wanted = st.query_params.get("id", "")
if not wanted:  # opened from the navigation: the enterprise with the largest output, as the pickers elsewhere
    top = ui.q("enterprise_find", search="", limit=1)
    if len(top):
        wanted = st.query_params["id"] = top["ent_id"].iloc[0]
ident = ui.q("enterprise_profile", ent_id=wanted) if wanted else None
with st.expander("查找企业", expanded=ident is None or ident.empty):
    search = st.text_input(
        "企业名称或统一社会信用代码", key="ent_search", max_chars=50, placeholder="输入企业名称中的字，或信用代码的开头"
    ).strip()
    found = ui.q("enterprise_find", search=search, limit=PICK_LIMIT)
    names = dict(zip(found["ent_id"], found["ent_name"]))
    matches = int(found["matches"].iloc[0]) if len(found) else 0
    choice = st.selectbox(
        "企业",
        list(names),
        index=None,
        format_func=names.get,
        key="ent_pick",
        placeholder="选择企业（按最近一年产值从大到小）",
    )
    if search and not matches:
        st.warning(f"没有名称含“{plain(search)}”或信用代码以其开头的企业。")
    elif matches > len(found):
        st.caption(f"共 {matches:,} 家符合，列出最近一年产值最大的 {len(found):,} 家；请输入更多文字缩小范围。")
    if choice and choice != wanted:
        st.query_params["id"] = choice
        st.rerun()
if ident is None or ident.empty:
    st.header("企业画像")
    if wanted:
        st.warning("没有该统一社会信用代码的企业。")
    st.stop()

row = ident.iloc[0].to_dict()
ent_id = row["ent_id"]
ui.header(f"企业画像 · {plain(row['ent_name'])}")
st.caption(
    f"统一社会信用代码 {ent_id} · 月度统计 {enterprise.reported_span(row)} · 期间 {period}（随筛选栏的年份、"
    "截至月份；企业画像不受产业链、行业、片区、高新筛选影响）"
)


def pdf() -> bytes:
    """The one-page 企业画像, built when the button is clicked (this run has drawn everything it reads by then)."""
    output = memo.call(enterprise.monthly, months, f.year, f.month, "output")
    chart = (
        None
        if output.empty
        else charts.year_lines(
            output,
            value="value",
            scale=1.0,
            unit="万元",
            measure="当月",
            title=f"工业总产值（当月，万元）：{f.year}年与{f.year - 1}年",
        )
    )
    return profile_pdf.pdf_bytes(
        profile_pdf.collect(
            row,
            totals,
            register,
            accidents,
            projects,
            ui.zone().name,
            period,
            mujun=mujun_text,
            alerts=alerts,
            chart=chart,
        )
    )


st.download_button(
    "下载企业画像（PDF，一页）",
    data=pdf,
    file_name=profile_pdf.file_name(row["ent_name"], period),
    mime="application/pdf",
    key="ent_pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
)
cols = st.columns(2)
for i, (label, text) in enumerate(enterprise.identity(row)):
    cols[i % 2].text(f"{label}：{text}")  # plain text: names come from imported data

# --- output, tax, power, energy ---
st.subheader(f"经营情况（{period}）")
months = ui.q("enterprise_months", ent_id=ent_id, year=f.year, month=f.month)
totals = memo.call(enterprise.ytd, months, f.year, f.month)
cells = ui.cells(len(totals), name="经营情况", per_row=3, border=True)
for cell, t in zip(cells, totals.itertuples()):
    m = enterprise.BY_KEY[t.measure]
    has = t.current is not None and t.current == t.current
    yoy = t.yoy_pct if t.yoy_pct is not None and t.yoy_pct == t.yoy_pct else None
    with cell:
        st.metric(
            f"{m.name}（{m.unit}）",
            fmt.num(t.current, m.digits) if has else fmt.DASH,
            delta=None if yoy is None else fmt.pct(yoy, signed=True),
            delta_arrow="off" if not yoy else "up" if yoy > 0 else "down",
            delta_color="normal" if m.unit == "万元" else "off",
            help=f"{period}各月当月值之和；箭头为同比 = 本期 ÷ 上年同期 − 1（本期报送的每个月上年都有数据时才计算）。",
        )
        shares = (
            f"占全区 {fmt.pct(t.zone_share_pct)} · 占{plain(row['chain']) or '产业链'} {fmt.pct(t.chain_share_pct)}"
        )
        st.caption("；".join(x for x in (t.yoy_note, shares if has else "本期无数据") if x))
st.caption("占全区 = 本企业 ÷ 全区报送企业同期合计；占产业链 = 本企业 ÷ 同一产业链企业同期合计（均为当期现价）。")

measure = (
    st.segmented_control(
        "指标",
        [m.key for m in enterprise.MEASURES],
        default="output",
        format_func=lambda k: enterprise.BY_KEY[k].name,
        key="ent_measure",
    )
    or "output"
)
m = enterprise.BY_KEY[measure]
trend = memo.call(enterprise.monthly, months, f.year, f.month, measure)
if trend.empty:
    st.info(f"{f.year - 1}—{f.year}年该企业没有月度统计数据。")
else:
    ui.chart(
        charts.year_lines,
        trend,
        value="value",
        scale=1.0,
        unit=m.unit,
        measure="当月",
        title=f"{m.name}（当月，{m.unit}）：{f.year}年与{f.year - 1}年",
    )
    table = memo.call(enterprise.month_table, months, f.year, f.month)
    ui.table(
        table,
        name="企业月度数据",
        key="ent_months",
        column_config={
            "期间": st.column_config.TextColumn("期间"),
            **{
                x.key: st.column_config.NumberColumn(f"{x.name}（{x.unit}）", format=f"%.{x.digits}f")
                for x in enterprise.MEASURES
            },
            **{
                f"{x.key}_yoy_pct": st.column_config.NumberColumn(f"{x.name}同比（%）", format="%+.1f")
                for x in enterprise.MEASURES
            },
        },
    )
    st.caption("1—2月合并为一期；同比只在上年同月有数据时列出。")

# --- 亩均效益 ---
st.subheader("亩均效益评价")
cfg = mujun.load_config()
eval_year, eval_note = map_view.evaluation_year()
mujun_text = enterprise.mujun_lines(None, [], None, 0)
if eval_year is None:
    st.info(mujun_text[0])
else:
    evaluated = mujun_cache.evaluated(cfg)
    history = mujun.history_of(evaluated.history, ent_id)
    ev = evaluated.year(eval_year).ev
    try:
        unit = ev.enterprise(ent_id)
    except KeyError:
        unit = None
    mujun_text = enterprise.mujun_lines(unit, history, eval_year, int(ev.units["rated"].sum()))
    st.text(mujun_text[0])
    if unit is not None:
        ui.table(
            mujun.indicator_table(ev, unit["unit_id"]),
            name="亩均指标与基准",
            key="ent_mujun",
            column_config={
                "实际值": st.column_config.NumberColumn("实际值", format="%.2f"),
                "基准值": st.column_config.NumberColumn("基准值", format="%.2f"),
                "实际值/基准值（%）": st.column_config.NumberColumn(format="%.1f"),
                "权重（分）": st.column_config.NumberColumn(format="%.0f"),
                "得分（分）": st.column_config.NumberColumn(format="%.1f"),
            },
        )
        shared = int(unit["n_enterprises"])
        st.caption(
            f"{eval_note}。{ev.benchmark_note}。"
            + (f"同一地块上的 {shared} 家企业合并为一个评价单元，指标为地块合计。" if shared > 1 else "")
        )
    if len(history):
        ui.table(
            history[["year", "cls_label", "score", "rank", "units"]],
            name="企业历年亩均分类",
            key="ent_mujun_history",
            column_config={
                "year": st.column_config.NumberColumn("年度", format="%d"),
                "cls_label": st.column_config.TextColumn("分类"),
                "score": st.column_config.NumberColumn("综合得分（分）", format="%.1f"),
                "rank": st.column_config.NumberColumn("全区排名", format="%d"),
                "units": st.column_config.NumberColumn("参评单元（个）", format="%d"),
            },
        )
        st.caption("历年分类按现行评价规则（config/mujun.toml）重新计算。")

# --- land ---
st.subheader("用地与地块")
if row.get("parcel_id"):
    tenants = ui.q("parcel_enterprises", parcel_id=row["parcel_id"])
    actions = ui.q("land_actions_status", {**f.params(), "scope": EVERYTHING})
    actions = actions[actions["parcel_id"] == row["parcel_id"]]
    left, right = ui.columns([3, 2])
    with left:
        map_view.show(
            key="ent_map", year=eval_year, areas=[row["area_code"]], highlight=row["parcel_id"], modes=False, height=360
        )
    with right:
        if len(tenants) > 1:
            st.caption(f"地块 {plain(row['parcel_id'])} 上的企业（点击打开其画像）")
            event = ui.table(
                tenants[["ent_name", "land_mu"]],
                name="同地块企业",
                key="ent_tenants",
                column_config={
                    "ent_name": st.column_config.TextColumn("企业"),
                    "land_mu": st.column_config.NumberColumn("用地（亩）", format="%.2f"),
                },
                **links.CLICKABLE,
            )
            links.follow(event, enterprise=tenants["ent_id"], enterprise_columns=("ent_name", "land_mu"))
        if actions.empty:
            st.caption("该地块没有低效用地整治记录。")
        else:
            ui.table(
                actions[["action_id", "plan_year", "method", "status", "area_mu", "date_accepted"]],
                name="地块整治记录",
                key="ent_land_actions",
                column_config={
                    "action_id": st.column_config.TextColumn("整治编号"),
                    "plan_year": st.column_config.NumberColumn("计划年度", format="%d"),
                    "method": st.column_config.TextColumn("整治方式"),
                    "status": st.column_config.TextColumn("进度"),
                    "area_mu": st.column_config.NumberColumn("面积（亩）", format="%.2f"),
                    "date_accepted": st.column_config.DateColumn("验收日期", format="YYYY-MM-DD"),
                },
            )
else:
    st.caption("企业名录中没有该企业的地块编号。")

# --- projects ---
st.subheader("项目")
projects = memo.call(
    enterprise.project_rows,
    ui.q("enterprise_projects", ent_id=ent_id, year=f.year, month=f.month),
    as_of,
    pr.load_lag_rule(),
)
if projects.empty:
    st.caption("项目库中没有以该企业为项目业主的项目（项目库的“项目业主统一社会信用代码”）。")
else:
    shown = [
        "project_name",
        "kind",
        "stage",
        "total_invest_wan",
        "invest_ytd_wan",
        "invest_cum_wan",
        "plan_start",
        "plan_produce",
        "lag",
    ]
    event = ui.table(
        projects[shown],
        name="企业项目",
        key="ent_projects",
        column_config={
            "project_name": st.column_config.TextColumn("项目"),
            "kind": st.column_config.TextColumn("类型"),
            "stage": st.column_config.TextColumn(f"阶段（{as_of:%Y-%m-%d}）"),
            "total_invest_wan": st.column_config.NumberColumn("计划总投资（万元）", format="%.0f"),
            "invest_ytd_wan": st.column_config.NumberColumn(f"{period}完成投资（万元）", format="%.0f"),
            "invest_cum_wan": st.column_config.NumberColumn("累计完成投资（万元）", format="%.0f"),
            "plan_start": st.column_config.DateColumn("计划开工", format="YYYY-MM-DD"),
            "plan_produce": st.column_config.DateColumn("计划投产（竣工）", format="YYYY-MM-DD"),
            "lag": st.column_config.TextColumn("滞后"),
        },
        **links.CLICKABLE,
    )
    links.follow(event, project=projects["project_id"])
    st.caption("点击项目打开“投资与项目”页的项目详情。滞后按 config/rules.toml 中项目逾期月数的规则。")

# --- safety ---
st.subheader("安全生产")
zone_wide = {**f.params(), "scope": EVERYTHING}
register = ui.q("hazard_register", zone_wide, category="", ent_id=ent_id, status="", limit=None)
counts = enterprise.hazard_counts(register)
accidents = ui.q("enterprise_accidents", ent_id=ent_id, year=f.year, month=f.month)
c1, c2, c3, c4 = ui.cells(4, name="企业安全")
c1.metric(
    "本期隐患",
    fmt.count(counts["listed"], "条"),
    help=f"{period}发现的隐患，以及期末（{as_of:%Y-%m-%d}）仍未整改的往期隐患。",
)
c2.metric("期末未整改", fmt.count(counts["open"], "条"), help="整改中 + 到期未整改。")
c3.metric("到期未整改", fmt.count(counts["overdue"], "条"), help="过了整改期限仍未整改。")
c4.metric("事故（累计）", fmt.count(len(accidents), "起"), help=f"生产安全事故，截至{as_of:%Y-%m-%d}的全部记录。")
if counts["major_open"]:
    st.warning(f"其中重大隐患未整改 {counts['major_open']} 条。")
if not register.empty:
    view = memo.call(safety.register_view, register)
    ui.table(
        view[
            ["status", "level", "category", "found_date", "deadline", "rectified_date", "overdue_days", "description"]
        ],
        name="企业隐患",
        key="ent_hazards",
        column_config={
            "status": st.column_config.TextColumn("状态"),
            "level": st.column_config.TextColumn("等级"),
            "category": st.column_config.TextColumn("类别"),
            "found_date": st.column_config.TextColumn("发现日期"),
            "deadline": st.column_config.TextColumn("整改期限"),
            "rectified_date": st.column_config.TextColumn("整改日期"),
            "overdue_days": st.column_config.TextColumn("逾期（天）"),
            "description": st.column_config.TextColumn("隐患描述", width="large"),
        },
    )
if not accidents.empty:
    ui.table(
        accidents,
        name="企业事故",
        key="ent_accidents",
        column_config={
            "accident_id": st.column_config.TextColumn("事故编号"),
            "accident_date": st.column_config.DateColumn("日期", format="YYYY-MM-DD"),
            "kind": st.column_config.TextColumn("类型"),
            "deaths": st.column_config.NumberColumn("死亡（人）", format="%d"),
            "injuries": st.column_config.NumberColumn("受伤（人）", format="%d"),
            "loss_wan": st.column_config.NumberColumn("直接损失（万元）", format="%.1f"),
        },
    )

# --- warnings: the open 预警 about this enterprise (its figures, hazards, accidents) ---
st.subheader("预警")
alerts = enterprise.alert_rows(links.alerts_for_enterprise(ent_id))
if alerts.empty:
    st.caption("该企业当前没有待办预警。")
else:
    ui.table(alerts, name="企业预警", key="ent_alerts")
