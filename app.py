"""Entry point: page config, navigation and the shared filter bar. Nothing else."""

import streamlit as st

from cockpit import filters, ui

st.set_page_config(page_title=f"{ui.rules().zone_short_name} · 领导驾驶舱", page_icon="📊",
                   layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/overview/overview.py", title="总览", icon="📊", url_path="overview",
                default=True),
        st.Page("pages/invest/projects.py", title="投资与项目", icon=":material/construction:",
                url_path="invest"),
        st.Page("pages/land/land.py", title="低效用地", icon=":material/landscape:",
                url_path="land"),
        st.Page("pages/safety/safety.py", title="安全生产", icon=":material/health_and_safety:",
                url_path="safety"),
    ],
    position="top",
)
filters.render_bar(ui.q("data_periods"), ui.q("sectors"), ui.q("areas"))
navigation.run()
