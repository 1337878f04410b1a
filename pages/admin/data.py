"""数据管理: import the onboarding workbook or single files (four modes), templates, history and rollback.
Admins only."""

import streamlit as st

from cockpit.app import admission, gate, ui
from cockpit.data.ingest import MODES, check_file, import_file
from cockpit.data.schema import SPECS, importable
from cockpit.data.store import DataStore, history_frame
from cockpit.data.templates import ONBOARDING_NAME, onboarding_bytes, template_bytes, template_name

gate.require_admin()
directory = ui.database().directory
store = DataStore(directory)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MODE_HELP = {
    "merge": "新主键的行新增，已有主键的行以导入值覆盖，其他行不变。",
    "replace": "导入后该表只剩本文件的行：预览列出将消失的行。",
    "replace-period": "替换本文件涉及的月份（或年份）的全部行，用于统计修订、年报修订。",
    "delete": "文件只需主键列：删除这些行。仍被其他表引用的代码不能删除（除非同一工作簿一并删除）。",
}

ui.header("数据管理")
st.caption(f"本区：{ui.zone().name}　工作数据目录：{directory}（导入只写入此目录；随代码发布的示例数据不会被修改）")
tab_import, tab_templates, tab_history = st.tabs(["导入数据", "入驻工作簿与模板", "历史与回滚"])


def show_preview(outcome) -> None:
    """Per table: the counts, rows new/changed/unchanged/removed per period, totals, removed rows."""
    for table, p in outcome.previews.items():
        sheet = f"（工作表「{outcome.sheets[table]}」）" if outcome.bundle else ""
        st.markdown(
            f"**{SPECS[table].title}**{sheet}：新增 {p.rows_new} 行，修改 {p.rows_changed} 行，"
            f"未变 {p.rows_unchanged} 行，删除 {p.rows_deleted} 行"
        )
        left, right = ui.columns(2)
        with left:
            ui.table(p.summary, name=f"导入预览_{SPECS[table].title}_行数变化", key=f"summary_{table}")
        with right:
            ui.table(
                p.totals,
                name=f"导入预览_{SPECS[table].title}_主要合计",
                key=f"totals_{table}",
                column_config={
                    c: st.column_config.NumberColumn(c, format="%.2f") for c in ("导入前", "导入后", "变化")
                },
            )
        if len(p.removed):
            st.warning(f"{SPECS[table].title}：提交后将消失 {p.rows_deleted} 行（下表列出前 {len(p.removed)} 行）")
            ui.table(p.removed, name=f"将消失的行_{SPECS[table].title}", key=f"removed_{table}")
        if p.derived is not None and len(p.derived):
            st.caption(f"由 1—本月累计值推算的当月值（{len(p.derived)} 项）：")
            ui.table(p.derived, name=f"累计推算当月_{SPECS[table].title}", key=f"derived_{table}")
    if outcome.skipped:
        st.caption("只有表头、未导入的工作表：" + "、".join(outcome.skipped))


with tab_import:
    st.markdown(
        "上传**入驻工作簿**（每张表一个工作表，作为一次导入）或单张表的模板文件 / CSV。"
        "全部校验通过才可提交；提交后作为一个版本记入“历史与回滚”。"
    )
    mode = st.radio("导入方式", list(MODES), format_func=MODES.get, horizontal=True, key="import_mode")
    st.caption(MODE_HELP[mode])
    left, right = st.columns([2, 1])
    with left:
        choice = st.selectbox(
            "数据表（入驻工作簿选“自动识别”）",
            ["自动识别"] + importable(),
            format_func=lambda t: t if t == "自动识别" else f"{SPECS[t].title}（{t}）",
        )
    with right:
        cumulative = st.checkbox(
            "企业月度数据为 1—本月累计值",
            key="import_cumulative",
            help="统计局报表为累计值时勾选：系统用已导入的上期累计推算当月值"
            "（也可把表头改为「1—本月累计工业总产值（万元）」等，不必勾选）",
        )
    upload = st.file_uploader(
        "选择 Excel（.xlsx）或 CSV 文件（UTF-8 或 GB18030 编码），或地块边界 .geojson 文件",
        type=["xlsx", "csv", "geojson"],
    )
    if upload is not None:
        data = upload.getvalue()
        table = None if choice == "自动识别" else choice
        with admission.aside():  # seconds for a large workbook: the other sessions' runs go on meanwhile
            outcome = check_file(data, upload.name, directory, table, mode=mode, cumulative=cumulative)
        for note in outcome.notes:  # plain text: sheet names and titles come from the file
            st.text(f"注意：{note}")
        if not outcome.ok:
            st.error(
                f"文件被拒绝（{outcome.title()}）：共 {len(outcome.problems)} 个问题，未写入任何数据。"
                "请修改后重新上传。"
            )
            for message in outcome.problems.loc[outcome.problems["行号"] == 0, "问题"]:
                st.text(message)  # why the file could not be read at all, in full (plain text)
            ui.table(outcome.problems, name="导入问题清单", key="import_problems")
        else:
            st.success(f"校验通过：{outcome.title()}，方式：{MODES[mode]}。确认无误后提交。")
            show_preview(outcome)
            user = st.text_input("经办人", key="import_user", max_chars=20)
            if st.button("提交导入", type="primary", disabled=not user.strip()):
                with admission.aside():
                    done = import_file(
                        data, upload.name, directory, user=user.strip(), table=table, mode=mode, cumulative=cumulative
                    )
                if done.ok and done.entries:
                    st.success(
                        f"已提交：版本 {done.entries[0].version}，"
                        + "、".join(f"{SPECS[e.table].title} {e.rows} 行" for e in done.entries)
                        + "。各页面下次刷新即显示新数据。"
                    )
                else:
                    st.error("提交时校验未通过（数据可能已被他人修改），未写入。")
                    ui.table(done.problems, name="提交问题清单", key="commit_problems")

with tab_templates:
    st.markdown(
        "**入驻工作簿**：每张表一个工作表（片区、行业与产业链、地块、企业名录、企业月度数据……），"
        "“填写说明”工作表列出顺序和必填列，“代码表”列出本区已有的代码。新开发区填这一个文件即可。"
    )
    st.download_button(
        "下载入驻工作簿",
        lambda: onboarding_bytes(store.codes()),
        file_name=ONBOARDING_NAME,
        key="tpl_onboarding",
        on_click="ignore",
        mime=XLSX,
        type="primary",
        icon=":material/download:",
    )
    st.markdown(
        "**单表模板**：中文表头（深蓝为必填）、“填写说明”页（单位、取值范围）、“代码表”页（行业、片区、指标代码）。"
    )
    cols = st.columns(3)
    for i, table in enumerate(importable()):  # each file is built when its button is clicked
        with cols[i % 3]:
            st.download_button(
                f"{SPECS[table].title}模板",
                lambda t=table: template_bytes(t, store.codes()),
                file_name=template_name(table),
                key=f"tpl_{table}",
                on_click="ignore",
                mime=XLSX,
            )

with tab_history:
    entries = history_frame(store)
    if entries.empty:
        st.info("尚无导入记录。")
    else:
        ui.table(entries, name="导入历史", key="import_history")
    st.markdown(
        "**整体回滚**：把所有数据表恢复到某个版本提交后的状态（“初始”= 第一次导入之前；新建的开发区为空）。"
        "回滚本身也记入历史，可再次回滚。"
    )
    points = store.points()
    if not points:
        st.caption("尚无可回滚的版本。")
    else:
        labels = {p["version"]: f"{p['version']}　{p['action']}　{p['at']}　{p['user']}　{p['source']}" for p in points}
        version = st.selectbox("恢复到版本", list(labels), format_func=labels.get, key="rollback_point")
        plan = store.rollback_plan(version)
        if plan.empty:
            st.caption("数据已是该版本的状态。")
        else:
            ui.table(plan, name="回滚预览", key="rollback_plan")
            user = st.text_input("经办人", key="rollback_user", max_chars=20)
            if st.button("回滚", disabled=not user.strip(), key="rollback_all"):
                done = store.rollback_to(version, user=user.strip())
                st.success(
                    f"已回滚到版本 {version}：{'、'.join(SPECS[e.table].title for e in done)}"
                    f"（新版本 {done[0].version}）。"
                )
    with st.expander("只回滚一张表"):
        table = st.selectbox(
            "数据表", importable(), key="rollback_table", format_func=lambda t: f"{SPECS[t].title}（{t}）"
        )
        versions = store.versions(table)
        if not versions:
            st.caption("该表尚无保留版本（第一次导入时会保留导入前的“初始”版本）。")
        else:
            one = st.selectbox("恢复到版本", list(reversed(versions)), key="rollback_version")
            who = st.text_input("经办人", key="rollback_one_user", max_chars=20)
            if st.button("回滚这张表", disabled=not who.strip(), key="rollback_one"):
                entry = store.rollback(table, one, user=who.strip())
                st.success(f"已回滚 {SPECS[table].title} 到版本 {one}（新版本 {entry.version}）。")
