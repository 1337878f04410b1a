"""总览 of a zone without monthly statistics yet (a new zone): what the admin does next."""

import streamlit as st

from cockpit.app import ui

ui.header("总览", full=True)
st.info(f"{ui.zone().name}尚无企业月度统计数据，各页面暂无可显示的内容。")
st.markdown(
    "管理员请在左侧栏“管理员登录”，进入“数据管理”：下载入驻工作簿，填写片区、行业与产业链、地块、企业名录、"
    "企业月度数据等工作表后上传，预览无误即提交。导入后本页显示本区的主要指标。"
)
