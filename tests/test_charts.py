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


SQUARE = (
    '{"type":"Polygon","coordinates":[[[118.40,29.05],[118.40,29.06],[118.41,29.06],[118.41,29.05],[118.40,29.05]]]}'
)
MONTHS = pd.DataFrame(
    {"year": [2024, 2024, 2023, 2023], "month": [2, 3, 2, 3], "v": [12000.0, 15000.0, 11000.0, 9000.0]}
)
ALL_BUILDERS = {  # every builder with small inputs, and a text its drawing must show
    "ytd_trend": (MONTHS, dict(value="v", title="累计走势"), "累计走势"),
    "year_lines": (MONTHS, dict(value="v", title="当月走势"), "1—2月"),
    "ranked_bars": (
        pd.DataFrame({"c": ["新材料", "新装备"], "v": [2.0, 1.0], "l": ["+1%", "-2%"]}),
        dict(category="c", value="v", title="排名", unit="亿元", label="l"),
        "新装备",
    ),
    "flows_and_stock": (
        pd.DataFrame({"m": [1, 2], "a": [3, 4], "b": [1, 2], "o": [2, 4]}),
        dict(x="m", bars={"a": "发现", "b": "整改"}, line=("o", "未整改"), title="隐患", unit="个"),
        "未整改",
    ),
    "selectable_stacked_bars": (
        pd.DataFrame({"k": ["甲区", "乙区"], "x": [3, 1], "y": [1, 0]}),
        dict(category="k", parts={"x": "已整改", "y": "逾期"}, title="构成", unit="个", selection="pick"),
        "甲区",
    ),
    "score_history": (
        pd.DataFrame({"d": ["2023-06-30", "2024-06-30"], "s": [72.0, 80.0], "l": ["B", "C"]}),
        dict(date="d", score="s", bands={"B": 60.0, "C": 70.0}, title="评估", label="l"),
        "C 类 ≥ 70 分",
    ),
    "funnel_bars": (
        pd.DataFrame({"stage": ["谋划", "签约"], "n": [10, 4], "l": ["10 个", "4 个"]}),
        dict(stage="stage", value="n", title="漏斗", unit="个", label="l"),
        "谋划",
    ),
    "actual_vs_plan": (
        pd.DataFrame({"p": ["2024-01", "2024-02"], "a": [1.0, 2.0], "b": [1.5, 2.5]}),
        dict(x="p", actual="a", plan="b", title="计划执行", unit="亿元"),
        "计划",
    ),
    "stacked_parts": (
        pd.DataFrame({"m": ["收回", "收回"], "s": ["摸排", "验收"], "mu": [3.0, 4.0]}),
        dict(
            category="m",
            part="s",
            value="mu",
            title="整治",
            unit="亩",
            category_order=["收回"],
            part_order=["摸排", "验收"],
        ),
        "验收",
    ),
    "projection_path": (
        pd.DataFrame({"month": [1, 2, 3], "kind": ["实际", "实际", "推演"], "ytd": [10.0, 20.0, 30.0]}),
        dict(target=100.0, title="推演"),
        "年度目标 100.00 亿元",
    ),
    "status_grid": (
        pd.DataFrame({"name": ["产值", "产值"], "g": [0.0, 5.0], "c": [90.0, 101.5], "st": ["yellow", "green"]}),
        dict(row="name", column="g", value="c", status="st", title="完成率", column_title="同比"),
        "101.5%",
    ),
    "pull_bars": (
        pd.DataFrame({"c": ["新材料", "新装备"], "p": [1.2, -0.4], "l": ["+1.2", "-0.4"]}),
        dict(category="c", value="p", label="l", title="拉动"),
        "-0.4",
    ),
    "bars_with_share": (
        pd.DataFrame({"y": [2023, 2024], "v": [1e5, 1.2e5], "s": [80.0, 82.5]}),
        dict(x="y", bar="v", share="s", title="高新", bar_title="增加值（亿元）", share_title="占比（%）"),
        "82.5%",
    ),
    "class_shares": (
        pd.DataFrame({"c": ["新材料", "新材料"], "k": ["A 类", "B 类"], "n": [3, 1], "s": [75.0, 25.0]}),
        dict(category="c", cls="k", count="n", share="s", order=["A 类", "B 类"], title="分类"),
        "A 类",
    ),
    "score_histogram": (
        pd.DataFrame({"s": [55.0, 62.0, 91.0], "k": ["C 类", "B 类", "A 类"]}),
        dict(score="s", cls="k", order=["A 类", "B 类", "C 类"], title="得分分布"),
        "综合得分（分）",
    ),
    "parcel_map": (
        pd.DataFrame({"parcel_id": ["P1"], "category": ["在用"], "area_name": ["甲区"], "geometry": [SQUARE]}),
        dict(
            category="category", colors={"在用": "#9bbbe0"}, title="地块", tooltip={"area_name": "片区"}, highlight="P1"
        ),
        "地块",
    ),
    "area_map": (
        pd.DataFrame(
            {
                "area_code": ["A1"],
                "area_name": ["甲区"],
                "parcels": [3],
                "area_mu": [10.0],
                "share_pct": [20.0],
                "geometry": [SQUARE],
                "label_lon": [118.405],
                "label_lat": [29.055],
            }
        ),
        dict(title="片区图", share_title="闲置占比（%）"),
        "甲区",
    ),
}


def test_every_builder_is_listed_here():
    """Test that the drawing test below covers every public builder of cockpit.report.charts."""
    import inspect

    builders = {
        name
        for name, fn in vars(charts).items()
        if inspect.isfunction(fn)
        and fn.__module__ == charts.__name__
        and not name.startswith("_")
        and "df" in inspect.signature(fn).parameters
    }
    assert builders == set(ALL_BUILDERS)


def test_every_builder_draws_in_vega():
    """Test that each builder's spec is valid Vega-Lite and draws (vl-convert, the PDF's renderer) with the text it
    should show: the schema check alone does not compile a spec."""
    import vl_convert as vlc

    from cockpit.report import brief

    brief._register_fonts(vlc)
    for name, (df, options, text) in ALL_BUILDERS.items():
        spec = charts.vega_lite_values(getattr(charts, name)(df, **options), width=400)
        svg = vlc.vegalite_to_svg(spec)
        assert "<svg" in svg and text in svg, name


def test_map_features_carry_plain_values_with_none_for_missing():
    """Test the GeoJSON Features of the map (hand-checked): the geometry object from its text, each field a plain
    Python value (int, float, str), a missing value None in every column type, rows in order."""
    import json

    import numpy as np

    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    df = pd.DataFrame(
        {
            "parcel_id": pd.array(["P1", "P2"], dtype="string"),
            "area_mu": [12.5, np.nan],
            "units": pd.array([3, None], dtype="Int64"),
            "geometry": [json.dumps(square), json.dumps(square)],
        }
    )
    got = charts._geo_records(df, ["parcel_id", "area_mu", "units"])
    assert got == [
        {"type": "Feature", "geometry": square, "parcel_id": "P1", "area_mu": 12.5, "units": 3},
        {"type": "Feature", "geometry": square, "parcel_id": "P2", "area_mu": None, "units": None},
    ]
    assert [type(v) for v in got[0].values()] == [str, dict, str, float, int]
    json.dumps(got, allow_nan=False)  # JSON-ready: no NaN, no numpy scalars


def decoded(topology: dict) -> list[list[list[list[float]]]]:
    """Each shape's rings as lon/lat positions, decoded from a quantised TopoJSON as the TopoJSON spec says."""
    (kx, ky), (x0, y0) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            ring.append([x * kx + x0, y * ky + y0])
        arcs.append(ring)
    shapes = []
    for g in topology["objects"]["shapes"]["geometries"]:
        polygons = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        shapes.append([arcs[ring[0]] for polygon in polygons for ring in polygon])
    return shapes


def test_topology_decodes_to_the_outlines_within_a_grid_step():
    """Test that the quantised TopoJSON of a Polygon (with a hole) and a MultiPolygon decodes to their positions,
    each within half a grid step (the extent / QUANTISE), rings closed and in order, ids as properties."""
    outer = [[118.40, 29.07], [118.40, 29.08], [118.41, 29.08], [118.41, 29.07], [118.40, 29.07]]
    hole = [[118.402, 29.072], [118.408, 29.072], [118.408, 29.078], [118.402, 29.072]]
    far = [[118.50, 29.10], [118.50, 29.1012345], [118.5012345, 29.10], [118.50, 29.10]]
    shapes = [
        {"type": "Polygon", "coordinates": [outer, hole]},
        {"type": "MultiPolygon", "coordinates": [[far], [outer]]},
    ]
    topology = charts._topology(["A", "B"], shapes)
    assert topology["type"] == "Topology" and len(topology["arcs"]) == 4
    assert [g["properties"]["id"] for g in topology["objects"]["shapes"]["geometries"]] == ["A", "B"]
    step = max(topology["transform"]["scale"])
    want = [[outer, hole], [far, outer]]
    for got_rings, want_rings in zip(decoded(topology), want):
        assert len(got_rings) == len(want_rings)
        for got, ring in zip(got_rings, want_rings):
            assert len(got) == len(ring) and got[0] == got[-1]
            assert max(abs(a - b) for p, q in zip(got, ring) for a, b in zip(p, q)) <= step / 2 + 1e-12


def test_parcel_map_joins_colour_and_tooltip_by_parcel_and_writes_a_dash_for_no_figure():
    """Test that the map's inline GeoJSON holds only each parcel's geometry and id, that its colour and tooltip
    columns come from a table joined by parcel_id (the drawn SVG has each parcel's category colour and its tooltip
    text), and that a parcel without 亩均税收 reads '—' (not "null")."""
    import vl_convert as vlc

    from cockpit.report import brief

    other = SQUARE.replace("118.41", "118.42").replace("118.40", "118.415")
    df = pd.DataFrame(
        {
            "parcel_id": ["P1", "P2"],
            "category": ["A 类", "未参评"],
            "tax_per_mu": [12.345, None],
            "geometry": [SQUARE, other],
        }
    )
    chart = charts.parcel_map(
        df,
        category="category",
        colors={"A 类": "#2e9e5b", "未参评": "#8c8c8c"},
        title="地块",
        tooltip={"tax_per_mu": "亩均税收（万元/亩）"},
    )
    shapes = chart["layer"][0] if "layer" in chart else chart
    topology = shapes["data"]["values"]  # outlines and ids only (quantised TopoJSON), nothing else inline
    assert shapes["data"]["format"] == {"type": "topojson", "feature": "shapes"}
    assert [g["properties"] for g in topology["objects"]["shapes"]["geometries"]] == [{"id": "P1"}, {"id": "P2"}]
    joined = shapes["transform"][0]["from"]["data"]
    assert joined["tax_per_mu"].tolist() == ["12.35", "—"] and joined["category"].tolist() == ["A 类", "未参评"]
    brief._register_fonts(vlc)
    svg = vlc.vegalite_to_svg(charts.vega_lite_values(chart, width=400))
    assert 'fill="#2e9e5b"' in svg and 'fill="#8c8c8c"' in svg
    assert "亩均税收（万元/亩）: 12.35" in svg and "亩均税收（万元/亩）: —" in svg


def test_the_area_maps_legend_labels_are_distinct_for_a_narrow_range():
    """Test that the 片区 map's colour legend does not print the same label twice when the shares span a few
    points (a province's D 类 shares of 4–6 %: ticks every 0.5 printed as whole numbers read '4 5 5 6')."""
    import re

    import vl_convert as vlc

    from cockpit.report import brief

    brief._register_fonts(vlc)
    df, options, _ = ALL_BUILDERS["area_map"]
    two = pd.concat([df, df.assign(area_code="A2", area_name="乙区", share_pct=6.1)], ignore_index=True)
    two.loc[0, "share_pct"] = 3.9
    svg = vlc.vegalite_to_svg(charts.vega_lite_values(charts.area_map(two, **options), width=400))
    legend = svg[svg.index('class="mark-group role-legend"') :]
    labels = re.findall(r"role-legend-label.*?</g>", legend, flags=re.S)
    texts = re.findall(r">([0-9.]+)</text>", labels[0] if labels else legend)
    assert len(texts) >= 3 and len(set(texts)) == len(texts), texts
