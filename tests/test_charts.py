"""The chart builders' Vega-Lite helpers and the specs they make, on hand-checked inputs."""

import pandas as pd

from cockpit.report import charts


def test_field_reads_altairs_shorthand():
    """Test that 'v:Q' and 'sum(n):Q' become the field encodings Vega-Lite expects, keeping a None title."""
    assert charts.field("v:Q") == {"field": "v", "type": "quantitative"}
    assert charts.field("年份:N", title=None) == {"field": "年份", "type": "nominal", "title": None}
    assert charts.field("sum(n):Q", title="单元") == {
        "aggregate": "sum",
        "field": "n",
        "type": "quantitative",
        "title": "单元",
    }
    assert charts.tip("d:T", "日期", "%Y-%m-%d") == {
        "field": "d",
        "type": "temporal",
        "title": "日期",
        "format": "%Y-%m-%d",
    }
    assert charts.tip("x:O") == {"field": "x", "type": "ordinal"}


def test_pull_bars_domain_leaves_room_for_labels_and_sorts_in_row_order():
    """Test pull_bars on three rows: domain [low − 5 %, high + 90 %] of the range, rows in their order, signs."""
    df = pd.DataFrame({"part": ["乙", "甲", "丙"], "pull": [2.0, -1.0, 0.0], "label": ["a", "b", "c"]})
    spec = charts.pull_bars(df, category="part", value="pull", label="label", title="t")
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["scale"] == {"domain": [-1.15, 4.7], "nice": False}  # range 3: −1 − 0.15, 2 + 2.7
    assert bars["encoding"]["y"]["sort"] == ["乙", "甲", "丙"]
    assert bars["data"]["sign"].tolist() == ["正", "负", "正"]
    assert spec["height"] == 160  # max(160, 36 × 3)


def test_spec_for_the_browser_and_for_the_pdf_carry_the_same_rows():
    """Test that the browser's spec names its data (Arrow datasets) and the PDF's inlines it, dates as ISO text,
    missing values as null, with the schema and house theme on both."""
    df = pd.DataFrame({"assess_date": ["2023-06-30", "2024-06-30"], "score": [72.5, None], "label": ["x", "y"]})
    opts = dict(date="assess_date", score="score", bands={"B": 60.0}, title="t", label="label")
    browser = charts.spec(charts.score_history, df, **opts)
    assert len(browser["datasets"]) == 2 and all(isinstance(v, bytes) for v in browser["datasets"].values())
    assert {part["data"]["name"] for part in browser["layer"]} == set(browser["datasets"])
    pdf = charts.vega_lite_values(charts.score_history(df, **opts), width=500)
    line = pdf["layer"][2]["data"]["values"]
    assert [r["score"] for r in line] == [72.5, None]
    assert line[0]["_date"].startswith("2023-06-30")
    assert pdf["width"] == 500 and pdf["config"]["font"] == charts.FONT == browser["config"]["font"]
    assert pdf["layer"][0]["encoding"]["y"]["scale"]["domain"] == [55.0, 100]  # min(60, 72.5) − 5


def test_specs_name_the_schema_of_the_installed_altair():
    """Test that the specs' $schema is the Vega-Lite version whose schema validates them in the tests (Altair's):
    an Altair upgrade that moves Vega-Lite on shows here."""
    import altair as alt

    assert charts.SCHEMA_URL == alt.SCHEMA_URL
