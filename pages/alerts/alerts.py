"""预警: what the rules of config/alerts.toml raise, who must act, and the 督办 loop (交办 → 处理中 → 已办结 / 误报)."""

import datetime as dt

import streamlit as st

from cockpit.app import alerts_ui, gate, ui
from cockpit.domain import alerts, alerts_state
from cockpit.domain import alerts_view as view
from cockpit.domain import format as fmt
from cockpit.domain.indicators import REGISTRY

rules = ui.rules()
try:
    cfg = alerts_ui.config()
    period = alerts_ui.evaluated()
except alerts.ConfigError as exc:
    st.error(f"预警规则文件有误，请修改 config/alerts.toml：{exc}")
    st.stop()
today = alerts_ui.today()
directory = ui.database().directory
levels = cfg.levels
LIST_LIMIT = 500  # rows the list shows (the downloads hold all)
PICK_LIMIT = 200  # warnings the picker offers
counted = alerts_state.tally(directory)  # counts only: a province holds hundreds of thousands of warnings

ui.header("预警与督办")
ui.scope_caption(
    f"全区 · 截至{period.label}数据（最新数据月份）· 今天 {today:%Y-%m-%d} · 预警不随筛选栏变化", period=False
)

open_by_severity, late = alerts_state.open_counts(counted, today)
with st.container(horizontal=True, gap="medium"):  # wraps on a phone instead of stacking
    for level in levels:
        st.metric(
            f"{level}（{cfg.colour(level)}色）",
            fmt.count(open_by_severity.get(level, 0), "条"),
            help=f"当前数据仍触发、尚未办结的{level}预警",
            width="content",
        )
    st.metric("督办逾期", fmt.count(late, "条"), help="已交办、过了办结期限仍未办结的预警", width="content")
    st.metric(
        "已办结",
        fmt.count(view.count(counted, "已办结"), "条"),
        help="办结后如再次触发会自动重新打开",
        width="content",
    )

st.subheader("按科室")
office_table = view.by_office(counted, levels, today)
ui.table(
    office_table,
    name="预警按科室",
    key="alerts_by_office",
    column_config={
        "office": st.column_config.TextColumn("牵头科室"),
        **{lv: st.column_config.NumberColumn(f"{lv}（条）", format="localized") for lv in levels},
        "total": st.column_config.NumberColumn("合计（条）", format="localized"),
        "late": st.column_config.NumberColumn("其中督办逾期（条）", format="localized"),
    },
)

st.subheader("预警清单")
c1, c2, c3 = ui.columns([1, 2, 2])
chosen_view = c1.selectbox("范围", list(view.VIEWS), key="alerts_view")
known = tuple(dict.fromkeys([r.office for r in cfg.rules if r.office] + [i.office for i in REGISTRY]))
office_options = view.offices(counted, known)
chosen_offices = c2.multiselect("牵头科室", office_options, key="alerts_office", placeholder="全部科室")
chosen_levels = c3.multiselect("严重程度", levels, key="alerts_severity", placeholder="全部")
choice = view.choice(chosen_view, chosen_offices, chosen_levels, cfg)
total = view.count(counted, chosen_view, chosen_offices, chosen_levels)
first = alerts_state.select(directory, **choice, limit=LIST_LIMIT)
shown = view.listing(first, today)
colours = {s: alerts_ui.SEVERITY_COLOUR.get(cfg.colour(s), "gray") for s in levels}
ui.table(
    shown.drop(columns="key"),
    name="预警清单",
    lights={"severity": colours},
    key="alerts_list",
    height=min(420, 40 + 35 * max(len(shown), 1)),
    export=lambda: view.listing(alerts_state.select(directory, **choice), today).drop(columns="key"),
    column_config={
        "severity": st.column_config.TextColumn("严重程度"),
        "subject": st.column_config.TextColumn("对象"),
        "figure": st.column_config.TextColumn("数据", width="large"),
        "office": st.column_config.TextColumn("牵头科室"),
        "status_text": st.column_config.TextColumn("督办状态"),
        "link": st.column_config.LinkColumn("定位", display_text="打开"),
        "rule_name": st.column_config.TextColumn("规则"),
        "category": st.column_config.TextColumn("类别"),
        "assigned": st.column_config.TextColumn("承办"),
        "due": st.column_config.TextColumn("办结期限"),
        "first": st.column_config.TextColumn("首次发现"),
        "reopened": st.column_config.NumberColumn("重开次数"),
    },
)
st.caption(
    f"共 {total:,} 条"
    + (f"，显示前 {LIST_LIMIT} 条（下载 Excel 可得全部）" if total > LIST_LIMIT else "")
    + "。规则、阈值、严重程度和牵头科室在 config/alerts.toml 中设置；"
    "“定位”打开该预警所在的页面、期间和那一行。牵头科室留空的规则按数据中登记的责任单位 / 监管科室。"
)

st.subheader("办理")
if first.empty:
    st.info("当前范围内没有预警。")
    st.stop()
labels = {r["key"]: view.label(r) for _, r in first.head(PICK_LIMIT).iterrows()}
key = st.selectbox("选择一条预警", list(labels), format_func=labels.get, key="alerts_pick")
if total > PICK_LIMIT:
    st.caption(f"列出上表的前 {PICK_LIMIT} 条；用“牵头科室”“严重程度”缩小范围可找到其他预警。")
item = first[first["key"] == key].iloc[0]
left, right = ui.columns([3, 2])
with left:
    st.text(f"{item['subject']}\n{item['figure']}")
    st.text(f"规则：{item['rule_name']}（{item['severity']}）——{item['rule_text']}")
    st.text(f"牵头科室：{item['office']}" + (f"；{item['duty']}" if item["duty"] else ""))
    st.text(
        f"首次发现 {item['first_seen'].replace('T', ' ')}（{item['first_asof']} 数据），"
        f"最近一次 {item['last_seen'].replace('T', ' ')}（{item['last_asof']} 数据）"
        + ("" if item["active"] else "；最新数据已不再触发")
    )
    page, query = alerts_ui.link_target(item["link"])
    if page and (page != alerts_ui.PAGE_FILES["admin"] or gate.is_admin()):
        st.page_link(page, label="打开相关页面（定位到该行）", icon=":material/open_in_new:", query_params=query)
    else:
        st.markdown(f"[打开相关页面]({item['link']})")
with right:
    st.metric("督办状态", item["status"])
    if item["assignee_office"]:
        st.text(
            f"承办：{item['assignee_office']} {item['assignee']}".strip()
            + (f"\n办结期限：{item['due_date']}" if item["due_date"] else "")
            + (f"\n备注：{item['note']}" if item["note"] else "")
        )

st.markdown("**办理记录**")
ui.table(
    view.history_view(alerts_state.history(directory, key)),
    name="办理记录",
    key="alerts_history",
    column_config={
        "at": st.column_config.TextColumn("时间"),
        "actor": st.column_config.TextColumn("经办人"),
        "action": st.column_config.TextColumn("事项"),
        "change": st.column_config.TextColumn("状态变化"),
        "detail": st.column_config.TextColumn("说明", width="large"),
    },
)

if not gate.is_admin():
    st.caption("交办、办结等操作需管理员登录（左侧栏“管理员登录”）。")
    st.stop()


def act(fn, **kwargs) -> None:
    try:
        fn(directory, key, expected=item["status"], **kwargs)
    except alerts_state.Conflict as exc:
        st.error(str(exc))
        return
    except ValueError as exc:
        st.error(str(exc))
        return
    st.rerun()


actor = st.text_input("经办人（记入办理记录）", value="管理员", max_chars=20, key="alerts_actor").strip() or "管理员"
if item["status"] in alerts_state.OPEN:
    with st.form("alerts_assign", border=True):
        st.markdown("**交办**（交办后状态为“处理中”）")
        f1, f2, f3 = st.columns(3)
        office = f1.selectbox(
            "承办科室",
            office_options,
            accept_new_options=True,
            key="alerts_assign_office",
            index=office_options.index(item["office"]) if item["office"] in office_options else 0,
        )
        person = f2.text_input("责任人", value=item["assignee"], max_chars=20, key="alerts_assign_person")
        due = f3.date_input(
            "办结期限",
            value=today + dt.timedelta(days=7),
            min_value=today,
            format="YYYY-MM-DD",
            key="alerts_assign_due",
        )
        note = st.text_area("备注", value=item["note"], max_chars=300, key="alerts_assign_note")
        if st.form_submit_button("交办", type="primary"):
            act(alerts_state.assign, office=office or "", person=person, due=due, note=note, actor=actor)
move_note = st.text_input("办理说明（可选，记入办理记录）", max_chars=300, key="alerts_move_note")
buttons = st.columns(len(alerts_state.MOVES[item["status"]]))
for cell, to in zip(buttons, alerts_state.MOVES[item["status"]]):
    if cell.button(view.move_label(item["status"], to), key=f"alerts_move_{to}"):
        act(alerts_state.move, to=to, actor=actor, note=move_note)
