"""安全生产: 隐患 to closure (整改率, 闭环率, 到期未整改), drill-down, accidents, training, 化工集聚区 grade, 减污降碳."""

import pandas as pd
import streamlit as st

from cockpit.app import filters, links, present, ui
from cockpit.domain import format as fmt
from cockpit.domain import memo, safety
from cockpit.domain.metrics import Status
from cockpit.report import charts

f = filters.current()
p = f.params()
rules = ui.rules()
as_of = safety.as_of_date(f.year, f.month)
period = fmt.period_label(f.year, f.month)

ui.header("安全生产", full=True)
ui.scope_caption(f"{filters.current_description()} · 期末 {as_of:%Y-%m-%d}")

totals = ui.q("hazard_totals", p)
with present.section("主要指标"):
    ui.indicator_cards("safety", 1, per_row=6)
    ui.indicator_cards("safety", 2, per_row=5)
    with st.expander("口径说明"):
        st.markdown("\n".join(f"- **{k}**：{v}" for k, v in safety.DEFINITIONS.items()))
        st.markdown(
            f"- **期末**：所选截至月份的最后一天（{as_of:%Y-%m-%d}）；本期 = 当年 1 月 1 日至期末。\n"
            "- 产业链、行业、片区、高新筛选按隐患、事故所属企业生效；培训、演练按片区统计。"
        )


# --- the register as SQL lists it (state, age, days overdue at the as-of date, in the page's order): the first
# SHOWN rows of a list; its download runs the same query without the limit, only when clicked ---
SHOWN = 200  # rows a list shows
PICKABLE = 200  # enterprises the picker offers without a search
COLUMNS = {
    "status": st.column_config.TextColumn("状态"),
    "level": st.column_config.TextColumn("等级"),
    "category": st.column_config.TextColumn("类别"),
    "ent_name": st.column_config.TextColumn("企业", pinned=True),  # stays in view when a phone swipes the row
    "rectify_person": st.column_config.TextColumn("整改责任人"),
    "supervise_office": st.column_config.TextColumn("监管科室"),
    "area_name": st.column_config.TextColumn("片区"),
    "source": st.column_config.TextColumn("来源"),
    "found_date": st.column_config.TextColumn("发现日期"),
    "deadline": st.column_config.TextColumn("整改期限"),
    "rectified_date": st.column_config.TextColumn("整改日期"),
    "age_days": st.column_config.TextColumn("隐患时长（天）"),
    "overdue_days": st.column_config.TextColumn("逾期（天）"),
    "description": st.column_config.TextColumn("隐患描述", width="large"),
    "hazard_id": st.column_config.TextColumn("编号"),
}


def register(category: str = "", ent_id: str = "", status: str = ""):
    """The register's first SHOWN rows (cached), with `total` and `overdue_total` on every row."""
    return ui.q("hazard_register", p, category=category, ent_id=ent_id, status=status, limit=SHOWN)


def whole_register(**choice):
    """The whole register for a download, run when the button is clicked (not cached: up to 10⁵ rows)."""
    return lambda: ui.database().run(
        "hazard_register", {**p, "category": "", "ent_id": "", "status": "", **choice, "limit": None}
    )[list(COLUMNS)]


def hazard_table(df, *, name: str, key: str, export, height="auto"):
    event = ui.table(
        memo.call(safety.register_view, df)[list(COLUMNS)],
        name=name,
        key=key,
        column_config=COLUMNS,
        height=height,
        export=export,
        **links.CLICKABLE,
    )
    links.follow(event, enterprise=df["ent_id"])  # a click on a hazard opens its enterprise's profile


def count_of(df, column: str) -> int:
    return int(df[column].iloc[0]) if len(df) else 0


with present.section("到期未整改"):
    st.subheader("到期未整改隐患（重大在前，逾期天数从长到短）")
    # the same rows the brief's 需关注事项 read (safety.overdue_register)
    overdue = safety.overdue_register(ui.q, p, SHOWN)
    overdue_total = count_of(overdue, "overdue_total")
    ages = safety.open_ages(totals, f.year)
    if overdue.empty:
        st.markdown(f"{ui.status_badge(Status.GREEN)} 期末无到期未整改隐患。")
    else:
        hazard_table(overdue, name="到期未整改隐患", key="safety_overdue", export=whole_register(status=safety.OVERDUE))
        if overdue_total > len(overdue):
            st.caption(
                f"到期未整改隐患 {fmt.count(overdue_total, '条')}，按上述顺序显示前 {fmt.count(len(overdue), '条')}；"
                "下载 Excel 可得全部。"
            )
    st.caption(
        f"期末未整改隐患 {fmt.count(ages['open'])}，平均已存在 {fmt.num(ages['mean_days'], 1)} 天，"
        f"最长 {fmt.count(ages['max_days'], '天')}。{safety.DEFINITIONS['隐患时长']}"
    )

# --- trend and breakdowns ---
left, right = ui.columns([3, 2])
with left, present.section("隐患走势"):
    ui.chart(
        charts.flows_and_stock,
        ui.q("hazard_monthly", p),
        x="month",
        bars={"found": "当月发现", "rectified": "当月整改"},
        line=("open", "月末未整改"),
        title=f"{f.year}年隐患逐月发现、整改与月末未整改（个）",
        unit="个",
        measure="隐患数",
    )
breakdown = ui.q("hazard_breakdown", p)
parts = {"rectified": "已整改", "pending": "整改中", "overdue": "到期未整改"}
with right, present.section("隐患构成"):
    dim = st.segmented_control("分组", ["片区", "来源"], default="片区", key="safety_dim")
    dim = dim or "片区"
    ui.chart(
        charts.selectable_stacked_bars,
        safety.breakdown(breakdown, dim),
        category="member",
        parts=parts,
        unit="个",
        selection="dim_pick",
        title=f"按{dim}：本期隐患构成（个）",
    )


def drill_down() -> None:
    st.subheader("隐患钻取：按类别、企业查看清单")
    pick_col, list_col = ui.columns([2, 3])
    with pick_col:
        event = ui.chart(
            charts.selectable_stacked_bars,
            safety.breakdown(breakdown, "类别"),
            category="member",
            parts=parts,
            unit="个",
            selection="category_pick",
            title="按类别：本期隐患构成（个）",
            on_select="rerun",
            key="safety_category_chart",
        )
        picked = event.selection.get("category_pick") or []
        category = picked[0].get("member", "") if picked else ""
        st.caption(
            "点击柱条查看该类别的隐患，点击空白处取消。已整改 = 本期发现且期末前已整改；"
            "整改中、到期未整改为期末存量（含往期发现）。"
        )
    with list_col:
        search = st.text_input(
            "搜索企业", key="safety_ent_search", placeholder="输入企业名称的一部分", max_chars=50
        ).strip()
        ents = ui.q("hazard_enterprises", p, search=search, ent_id="", limit=PICKABLE)
        matches = count_of(ents, "matches")
        current = st.session_state.get("safety_ent") or ""
        if current and current not in set(ents["ent_id"]):  # picked earlier, outside this list: keep it if in scope
            ents = pd.concat([ents, ui.q("hazard_enterprises", p, search="", ent_id=current, limit=0)])
        ent_names = dict(zip(ents["ent_id"], ents["ent_name"]))
        ent_counts = dict(zip(ents["ent_id"], ents["hazards"]))
        options = ["", *ents["ent_id"]]
        if current not in options:
            st.session_state.pop("safety_ent", None)
        ent_id = st.selectbox(
            "企业",
            options,
            key="safety_ent",
            format_func=lambda e: "全部企业" if e == "" else f"{ent_names[e]}（{ent_counts[e]} 个）",
        )
        if search:
            st.caption(
                f"名称含「{ui.plain(search)}」且有隐患的企业 {fmt.count(matches, '家')}"
                + (f"，列出隐患最多的 {PICKABLE} 家。" if matches > PICKABLE else "。")
            )
        elif matches > PICKABLE:
            st.caption(
                f"有隐患的企业 {fmt.count(matches, '家')}，列出隐患最多的 {PICKABLE} 家；其他企业请输入名称搜索。"
            )
        chosen = register(category, ent_id or "")
        total = count_of(chosen, "total")
        scope = (
            "、".join(
                x
                for x in (category and f"类别：{ui.plain(category)}", ent_id and f"企业：{ui.plain(ent_names[ent_id])}")
                if x
            )
            or "全部隐患"
        )
        st.caption(
            f"{scope} · 共 {fmt.count(total, '条')}（本期发现或期末未整改）{safety.list_note(total, len(chosen))}"
        )
        hazard_table(
            chosen,
            name="隐患清单",
            key="safety_register",
            height=420,
            export=whole_register(category=category, ent_id=ent_id or ""),
        )


# --- accidents, training ---
def accidents_and_training() -> None:
    st.subheader("事故与培训")
    acc_col, train_col = ui.columns(2)
    accidents = ui.q("safety_accidents", p)
    with acc_col:
        ui.table(
            accidents,
            name="生产安全事故",
            key="safety_accidents",
            column_order=["year", "accidents", "deaths", "injuries", "loss_wan"],
            column_config={
                "year": st.column_config.NumberColumn("年份", format="%d"),
                "accidents": st.column_config.NumberColumn(f"事故（起，1—{f.month}月）", format="%d"),
                "deaths": st.column_config.NumberColumn("死亡（人）", format="%d"),
                "injuries": st.column_config.NumberColumn("受伤（人）", format="%d"),
                "loss_wan": st.column_config.NumberColumn("直接损失（万元）", format="%.1f"),
            },
        )
        last_accident = accidents.loc[accidents["year"] == f.year, "last_accident_date"]
        st.caption(
            f"最近一起事故（截至期末）：{fmt.date(last_accident.iloc[0])}。"
            "生产安全事故目标为零；按当前筛选范围内企业统计。"
        )
        recent = ui.q("safety_accident_list", p, limit=SHOWN)
        if len(recent):
            shown = ["accident_date", "ent_name", "kind", "deaths", "injuries", "loss_wan"]
            event = ui.table(
                recent[shown],
                export=lambda: ui.q("safety_accident_list", p, limit=None)[shown],
                name="事故记录",
                key="safety_accident_list",
                **links.CLICKABLE,
                column_config={
                    "accident_date": st.column_config.DateColumn("事故日期", format="YYYY-MM-DD"),
                    "ent_name": st.column_config.TextColumn("企业", pinned=True),  # in view when a phone swipes
                    "kind": st.column_config.TextColumn("类型"),
                    "deaths": st.column_config.NumberColumn("死亡（人）", format="%d"),
                    "injuries": st.column_config.NumberColumn("受伤（人）", format="%d"),
                    "loss_wan": st.column_config.NumberColumn("直接损失（万元）", format="%.1f"),
                },
            )
            links.follow(event, enterprise=recent["ent_id"])
            st.caption("截至期末的事故记录（最近的在前）；点击打开企业画像。")
    with train_col:
        ui.table(
            ui.q("safety_training", p),
            name="安全培训与演练",
            key="safety_training",
            column_config={
                "year": st.column_config.NumberColumn("年份", format="%d"),
                "kind": st.column_config.TextColumn("类型"),
                "sessions": st.column_config.NumberColumn(f"场次（次，1—{f.month}月）", format="%d"),
                "participants": st.column_config.NumberColumn("参加（人次）", format="%d"),
            },
        )
        st.caption("培训、演练按片区统计，产业链/行业/高新筛选不适用。")


# --- 化工集聚区 risk grade: a tab only for a zone that has one (片区 with 是否化工集聚区 = 是) ---
def chemical_cluster() -> None:
    st.subheader("化工集聚区安全风险等级")
    graded = safety.grade_history(ui.q("safety_risk_assessments", p), rules.grade)
    bands = {"B": rules.grade.b, "C": rules.grade.c, "D": rules.grade.d}
    grade_col, table_col = ui.columns([3, 2])
    with grade_col:
        if graded.empty:
            st.info("截至期末尚无评估记录。")
        else:
            graded["label"] = graded["grade_by_rule"] + " 类"
            ui.chart(
                charts.score_history,
                graded,
                date="assess_date",
                score="score",
                bands=bands,
                label="label",
                title="化工集聚区安全风险评估得分（分）",
            )
    with table_col:
        if not graded.empty:
            last = graded.iloc[-1]
            gap = safety.points_to_goal(last["score"], rules.grade)
            st.markdown(
                f"最近一次（{last['assess_date']:%Y-%m-%d}，{ui.plain(last['assessor'])}）："
                f"**{last['grade_by_rule']} 类，{fmt.num(last['score'], 1)} 分**；"
                f"目标 {rules.grade.goal} 类（≥ {fmt.num(safety.goal_floor(rules.grade), 0)} 分），"
                + ("已达到。" if gap == 0 else f"还差 {fmt.num(gap, 1)} 分。")
            )
            ui.table(
                graded,
                name="化工集聚区风险评估",
                key="safety_grades",
                column_order=["assess_date", "assessor", "score", "grade", "grade_by_rule"],
                column_config={
                    "assess_date": st.column_config.DateColumn("评估日期", format="YYYY-MM-DD"),
                    "assessor": st.column_config.TextColumn("评估方"),
                    "score": st.column_config.NumberColumn("得分（分）", format="%.1f"),
                    "grade": st.column_config.TextColumn("公布等级"),
                    "grade_by_rule": st.column_config.TextColumn("按现行分档"),
                },
            )
        st.caption(
            f"分档（可在 config/rules.toml 修改）：A < {rules.grade.b:g} 分，B {rules.grade.b:g}—"
            f"{rules.grade.c:g}，C {rules.grade.c:g}—{rules.grade.d:g}，D ≥ {rules.grade.d:g}"
            "（D 类风险最低）。整治提升事项清单暂无数据。"
        )


# --- 减污降碳 ---
def pollution_and_carbon() -> None:
    st.subheader("减污降碳")
    trend = safety.intensity_trend(ui.q("safety_energy_emission", p))
    ui.indicator_cards("safety", 3, per_row=2)
    e_col, m_col = ui.columns(2)
    with e_col:
        ui.chart(
            charts.ytd_trend,
            trend,
            value="energy_per_va",
            scale=1,
            unit="吨标煤/万元",
            title=f"单位增加值能耗 逐月累计：{f.year}年与{f.year - 1}年（吨标煤/万元）",
        )
    with m_col:
        ui.chart(
            charts.ytd_trend,
            trend,
            value="emission_per_va_yi",
            scale=1,
            unit="吨/亿元",
            title=f"单位增加值排放 逐月累计：{f.year}年与{f.year - 1}年（吨/亿元）",
        )
    st.caption(
        "规上工业企业口径：逐月累计综合能耗（吨标煤）、主要污染物排放当量（吨）÷ 同期工业增加值（现价）。"
        "污水零直排区建设情况暂无数据。"
    )


# the details in tabs: a filter change redraws only the open one (each tab is its 演示模式 step)
ui.tabs(
    {
        "隐患钻取": drill_down,
        "事故与培训": accidents_and_training,
        **({"化工集聚区": chemical_cluster} if ui.q("areas")["is_chemical_cluster"].any() else {}),
        "减污降碳": pollution_and_carbon,
    },
    key="safety_tab",
    keep=("safety_ent_search", "safety_ent"),
    steps=True,
)
