"""Entry point: page config, navigation (from the page registry, cockpit.domain.navigation) and the shared filter bar."""

import streamlit as st

from cockpit.app import admission, alerts_ui, collector, filters, fit, gate, links, prefetch, present, ui
from cockpit.domain import navigation

collector.start()  # full garbage collections while no page runs (cockpit.app.collector)

# one page run at a time per process; the others wait in line (cockpit.app.admission)
with admission.turn(), collector.page_run():
    st.set_page_config(page_title=f"{ui.zone().short_name} · 领导驾驶舱", page_icon=str(ui.FAVICON), layout="wide")
    st.html(fit.css())  # card grids that fit the width (cockpit.app.fit)

    # a new zone before its first monthly statistics gets one page saying what to do
    empty = not ui.has_monthly_statistics()  # from the file's footer: the navigation before the database opens
    page = st.navigation(
        {
            section: [
                st.Page(p.script, title=p.title, icon=p.icon, url_path=p.key, default=p.key == "overview")
                for p in pages
            ]
            for section, pages in navigation.sections(admin=gate.is_admin(), empty=empty).items()
        },
        position="top",
    )
    if not empty:
        filters.render_bar(ui.q("data_periods"), {name: ui.q(name) for name in filters.option_queries()})
        ui.prefetch_page(page.url_path or "overview")  # the page's queries start on every core (cockpit.app.prefetch)
        ui.brief_button()
        links.copy_link_button()
    gate.login_box()
    why = None
    if not empty:
        present.setup(page)
        alerts_ui.linked_row()
        if navigation.scoped(page.url_path or "overview"):
            why = ui.scope_empty_reason()
    if why:  # the scope holds no enterprise: say so and why, instead of cards of "—" and bare axes
        prefetch.stop()
        ui.header(page.title, full=True)
        ui.scope_caption(filters.current_description())
        ui.empty(why)
    else:
        page.run()
        if not empty:
            prefetch.end()
            present.finish()
