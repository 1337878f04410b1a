"""Pure tests: chart axis choices, the neutral 0.0 change, the card grid's columns, the empty-state reason."""

import dataclasses

import pandas as pd
import pytest

from cockpit.app import fit
from cockpit.app.filters import Filters
from cockpit.domain import cards, empty
from cockpit.report import charts


def axis_of(chart_dict: dict, channel: str) -> dict:
    """The axis and title of `channel` in the first layer that encodes it."""
    layers = [chart_dict, *chart_dict.get("layer", [])]
    for layer in layers:
        for sub in [layer, *layer.get("layer", [])]:
            enc = sub.get("encoding", {}).get(channel)
            if enc and ("axis" in enc or "title" in enc):
                return enc
    raise AssertionError(f"no {channel} encoding")


def test_count_axes_are_integers_and_titled_as_units():
    """Test that a count axis (个) has integer ticks (tickMinStep 1, format d) and a title that names the unit."""
    df = pd.DataFrame({"month": [1, 2, 3], "found": [1, 2, 1], "rectified": [0, 1, 2], "open": [1, 2, 1]})
    spec = charts.flows_and_stock(
        df,
        x="month",
        bars={"found": "发现", "rectified": "整改"},
        line=("open", "未整改"),
        title="t",
        unit="个",
        measure="隐患数",
    )
    y = axis_of(spec, "y")
    assert y["axis"]["tickMinStep"] == 1 and y["axis"]["format"] == ",d"
    assert y["title"] == "隐患数（个）"
    assert charts.unit_title("个") == "数量（个）" and charts.unit_title("亿元") == "单位：亿元"


def test_small_amounts_get_ticks_that_differ():
    """Test that 亿元 bars of 0.2–1.4 (the 投资 growth sources) are not formatted to whole numbers ("0 0 1 1")."""
    df = pd.DataFrame({"part": ["甲", "乙", "丙"], "invest_wan": [2000.0, 9000.0, 14000.0]})
    x = axis_of(charts.ranked_bars(df, category="part", value="invest_wan", title="t", unit="亿元", scale=1e4), "x")
    fmt = x["axis"]["format"]
    assert "~" in fmt and ".0f" not in fmt  # 0.2 → "0.2", 1 → "1"
    assert x["title"] == "单位：亿元"


def test_a_share_axis_starts_at_zero():
    """Test that 高新占比 96.5–97.0 is drawn on 0–100 %, not on a zoomed axis that turns 0.2 points into a cliff."""
    df = pd.DataFrame({"year": [2023, 2024], "high_tech_va_wan": [1e5, 1.1e5], "share_pct": [96.6, 96.8]})
    spec = charts.bars_with_share(
        df, x="year", bar="high_tech_va_wan", share="share_pct", title="t", bar_title="亿元", share_title="占比（%）"
    )
    shares = [
        enc
        for layer in spec["layer"]
        for sub in [layer, *layer.get("layer", [])]
        for ch, enc in sub.get("encoding", {}).items()
        if ch == "y" and "share_pct" in str(enc)
    ]
    assert shares and all(enc["scale"]["domain"] == [0, 100] for enc in shares)


def _card_with_change(real_db, change):
    from cockpit.data.config import load_rules
    from cockpit.domain import indicators

    e = indicators.evaluate(real_db.run, Filters(2024, 9), load_rules(), ["output"])[0]
    return cards.card(dataclasses.replace(e, change=change))


@pytest.mark.parametrize(
    "change,arrow,tone",
    [(0.04, "off", "neutral"), (-0.04, "off", "neutral"), (0.06, "up", "good"), (-0.2, "down", "bad")],
)
def test_a_change_that_reads_zero_is_grey(real_db, change, arrow, tone):
    """Test that 同比 +0.04% (shown '+0.0%') has no arrow and a neutral colour, +0.06% ('+0.1%') a green ↑."""
    c = _card_with_change(real_db, change)
    assert (c.direction, c.tone) == (arrow, tone)


def test_grid_columns_are_capped_by_per_row():
    """Test the grid track: at most n columns of at least CARD_MIN, one column for n = 1."""
    assert fit.columns_track(1) == "minmax(0, 1fr)"
    track = fit.columns_track(4, "12rem", "1rem")
    assert track == "repeat(auto-fill, minmax(max(min(12rem, 100%), calc((100% - 3 * 1rem) / 4)), 1fr))"
    assert fit.grid_key("a,b", 9).startswith("cards-n6-") and fit.grid_key("a,b", 3, present=True).startswith(
        "cards-p3-"
    )
    assert fit.grid_key("a,b", 4) != fit.grid_key("a,c", 4)
    css = fit.css()
    assert all(f"st-key-cards-n{n}-" in css for n in range(1, 7)) and "更多" in css


def size(in_scope, in_industry, in_areas, in_both):
    return pd.DataFrame(
        {"in_scope": [in_scope], "in_industry": [in_industry], "in_areas": [in_areas], "in_industry_areas": [in_both]}
    )


AREAS = {"THQ": "通航智造产业区", "HBQ": "华埠片区"}
SECTORS = {"C26": "化学原料和化学制品制造业"}


@pytest.mark.parametrize(
    "counts,f,expected",
    [
        ((3, 35, 3, 3), Filters(2024, 9, ("新材料",), (), ("THQ",)), None),
        ((0, 35, 3, 0), Filters(2024, 9, ("新材料",), (), ("THQ",)), "通航智造产业区没有新材料产业链的企业"),
        ((0, 0, 166, 0), Filters(2024, 9, (), ("C26",)), "化学原料和化学制品制造业行业没有企业"),
        (
            (0, 35, 3, 2),
            Filters(2024, 9, ("新材料",), (), ("THQ",), True),
            "通航智造产业区、新材料产业链没有高新技术企业",
        ),
        ((0, 166, 0, 0), Filters(2024, 9, (), (), ("HBQ",)), "华埠片区没有企业"),
        ((0, 0, 0, 0), Filters(2024, 9), None),
    ],
)
def test_empty_reason(counts, f, expected):
    """Test that the reason names what is missing where (hand-made counts)."""
    assert empty.reason(size(*counts), f, SECTORS, AREAS) == expected


def test_empty_message_reads_chinese():
    assert empty.message("通航智造产业区没有新材料产业链的企业") == (
        "本筛选范围内无数据：通航智造产业区没有新材料产业链的企业。" + empty.HINT
    )
    assert empty.message(None).startswith("本筛选范围内无数据。")


def test_scope_size_counts_the_sample(real_db):
    """Test Scope.holds over scope_cells on the sample for the parts of a scope: 通航智造产业区 holds 3 enterprises,
    新材料 35, none of them both (counted with pandas from the parquet)."""
    areas = real_db.run("areas").set_index("area_name")["area_code"]
    f = Filters(2024, 9, chains=("新材料",), areas=(areas["通航智造产业区"],), high_tech_only=True)
    cells = real_db.run("scope_cells")
    got = {name: s.holds(cells) for name, s in empty.parts(f.scope).items()}
    ents = pd.read_parquet(real_db.directory / "enterprises.parquet")
    chains = pd.read_parquet(real_db.directory / "sectors.parquet").set_index("sector_code")["chain"]
    chain, area = ents["sector_code"].map(chains) == "新材料", ents["area_code"] == areas["通航智造产业区"]
    assert got == {
        "in_scope": int((chain & area & ents["is_high_tech"]).sum()),
        "in_industry": int(chain.sum()),
        "in_areas": int(area.sum()),
        "in_industry_areas": int((chain & area).sum()),
    }
    assert (got["in_industry"], got["in_areas"], got["in_industry_areas"]) == (35, 3, 0)


def test_scope_holds_agrees_with_the_sql_scope_for_every_choice(real_db):
    """Test that Scope.holds over scope_cells counts the enterprises SQL's in_scope selects (scoped_enterprises, via
    mujun_scope: one row per enterprise in scope) for each single choice of every dimension, pairs of 产业链 × 片区
    with the 高新 toggle, a choice of two, and a choice that matches nothing."""
    import itertools

    from cockpit.data.dimensions import DIMENSIONS, Scope

    cells = real_db.run("scope_cells")
    scopes = [Scope()]
    for d in DIMENSIONS:
        values = [True] if d.flag else sorted(cells[d.column].dropna().astype(str).unique())
        scopes += [Scope.of(**{d.param: v if d.flag else (v,)}) for v in values]
        if not d.flag:
            scopes.append(Scope.of(**{d.param: tuple(values[:2])}))
            scopes.append(Scope.of(**{d.param: ("no such key",)}))
    chains, areas = sorted(cells["chain"].dropna().unique()), sorted(cells["area_code"].dropna().unique())
    scopes += [
        Scope.of(chains=(c,), areas=(a,), high_tech_only=h)
        for c, a, h in itertools.product(chains, areas, (False, True))
    ]
    got = [s.holds(cells) for s in scopes]
    want = [len(real_db.run("mujun_scope", {"scope": s})) for s in scopes]
    assert got == want
    assert got[0] == len(real_db.run("mujun_scope", {"scope": Scope()})) > 0 and 0 in got and len(set(got)) > 10


def test_a_long_title_breaks_after_its_colon_only_when_the_chart_is_narrower():
    """Test that a 'what：of which' title becomes an expression on the chart's width: two lines (split after '：')
    below the title's estimated one-line width (15 px a CJK character in the house theme, 26 in 演示模式), one line
    above; the spec stays valid Vega-Lite; titles without '：' are left alone."""
    import json

    from altair.vegalite.v6.schema import core

    df = pd.DataFrame({"year": [2024, 2024], "month": [1, 2], "accepted_ytd_mu": [1.0, 2.0]})
    spec = charts.spec(
        charts.ytd_trend,
        df,
        value="accepted_ytd_mu",
        scale=1.0,
        unit="亩",
        title="整治验收面积 逐月累计：2024年与2023年（亩）",
    )
    fitted = charts.fit_title(spec)
    core.Root.validate({k: v for k, v in fitted.items() if k != "datasets"})
    expr = fitted["title"]["text"]["expr"]
    # 17 CJK characters (15 px) and 9 others (a space, 8 digits: 0.6 × 15 px): 255 + 81 = 336 px
    assert expr == (
        'width < 336 ? ["整治验收面积 逐月累计：", "2024年与2023年（亩）"] : "整治验收面积 逐月累计：2024年与2023年（亩）"'
    )
    assert spec["title"] == "整治验收面积 逐月累计：2024年与2023年（亩）", "the cached spec must not change"
    bigger = charts.fit_title({**spec, "config": {**spec["config"], "title": {"fontSize": 26}}})
    assert bigger["title"]["text"]["expr"].startswith("width < 582 ?")  # 17 × 26 + 9 × 15.6
    plain = {**spec, "title": "隐患数量"}
    assert charts.fit_title(plain) is plain
    unit = charts.fit_title({**spec, "title": "2024年隐患逐月发现、整改与月末未整改（个）"})
    # 19 wide characters, 4 digits: 19 × 15 + 4 × 9 = 321 px; the break goes before the unit
    assert unit["title"]["text"]["expr"] == (
        'width < 321 ? ["2024年隐患逐月发现、整改与月末未整改", "（个）"] : "2024年隐患逐月发现、整改与月末未整改（个）"'
    )
    assert json.dumps(fitted, default=str)


def test_light_cells_make_one_word_lists_and_keep_the_frame():
    """Test that a status column becomes one-word lists (no word: an empty list) for a label column, that the frame
    passed in is not changed, and that the column config tints each word with its colour (unknown: gray) and keeps
    the given label."""
    frame = pd.DataFrame({"light": ["红 · 严重滞后", None, fit.DASH, "黄 · 滞后"], "n": [1, 2, 3, 4]})
    shown = fit.light_cells(frame, ["light"])
    assert shown["light"].tolist() == [["红 · 严重滞后"], [], [], ["黄 · 滞后"]]
    typed = pd.DataFrame({"light": pd.array(["红 · 严重滞后", pd.NA], dtype="string")})  # pandas' own missing text
    assert fit.light_cells(typed, ["light"])["light"].tolist() == [["红 · 严重滞后"], []]
    assert frame["light"].tolist()[0] == "红 · 严重滞后" and shown["n"].tolist() == [1, 2, 3, 4]
    config = fit.light_columns(
        {"light": {"红 · 严重滞后": "red", "黄 · 滞后": "yellow", "其他": "purple"}},
        {"light": {"label": "预警", "help": "逾期月数"}},
    )["light"]
    assert config["label"] == "预警" and config["help"] == "逾期月数" and config["disabled"] is True
    assert config["type_config"]["options"] == [
        {"value": "红 · 严重滞后", "color": fit.LIGHT_BG["red"]},
        {"value": "黄 · 滞后", "color": fit.LIGHT_BG["yellow"]},
        {"value": "其他", "color": fit.LIGHT_BG["gray"]},
    ]


def test_stacked_bars_give_long_category_labels_two_lines_on_a_narrow_chart():
    """Test that the 按片区 stacked bars keep a 40 px row per category (room for two label lines) and label the
    categories with the two-line expression: on a container narrower than 560 px a label longer than 7 characters
    breaks after its '·' (else in the middle); the spec stays valid Vega-Lite."""
    from altair.vegalite.v6.schema import core

    df = pd.DataFrame(
        {"area": ["新材料新装备产业园·化工集聚区", "华埠片区"], "done": [350, 130], "doing": [10, 5], "late": [3, 0]}
    )
    spec = charts.spec(
        charts.selectable_stacked_bars,
        df,
        category="area",
        parts={"done": "已整改", "doing": "整改中", "late": "到期未整改"},
        title="按片区：本期隐患构成（个）",
        unit="个",
        selection="pick",
    )
    core.Root.validate({k: v for k, v in spec.items() if k != "datasets"})
    assert spec["height"] == {"step": charts.ROW_PX} == {"step": 40}
    expr = spec["encoding"]["y"]["axis"]["labelExpr"]
    assert expr == charts.TWO_LINE_LABEL
    assert "containerSize()[0] > 0 && containerSize()[0] < 560 && length(datum.label) > 7" in expr
    assert "indexof(datum.label, '·')" in expr
