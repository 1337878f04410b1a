"""目标推演: goal seek against the annual targets, sector sliders, sensitivity grid, scenarios, 目标表."""

import streamlit as st

from cockpit.app import filters, gate, present, scenario_panel, ui
from cockpit.data.db import data_dir
from cockpit.domain import format as fmt
from cockpit.domain import indicators, memo, scenarios, targets, whatif
from cockpit.domain.indicators import BY_ID
from cockpit.report import charts

f = filters.current()
p = f.params()
rules = ui.rules()
period = fmt.period_label(f.year, f.month)

ui.header("目标推演")
ui.scope_caption(
    f"{filters.current_description()} · 目标测算与敏感性分析按所选范围及同一范围的目标"
    "（全区、一个产业链或一个片区；低效用地只按片区）；分产业链推演为全区口径"
)

# inputs: loaded once per full run (cached); the slider fragment below reuses them without querying
monthly = ui.q("whatif_monthly", p)
chain_monthly = ui.q("whatif_chain_monthly", p)
scope_targets = indicators.scoped_targets(ui.q, f, rules)  # the target each card compares with
zone_targets = ui.q("targets_for_year", p)  # 全区: the 产业链 sliders project the whole zone
target_map = targets.by_indicator(zone_targets)
base = memo.call(whatif.chain_base, chain_monthly, year=f.year, month=f.month)
remaining = 12 - f.month

# 1 ───────────────────────────────────────────── goal seek
with present.section("目标测算"):
    st.subheader("目标测算：剩余月份需要多快")
    seeks = memo.call(whatif.goal_seek_all, monthly, scope_targets, year=f.year, month=f.month, rule=rules.status)
    not_applicable = [f"{BY_ID[r.indicator_id].name}（{r.note}）" for r in scope_targets.itertuples() if r.note]
    if not seeks:
        st.info(
            f"{f.year} 年所选范围没有月度指标的年度目标（完成率只与同一范围的目标比较），可在下方“年度目标表”中设置"
            "产业链或片区目标。"
        )
    else:
        names = {g.name: g for g in seeks}
        chosen = names[st.selectbox("测算指标", list(names), key="whatif_indicator")]
        meta = BY_ID[chosen.indicator_id]
        help_text = (
            f"**口径**：{meta.definition}\n\n**目标范围**：{chosen.scope}\n\n所需同比 = （年度目标 − 累计完成）÷ 上年同期剩余月份 − 1；"
            "所需月均 = （年度目标 − 累计完成）÷ 剩余月数。"
        )
        cols = ui.cells(5, name="目标测算", per_row=5)
        cols[0].metric(f"{period}累计", fmt.by_unit(chosen.ytd, chosen.unit), help=help_text)
        cols[1].metric("完成率", fmt.pct(chosen.completion), help=f"时序进度 {fmt.pct(chosen.progress)}")
        cols[2].metric(
            f"后{whatif.cn_count(remaining)}个月所需同比" if remaining else "所需同比",
            fmt.pct(chosen.required_growth, signed=True),
            help=help_text,
        )
        cols[3].metric("所需月均", fmt.by_unit(chosen.monthly_needed, chosen.unit), help=help_text)
        cols[4].metric(
            "所需月均 ÷ 历史最高月",
            fmt.pct(chosen.vs_best),
            help=f"历史最高月：{chosen.best_label} {fmt.by_unit(chosen.best_month, chosen.unit)}",
        )
        st.markdown(f"{ui.status_badge(chosen.status)} {ui.plain(chosen.sentence)}")
        pct_col = st.column_config.NumberColumn(format="%.1f")
        num_col = st.column_config.NumberColumn(format="%.2f")
        ui.table(
            whatif.goal_table(seeks),
            name="目标测算",
            key="whatif_goal_table",
            column_config={
                "年度目标": num_col,
                "累计完成": num_col,
                "上年同期剩余月份": num_col,
                "所需月均": num_col,
                "历史最高月": num_col,
                "完成率（%）": pct_col,
                "时序进度（%）": pct_col,
                "所需同比（%）": pct_col,
            },
        )
        st.caption("金额单位见“单位”列（亿元 / 亩）；所需同比对比上年同期剩余月份；历史最高月取截至本期的单月最高值。")
        with st.expander("逐项测算说明"):
            st.markdown("\n".join(f"- {ui.status_badge(g.status)} {ui.plain(g.sentence)}" for g in seeks))
    if not_applicable:
        st.caption("未测算：" + "；".join(ui.plain(x) for x in not_applicable))

# 2 ───────────────────────────────────────────── sector sliders (a fragment: no query reruns)
with present.section("分产业链推演"):
    st.subheader("分产业链推演：假设剩余月份各产业链同比")
    chains = list(base["chain"])
    ytd_yoy = dict(zip(base["chain"], base["yoy_ytd"]))
    presets = {name: scenarios.preset(name, ytd_yoy) for name in scenarios.PRESETS}

    def _key(chain: str) -> str:
        return f"whatif_growth_{chain}"

    # first visit: the sliders start from the URL's assumptions, else from 基准
    from_url = scenarios.decode(st.query_params.get(scenarios.URL_KEY), chains)
    for c in chains:
        if _key(c) not in st.session_state:
            st.session_state[_key(c)] = from_url.get(c, presets["基准"][c])

    def _load_scenario() -> None:
        name = st.session_state.get("whatif_pick")
        growth = presets.get(name) or scenarios.load_custom(data_dir()).get(name, {}).get("growth", {})
        for c in chains:
            st.session_state[_key(c)] = scenarios.clamp(growth.get(c, 0.0))

    @st.fragment
    def sector_sliders() -> None:
        custom = scenarios.load_custom(data_dir())
        if st.session_state.get("whatif_pick") not in [*scenarios.PRESETS, *custom]:  # renamed or deleted meanwhile
            st.session_state.pop("whatif_pick", None)
        pick, _ = st.columns([2, 3])
        with pick:
            st.selectbox(
                "载入情景",
                [*scenarios.PRESETS, *custom],
                key="whatif_pick",
                help="基准 = 各产业链本年累计同比延续；保守 = 基准 − 5 个百分点；乐观 = 基准 + 5 个百分点",
            )
            st.button("载入", on_click=_load_scenario, key="whatif_load")
        if remaining == 0:
            st.info(f"{period} 已是全年数据，无剩余月份可推演；下方为实际值。")
        cols = st.columns(4)
        for i, c in enumerate(chains):
            with cols[i % 4]:
                st.slider(
                    f"{ui.plain(c)}（%）",
                    scenarios.GROWTH_MIN,
                    scenarios.GROWTH_MAX,
                    step=scenarios.GROWTH_STEP,
                    key=_key(c),
                    format="%.1f%%",
                    help=f"{period} {ui.plain(c)} 产值同比 {fmt.pct(ytd_yoy[c], signed=True)}",
                )
        growth = {c: float(st.session_state[_key(c)]) for c in chains}
        encoded = scenarios.encode(growth)
        if st.query_params.get(scenarios.URL_KEY) != encoded:
            st.query_params[scenarios.URL_KEY] = encoded

        projected = whatif.project(base, growth)
        total = whatif.summarize(projected, target_map)
        m = ui.cells(4, name="推演结果")
        m[0].metric(
            "全年规上产值（推演）",
            fmt.by_unit(total.output, "亿元"),
            delta=f"同比 {fmt.pct(total.output_yoy, signed=True)}",
            delta_arrow="off",
            delta_color="off",
            help="本年累计 + 上年同期剩余月份 × （1 + 假设同比），各产业链相加",
        )
        m[1].metric(
            "全年规上增加值（推演）",
            fmt.by_unit(total.value_added, "亿元"),
            delta=f"同比 {fmt.pct(total.value_added_yoy, signed=True)}",
            delta_arrow="off",
            delta_color="off",
            help="各产业链增加值按同一假设同比推演",
        )
        m[2].metric(
            "高新技术产业增加值占比（推演）",
            fmt.pct(total.high_tech_share),
            help="推演的高新技术产业增加值 ÷ 推演的规上增加值 × 100",
        )
        m[3].metric(
            "产值完成率（推演）",
            fmt.pct(total.output_completion),
            help=f"全年推演产值 ÷ 年度目标 {fmt.by_unit(target_map.get('output'), '亿元')}",
        )
        left, right = st.columns([3, 2])
        with left:
            ui.chart(
                charts.projection_path,
                whatif.projected_path(chain_monthly, growth, year=f.year, month=f.month),
                target=target_map.get("output"),
                title=f"{f.year}年规上产值 逐月累计：实际与推演（亿元）",
            )
        with right:
            pct_col = st.column_config.NumberColumn(format="%.1f")
            num_col = st.column_config.NumberColumn(format="%.2f")
            table = whatif.chain_table(projected)
            ui.table(
                table,
                name="分产业链推演",
                key="whatif_chain_table",
                column_config={
                    c: (pct_col if "%" in c or "百分点" in c else num_col) for c in table.columns if c != "产业链"
                },
            )
            st.caption("拉动（个百分点）= 该产业链全年推演增量 ÷ 上年全年全区产值 × 100。")
        st.caption("本视图的假设已写入网址，复制网址即可在其他屏幕打开同一推演。")

        st.markdown("##### 情景对比")
        scenario_panel.render(data_dir(), growth, f.year, custom)
        compared = {**presets, **{n: s["growth"] for n, s in custom.items()}, scenarios.CURRENT: growth}
        table = scenarios.compare(base, compared, target_map)
        ui.table(
            table,
            name="情景对比",
            key="whatif_compare",
            column_config={
                c: st.column_config.NumberColumn(format="%.2f" if "亿元" in c else "%.1f")
                for c in table.columns
                if c != "情景"
            },
        )

    sector_sliders()

# 3 ───────────────────────────────────────────── sensitivity grid
with present.section("敏感性分析"):
    st.subheader("敏感性分析：剩余月份同比 × 指标 → 全年完成率")
    grid = memo.call(whatif.sensitivity, monthly, scope_targets, year=f.year, month=f.month, rule=rules.status)
    if grid.empty:
        st.info(f"{f.year} 年所选范围没有月度指标的年度目标。")
    else:
        ui.chart(
            charts.status_grid,
            grid,
            row="name",
            column="growth_pct",
            value="completion",
            status="status",
            title=f"全年完成率（%）：各列为剩余 {remaining} 个月比上年同期的同比假设",
            column_title="剩余月份同比",
        )
        st.caption(
            "全年 = 本年累计 + 上年同期剩余月份 × （1 + 同比）；完成率 = 全年 ÷ 年度目标。"
            f"绿：完成率 ≥ 100%；黄：差距不超过 {rules.status.yellow_points:g} 个百分点；红：差距更大。"
        )

# 4 ───────────────────────────────────────────── the targets table
with present.section("年度目标表"):
    st.subheader(f"{f.year} 年度目标表")
    table = targets.with_names(ui.q("targets_of_year", p))
    labels = {
        "year": "年份",
        "indicator_id": "指标代码",
        "name_cn": "指标",
        "unit": "单位",
        "scope_kind": "范围",
        "scope_code": "范围代码",
        "target_value": "目标值（按单位）",
        "source": "来源",
    }
    if gate.is_admin():
        edited = st.data_editor(
            table.drop(columns=["year", "name_cn", "unit"]),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key="whatif_targets",
            column_config={
                "indicator_id": st.column_config.SelectboxColumn(
                    labels["indicator_id"], options=list(targets.BY_ID), required=True
                ),
                "scope_kind": st.column_config.SelectboxColumn(
                    labels["scope_kind"], options=targets.SCOPE_KINDS, required=True, default="全区"
                ),
                "scope_code": st.column_config.TextColumn(
                    labels["scope_code"], help="全区留空；产业链填名称；片区填代码"
                ),
                "target_value": st.column_config.NumberColumn(labels["target_value"], required=True),
                "source": st.column_config.TextColumn(labels["source"], default="管理员录入"),
            },
        )
        st.caption("单位随指标：" + "；".join(f"{r.name} {r.unit}" for r in targets.BY_ID.values()))
        if st.button("保存目标", type="primary", key="whatif_save_targets"):
            whole = targets.replace_year(targets.load(data_dir()), f.year, edited)
            try:
                targets.save(whole, data_dir(), user="管理员", chains=chains, areas=list(ui.q("areas")["area_code"]))
            except ValueError as err:
                st.error("目标未保存，请修正以下问题：")
                st.text(str(err))
            else:
                st.success(
                    "目标已保存，上一版本已存档（可在“数据管理 → 历史与回滚”恢复）；各页面的完成率将按新目标计算。"
                )
    else:
        ui.table(
            table.drop(columns=["year"]),
            name=f"{f.year}年度目标表",
            key="whatif_targets_table",
            column_config={k: st.column_config.Column(v) for k, v in labels.items()},
        )
        st.info(
            "目标表当前只读：管理员登录后可在此编辑，或在“数据管理”页导入年度目标模板。"
            "来源为“示例默认值”的目标是示例数据的默认设定，请按实际下达的目标修改。"
        )
