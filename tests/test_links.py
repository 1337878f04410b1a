"""cockpit.app.links: which profile or project a click in a table or on a chart opens (the switch itself is
Streamlit's, walked in Chromium by test_browser_profile.py)."""

import pytest

from cockpit.app import links


@pytest.fixture()
def opened(monkeypatch):
    seen = []
    monkeypatch.setattr(links, "open_profile", lambda ent: seen.append(("enterprise", ent)))
    monkeypatch.setattr(links, "open_project", lambda pid: seen.append(("project", pid)))
    return seen


def event(rows=(), cells=()):
    return {"selection": {"rows": list(rows), "columns": [], "cells": [list(c) for c in cells]}}


def test_a_cell_or_a_row_opens_that_rows_enterprise(opened):
    """Test that a selected cell or row opens the enterprise of that row position; nothing selected, a row
    without an id (None, NaN, '') or out of range opens nothing."""
    ids = ["E1", None, "E3", float("nan"), ""]
    links.follow(event(cells=[(2, "chain")]), enterprise=ids)
    links.follow(event(rows=[0]), enterprise=ids)
    for nothing in (event(), event(rows=[1]), event(rows=[3]), event(rows=[4]), event(rows=[9]), None):
        links.follow(nothing, enterprise=ids)
    assert opened == [("enterprise", "E3"), ("enterprise", "E1")]


def test_with_projects_the_enterprise_columns_open_the_enterprise_and_the_rest_the_project(opened):
    """Test a lagging-project table: the 项目业主 cell opens the enterprise, any other cell or the row marker the
    project."""
    ents, projects = ["E1", None], ["XM1", "XM2"]
    links.follow(event(cells=[(0, "ent_name")]), enterprise=ents, project=projects)
    links.follow(event(cells=[(0, "project_name")]), enterprise=ents, project=projects)
    links.follow(event(rows=[1]), enterprise=ents, project=projects)
    links.follow(event(cells=[(1, "ent_name")]), enterprise=ents, project=projects)  # no 项目业主: nothing
    assert opened == [("enterprise", "E1"), ("project", "XM1"), ("project", "XM2")]


def test_a_chart_point_opens_its_enterprise(opened):
    """Test a point selection on a chart: its field's value is opened; an empty selection opens nothing."""
    links.follow_chart({"selection": {"pick": [{"ent_id": "E7"}]}}, "pick", "ent_id")
    links.follow_chart({"selection": {"pick": []}}, "pick", "ent_id")
    links.follow_chart(None, "pick", "ent_id")
    assert opened == [("enterprise", "E7")]
