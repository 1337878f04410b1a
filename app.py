"""Entry point: page config, navigation and the shared filter bar. Nothing else."""

import streamlit as st

from cockpit import alerts_ui, filters, gate, present, ui

st.set_page_config(page_title=f"{ui.zone().short_name} · 领导驾驶舱", page_icon=str(ui.FAVICON),
                   layout="wide")

# a new zone before its first monthly statistics gets one page saying what to do
empty = ui.q("data_periods").empty
navigation = st.navigation(
    ([
        st.Page("pages/overview/overview.py", title="总览", icon=":material/dashboard:", url_path="overview",
                default=True),
        st.Page("pages/economy/industry.py", title="工业经济", icon=":material/factory:",
                url_path="industry"),
        st.Page("pages/economy/mujun.py", title="亩均效益", icon=":material/leaderboard:",
                url_path="mujun"),
        st.Page("pages/safety/safety.py", title="安全生产", icon=":material/health_and_safety:",
                url_path="safety"),
        st.Page("pages/whatif/whatif.py", title="目标推演", icon=":material/query_stats:",
                url_path="whatif"),
        st.Page("pages/alerts/alerts.py", title="预警", icon=":material/notifications_active:",
                url_path="alerts"),
        st.Page("pages/invest/projects.py", title="投资与项目", icon=":material/construction:",
                url_path="invest"),
        st.Page("pages/land/land.py", title="低效用地", icon=":material/landscape:",
                url_path="land"),
        st.Page("pages/enterprise/profile.py", title="企业画像", icon=":material/domain:", url_path="enterprise"),
    ] if not empty else [st.Page(ui.EMPTY_PAGE, title="总览", icon=":material/dashboard:",
                                 url_path="overview", default=True)]) + gate.admin_pages(),
    position="top",
)
if not empty:
    filters.render_bar(ui.q("data_periods"), ui.q("sectors"), ui.q("areas"))
    ui.brief_button()
gate.login_box()
if not empty:
    present.setup(navigation)
    alerts_ui.linked_row()
navigation.run()
