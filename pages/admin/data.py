"""数据管理: import monthly statistics and ledgers, see the history, roll back. Admins only."""

import streamlit as st

from cockpit import gate, ui
from cockpit.ingest import check_file, import_file
from cockpit.schema import SPECS
from cockpit.store import DataStore
from cockpit.templates import template_bytes, template_name

gate.require_admin()
directory = ui.database().directory
store = DataStore(directory)

st.header("数据管理")
st.caption(f"工作数据目录：{directory}（导入只写入此目录；随代码发布的示例数据不会被修改）")
tab_import, tab_templates, tab_history = st.tabs(["导入数据", "导入模板", "历史与回滚"])

with tab_import:
    choice = st.selectbox("数据表", ["自动识别"] + list(SPECS),
                          format_func=lambda t: t if t == "自动识别" else f"{SPECS[t].title}（{t}）")
    upload = st.file_uploader("选择 Excel（.xlsx）或 CSV 文件（UTF-8 或 GB18030 编码）", type=["xlsx", "csv"])
    if upload is not None:
        data = upload.getvalue()
        table = None if choice == "自动识别" else choice
        outcome = check_file(data, upload.name, directory, table)
        for note in outcome.notes:  # plain text: sheet names and titles come from the file
            st.text(f"注意：{note}")
        if not outcome.ok:
            st.error(f"文件被拒绝：共 {len(outcome.problems)} 个问题，未写入任何数据。请修改后重新上传。")
            for message in outcome.problems.loc[outcome.problems["行号"] == 0, "问题"]:
                st.text(message)  # why the file could not be read at all, in full (plain text)
            ui.table(outcome.problems, name="导入问题清单", key="import_problems")
        else:
            p = outcome.preview
            st.success(f"校验通过：{SPECS[outcome.table].title}，新增 {p.rows_new} 行，修改 {p.rows_changed} 行。"
                       "确认无误后提交。")
            left, right = st.columns(2)
            with left:
                st.markdown("**按期间的行数变化**")
                ui.table(p.summary, name="导入预览_行数变化", key="import_summary")
            with right:
                st.markdown("**主要合计（导入前后）**")
                ui.table(p.totals, name="导入预览_主要合计", key="import_totals",
                         column_config={c: st.column_config.NumberColumn(c, format="%.2f")
                                        for c in ("导入前", "导入后", "变化")})
            user = st.text_input("经办人", key="import_user", max_chars=20)
            if st.button("提交导入", type="primary", disabled=not user.strip()):
                done = import_file(data, upload.name, directory, user=user.strip(), table=outcome.table)
                if done.ok and done.committed:
                    st.success(f"已提交：版本 {done.committed.version}，{done.committed.rows} 行。"
                               "各页面下次刷新即显示新数据。")
                else:
                    st.error("提交时校验未通过（数据可能已被他人修改），未写入。")
                    ui.table(done.problems, name="提交问题清单", key="commit_problems")

with tab_templates:
    st.markdown("每张表一个模板：中文表头（深蓝为必填）、“填写说明”页（单位、取值范围）、“代码表”页（行业、片区、指标代码）。")
    codes = {t: store.read(t) for t in ("sectors", "areas", "indicators")}
    for table, spec in SPECS.items():
        st.download_button(f"{spec.title}模板", template_bytes(table, codes),
                           file_name=template_name(table), key=f"tpl_{table}", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

with tab_history:
    entries = ui.history_frame(store)
    if entries.empty:
        st.info("尚无导入记录。")
    else:
        ui.table(entries, name="导入历史", key="import_history")
    st.markdown("**回滚**：把一张表恢复到任一保留的版本（回滚本身也记入历史，可再次回滚）。")
    table = st.selectbox("数据表 ", list(SPECS), key="rollback_table",
                         format_func=lambda t: f"{SPECS[t].title}（{t}）")
    versions = store.versions(table)
    if not versions:
        st.caption("该表尚无保留版本（第一次导入时会保留导入前的“初始”版本）。")
    else:
        version = st.selectbox("恢复到版本", list(reversed(versions)), key="rollback_version")
        user = st.text_input("经办人", key="rollback_user", max_chars=20)
        if st.button("回滚", disabled=not user.strip()):
            entry = store.rollback(table, version, user=user.strip())
            st.success(f"已回滚 {SPECS[table].title} 到版本 {version}（新版本 {entry.version}）。")
