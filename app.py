"""Entry point: page config, navigation (from the page registry, cockpit.navigation) and the shared filter bar."""

import streamlit as st

from cockpit import alerts_ui, filters, gate, navigation, present, ui

st.set_page_config(page_title=f"{ui.zone().short_name} · 领导驾驶舱", page_icon=str(ui.FAVICON),
                   layout="wide")

# a new zone before its first monthly statistics gets one page saying what to do
empty = ui.q("data_periods").empty
page = st.navigation(
    {section: [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.key, default=p.key == "overview")
               for p in pages]
     for section, pages in navigation.sections(admin=gate.is_admin(), empty=empty).items()},
    position="top",
)
if not empty:
    filters.render_bar(ui.q("data_periods"), ui.q("sectors"), ui.q("areas"))
    ui.brief_button()
gate.login_box()
if not empty:
    present.setup(page)
    alerts_ui.linked_row()
page.run()
if not empty:
    present.finish()
