"""亩均效益综合评价: scores and classes on hand-checked fixtures, the rules file, the named queries.

Fixed benchmarks make the arithmetic easy: 亩均税收 10, 亩均增加值 100, 单位能耗增加值 1, 单位排放增加值 10,
全员劳动生产率 10, R&D 占比 2 %; weights 30/20/20/10/10/10. The "standard" enterprise (10 亩, 税收 100,
增加值 1000, 能耗 1000, 排放 100, 100 人, R&D 20 of 营收 1000) meets every benchmark exactly: 100 分.
"""

import numpy as np
import pandas as pd
import pytest

from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import format as fmt
from cockpit.domain import mujun

FIXED = {
    "tax_per_mu": 10.0,
    "va_per_mu": 100.0,
    "va_per_energy": 1.0,
    "va_per_emission": 10.0,
    "labour_productivity": 10.0,
    "rd_share": 2.0,
}
ALL = {"scope": EVERYTHING}


def cfg(**over) -> mujun.Config:
    raw = {"benchmark": {"mode": "fixed", "fixed": FIXED}}
    for key, value in over.items():
        section, _, name = key.partition("__")
        raw.setdefault(section, {})[name] = value
    return mujun.parse_config(raw)


def ent(
    ent_id,
    *,
    parcel=None,
    land=10.0,
    tax=100.0,
    va=1000.0,
    energy=1000.0,
    emission=100.0,
    employees=100.0,
    rd=20.0,
    revenue=1000.0,
    year=2023,
    chain="新材料",
    area="A1",
):
    return {
        "year": year,
        "ent_id": ent_id,
        "ent_name": f"企业{ent_id}",
        "sector_code": "26",
        "sector_name": "化学原料和化学制品制造业",
        "chain": chain,
        "area_code": area,
        "area_name": f"片区{area}",
        "parcel_id": parcel or f"P-{ent_id}",
        "land_mu": land,
        "is_high_tech": False,
        "in_scope": True,
        "months": 12,
        "tax_wan": tax,
        "value_added_wan": va,
        "revenue_wan": revenue,
        "output_wan": va * 4,
        "energy_tce": energy,
        "emission_t": emission,
        "employees": employees,
        "rd_wan": rd,
    }


def frame(*rows):
    return pd.DataFrame(list(rows))


def scores(ev) -> dict[str, float]:
    return dict(zip(ev.enterprises["ent_id"], ev.enterprises["score"]))


def classes(ev) -> dict[str, str]:
    return dict(zip(ev.enterprises["ent_id"], ev.enterprises["cls"]))


def test_standard_enterprise_scores_100_and_double_tax_adds_30():
    """Test that meeting every benchmark gives 100 分 and doubling 亩均税收 adds its weight (30)."""
    ev = mujun.evaluate(frame(ent("S"), ent("T", tax=200.0)), 2023, cfg())
    assert scores(ev)["S"] == pytest.approx(100.0)
    assert scores(ev)["T"] == pytest.approx(130.0)
    table = mujun.indicator_table(ev, "P-T").set_index("指标")
    assert table.at["亩均税收（万元/亩）", "实际值"] == pytest.approx(20.0)
    assert table.at["亩均税收（万元/亩）", "实际值/基准值（%）"] == pytest.approx(200.0)
    assert table.at["亩均税收（万元/亩）", "得分（分）"] == pytest.approx(60.0)
    assert table.at["R&D经费占营业收入比重（%）", "实际值"] == pytest.approx(2.0)


def test_enterprises_on_one_parcel_are_scored_together():
    """Test that two enterprises on one parcel are one unit: sums first, then ratios; both get its score."""
    a = ent(
        "A",
        parcel="P",
        land=4.0,
        tax=10.0,
        va=300.0,
        energy=200.0,
        emission=30.0,
        employees=20.0,
        rd=2.0,
        revenue=300.0,
    )
    b = ent(
        "B",
        parcel="P",
        land=6.0,
        tax=90.0,
        va=700.0,
        energy=800.0,
        emission=70.0,
        employees=80.0,
        rd=18.0,
        revenue=700.0,
    )
    ev = mujun.evaluate(frame(a, b), 2023, cfg())
    assert len(ev.units) == 1 and ev.units.iloc[0]["n_enterprises"] == 2
    assert ev.units.iloc[0]["land_mu"] == pytest.approx(10.0)
    assert scores(ev) == pytest.approx({"A": 100.0, "B": 100.0})
    alone = mujun.evaluate(frame({**a, "parcel_id": "P1"}), 2023, cfg())
    # alone: 税 2.5/亩 → 7.5; 增加值 75/亩 → 15; 能耗 1.5 → 30; 排放 10 → 10; 15 万元/人 → 15; 0.667 % → 3.33
    assert scores(alone)["A"] == pytest.approx(7.5 + 15 + 30 + 10 + 15 + 10 / 3)


@pytest.mark.parametrize(
    "rule, expected, rated",
    [
        ("zero", 80.0, True),  # 单位能耗增加值 missing: its 20 points are 0
        ("reweight", 100.0, True),  # 80 points over 80 weight, scaled to 100
        ("exclude", None, False),  # not rated
    ],
)
def test_missing_indicator_rules(rule, expected, rated):
    """Test that a missing 能耗 (0) scores 0, is reweighted, or excludes the unit, as configured."""
    ev = mujun.evaluate(frame(ent("M", energy=0.0), ent("S")), 2023, cfg(missing__rule=rule))
    assert (mujun.NOT_RATED in mujun.class_order(ev.enterprises, ev.config)) is not rated
    row = ev.enterprises.set_index("ent_id").loc["M"]
    assert row["missing"] == "单位能耗增加值"
    assert bool(row["rated"]) is rated
    if expected is None:
        assert pd.isna(row["score"]) and row["cls"] is None and row["cls_label"] == "未参评"
    else:
        assert row["score"] == pytest.approx(expected)


def test_zero_land_leaves_the_land_indicators_missing():
    """Test that an enterprise with 0 亩 gets no 亩均 values and, by default, 0 points for them (50 分)."""
    ev = mujun.evaluate(frame(ent("Z", land=0.0), ent("S")), 2023, cfg())
    row = ev.enterprises.set_index("ent_id").loc["Z"]
    assert pd.isna(row["tax_per_mu"]) and pd.isna(row["va_per_mu"])
    assert row["missing"] == "亩均税收、亩均增加值"
    assert row["score"] == pytest.approx(50.0)


def test_rank_cutoffs_round_half_up():
    """Test that the class sizes are the rounded cumulative shares (125 units: 25 A, 50 B, 44 C, 6 D)."""
    assert mujun.rank_cutoffs(125, cfg()) == {"A": 25, "B": 75, "C": 119}
    assert mujun.rank_cutoffs(20, cfg()) == {"A": 4, "B": 12, "C": 19}
    assert mujun.rank_cutoffs(10, cfg()) == {"A": 2, "B": 6, "C": 10}


def twenty(ties=False):
    """Twenty units whose 亩均税收 is k 万元/亩 (k = 1…20): score = 70 + 3k."""
    rows = [ent(f"K{k:02d}", tax=10.0 * k) for k in range(1, 21)]
    if ties:  # K16 as good as K17: the 4th and 5th place tie at the A/B boundary
        rows[15] = ent("K16", tax=170.0)
    return frame(*rows)


def test_classes_by_rank_top_20_next_40_next_35_last_5():
    """Test that 20 units split 4 A / 8 B / 7 C / 1 D from the top score down."""
    ev = mujun.evaluate(twenty(), 2023, cfg())
    got = classes(ev)
    assert [k for k, c in got.items() if c == "A"] == ["K17", "K18", "K19", "K20"]
    assert sorted(k for k, c in got.items() if c == "D") == ["K01"]
    assert sum(c == "B" for c in got.values()) == 8 and sum(c == "C" for c in got.values()) == 7
    assert scores(ev)["K20"] == pytest.approx(130.0)
    assert ev.enterprises.set_index("ent_id").at["K20", "rank"] == 1


def test_tied_scores_share_the_better_class_and_rank():
    """Test that two units tied at the A/B boundary both become A and share rank 4."""
    ev = mujun.evaluate(twenty(ties=True), 2023, cfg())
    got = classes(ev)
    assert got["K16"] == "A" and got["K17"] == "A"
    assert sum(c == "A" for c in got.values()) == 5
    ranks = ev.enterprises.set_index("ent_id")["rank"]
    assert ranks["K16"] == ranks["K17"] == 4 and ranks["K15"] == 6


def test_classes_by_threshold():
    """Test that the threshold method uses the score lines: ≥120 A, ≥100 B, ≥80 C, else D."""
    c = cfg(classes__method="threshold", classes__threshold={"A": 120, "B": 100, "C": 80})
    ev = mujun.evaluate(frame(ent("A", tax=140.0), ent("B"), ent("C", tax=95.0), ent("D", tax=30.0)), 2023, c)
    # scores: 70 + 3 × 14 = 112 → B; standard 100 → B; 70 + 28.5 = 98.5 → C; 70 + 9 = 79 → D
    assert classes(ev) == {"A": "B", "B": "B", "C": "C", "D": "D"}
    ev = mujun.evaluate(frame(ent("A", tax=170.0)), 2023, c)  # 70 + 51 = 121
    assert classes(ev) == {"A": "A"}


def test_editing_the_rules_file_changes_the_classes(tmp_path, monkeypatch):
    """Test that a rules file with other cut-offs and names changes classes without code changes."""
    path = tmp_path / "mujun.toml"
    fixed = "\n".join(f"{k} = {v}" for k, v in FIXED.items())
    base = f'[benchmark]\nmode = "fixed"\n[benchmark.fixed]\n{fixed}\n'
    path.write_text(base, encoding="utf-8")
    monkeypatch.setenv("COCKPIT_MUJUN", str(path))
    before = classes(mujun.evaluate(twenty(), 2023, mujun.load_config()))
    path.write_text(
        base + '[classes.rank]\nA = 50\nB = 25\nC = 15\nD = 10\n[classes.names]\nD = "限期整改"\n', encoding="utf-8"
    )
    c = mujun.load_config()
    after = classes(mujun.evaluate(twenty(), 2023, c))
    assert sum(v == "A" for v in before.values()) == 4
    assert sum(v == "A" for v in after.values()) == 10 and sum(v == "D" for v in after.values()) == 2
    assert c.label("D") == "D 类 限期整改"


def test_weights_from_the_rules_file_change_the_score(tmp_path):
    """Test that a weight of 0 for 亩均税收 removes its points from the score."""
    path = tmp_path / "mujun.toml"
    fixed = "\n".join(f"{k} = {v}" for k, v in FIXED.items())
    path.write_text(
        f'[weights]\ntax_per_mu = 0\n[benchmark]\nmode = "fixed"\n[benchmark.fixed]\n{fixed}\n', encoding="utf-8"
    )
    ev = mujun.evaluate(frame(ent("T", tax=200.0)), 2023, mujun.load_config(path))
    assert scores(ev)["T"] == pytest.approx(70.0)


@pytest.mark.parametrize(
    "raw, word",
    [
        ({"weights": {"亩均": 10}}, "未知指标"),
        ({"classes": {"rank": {"A": 30}}}, "合计 100"),
        ({"missing": {"rule": "ignore"}}, "missing"),
        ({"benchmark": {"mode": "fixed"}}, "固定基准值"),
    ],
)
def test_bad_rules_are_refused_with_a_chinese_message(raw, word):
    """Test that an invalid rules file raises a message naming the problem."""
    with pytest.raises(ValueError, match=word):
        mujun.parse_config(raw)


def test_shipped_rules_file_holds_the_default_rules():
    """Test that config/mujun.toml gives weights 30/20/20/10/10/10, rank 20/40/35/5, previous-year benchmarks, cap 3."""
    c = mujun.load_config(mujun.DEFAULT_CONFIG)
    assert list(c.weights.values()) == [30, 20, 20, 10, 10, 10]
    assert c.rank_pct == {"A": 20, "B": 40, "C": 35, "D": 5}
    assert c.method == "rank" and c.benchmark_mode == "previous_year" and c.max_ratio == 3
    assert [c.label(k) for k in "ABCD"] == ["A 类 优先发展", "B 类 提升发展", "C 类 调控帮扶", "D 类 倒逼整治"]


def test_previous_year_benchmarks_are_zone_averages_of_sums():
    """Test that the default benchmark is last year's Σ numerator ÷ Σ denominator, and falls back to this year."""
    rows = frame(
        ent("A", year=2022, land=10.0, tax=100.0),
        ent("B", year=2022, land=30.0, tax=500.0),
        ent("A", year=2023, tax=150.0),
    )
    bench, note = mujun.benchmarks(rows, 2023, mujun.parse_config({}))
    assert bench["tax_per_mu"] == pytest.approx(600 / 40)
    assert bench["rd_share"] == pytest.approx(40 / 2000 * 100)
    assert "2022 年全区平均值" in note
    bench, note = mujun.benchmarks(rows, 2022, mujun.parse_config({}))
    assert bench["tax_per_mu"] == pytest.approx(15.0) and "采用 2022 年" in note


def test_max_ratio_caps_one_indicator():
    """Test that max_ratio = 1.5 caps 亩均税收 at 1.5 × 30 points and 0 leaves it uncapped."""
    ev = mujun.evaluate(frame(ent("T", tax=300.0)), 2023, cfg(benchmark__max_ratio=1.5))
    assert scores(ev)["T"] == pytest.approx(70.0 + 45.0)
    ev = mujun.evaluate(frame(ent("T", tax=300.0)), 2023, cfg(benchmark__max_ratio=0))
    assert scores(ev)["T"] == pytest.approx(70.0 + 90.0)  # 0 = no cap


def test_what_if_returning_land_raises_score_and_class():
    """Test that giving back half the land doubles the 亩均 points and moves K01 from D up the ranking."""
    ev = mujun.evaluate(twenty(), 2023, cfg())
    assert classes(ev)["K01"] == "D"
    # K01: 10 亩 → 5 亩: 亩均税收 2 → 6 points, 亩均增加值 200 → 40 points: 70 − 20 + 40 + 6 = 96
    w = mujun.what_if(ev, "K01", land_mu=5.0)
    assert w.score == pytest.approx(96.0)
    assert w.values["va_per_mu"] == pytest.approx(200.0)
    assert w.rank == 1 + 12 and w.cls == "C" and w.units == 20
    assert w.change == pytest.approx(96.0 - 73.0)
    same = mujun.what_if(ev, "K01")
    assert same.score == pytest.approx(73.0) and same.cls == "D"


def test_what_if_on_a_shared_parcel_changes_the_unit_by_the_difference():
    """Test that raising one tenant's 税收 by 100 raises its parcel's 亩均税收 by 100 / 10 亩."""
    a = ent(
        "A",
        parcel="P",
        land=4.0,
        tax=40.0,
        va=400.0,
        energy=400.0,
        emission=40.0,
        employees=40.0,
        rd=8.0,
        revenue=400.0,
    )
    b = ent(
        "B",
        parcel="P",
        land=6.0,
        tax=60.0,
        va=600.0,
        energy=600.0,
        emission=60.0,
        employees=60.0,
        rd=12.0,
        revenue=600.0,
    )
    ev = mujun.evaluate(frame(a, b), 2023, cfg())
    w = mujun.what_if(ev, "A", tax_wan=140.0)
    assert w.values["tax_per_mu"] == pytest.approx(20.0) and w.score == pytest.approx(130.0)


def test_evaluation_year_uses_the_last_complete_year():
    """Test that a year in progress is evaluated by the last complete year, a complete year as chosen."""
    last = {2021: 12, 2022: 12, 2023: 12, 2024: 9}
    assert mujun.evaluation_year(2023, last)[0] == 2023
    year, note = mujun.evaluation_year(2024, last)
    assert year == 2023 and "2024 年尚未结束" in note and "9 月" in note
    assert mujun.complete_years(last) == [2023, 2022, 2021]


def test_class_counts_and_history_and_d_list():
    """Test that class counts, an enterprise's class history and the D list follow the evaluation."""
    rows = pd.concat([twenty(), twenty().assign(year=2022, tax_wan=lambda d: d["tax_wan"][::-1].values)])
    c = cfg()
    ev = mujun.evaluate(rows, 2023, c)
    counts = mujun.class_counts(ev.enterprises, None, c).set_index("cls_label")["count"].to_dict()
    assert counts == {"A 类 优先发展": 4, "B 类 提升发展": 8, "C 类 调控帮扶": 7, "D 类 倒逼整治": 1}
    hist = mujun.class_history(rows, "K01", [2022, 2023], c)
    assert list(hist["cls"]) == ["A", "D"] and list(hist["year"]) == [2022, 2023]
    actions = pd.DataFrame(
        {
            "parcel_id": ["P-K01"],
            "action_id": ["L9"],
            "plan_year": [2024],
            "method": ["提升改造"],
            "status": ["实施"],
            "area_mu": [10.0],
            "date_accepted": [None],
        }
    )
    d = mujun.d_class_list(ev, actions)
    assert list(d["ent_id"]) == ["K01"] and d.iloc[0]["status"] == "实施"
    assert d.iloc[0]["parcel_id"] == "P-K01" and d.iloc[0]["land_mu"] == 10.0


def test_mujun_inputs_on_tiny_data(tiny_db):
    """Test that mujun_inputs sums each enterprise's year for the whole zone, and read_inputs puts each
    row together with its enterprise from mujun_enterprises by number."""
    figures = tiny_db.run("mujun_inputs")
    assert list(zip(figures["year"], figures["ent_no"])) == [(2022, 0), (2022, 1), (2023, 0), (2023, 1), (2023, 2)]
    ents = tiny_db.run("mujun_enterprises")
    assert list(ents["ent_no"]) == [0, 1, 2] and list(ents["ent_id"]) == ["E1", "E2", "E3"]
    df = mujun.read_inputs(tiny_db.run)
    assert len(df) == 5  # E1, E2 in 2022 and 2023, E3 in 2023
    e1 = df[(df["ent_id"] == "E1") & (df["year"] == 2023)].iloc[0]
    assert e1["months"] == 3 and e1["value_added_wan"] == 72 and e1["tax_wan"] == pytest.approx(18.0)
    assert e1["employees"] == 10 and e1["land_mu"] == 10 and e1["chain"] == "新材料"
    assert e1["ent_name"] == "甲化工" and e1["area_name"] == "化工集聚区" and e1["parcel_id"] == "P1"
    e3 = df[df["ent_id"] == "E3"].iloc[0]
    assert (e3["year"], e3["ent_no"], e3["sector_name"], e3["land_mu"]) == (2023, 2, "酒、饮料和精制茶制造业", 5)
    units = mujun.group_units(df[df["year"] == 2023])
    p2 = units.set_index("unit_id").loc["P2"]
    assert p2["land_mu"] == 25 and p2["value_added_wan"] == 24 + 18 and p2["n_enterprises"] == 2


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({}, [0, 1, 2]),
        ({"chains": ["新材料"]}, [0]),
        ({"areas": ["A2"]}, [1, 2]),
        ({"sectors": ["15", "38"]}, [1, 2]),
        ({"high_tech_only": True}, [0]),
        ({"chains": ["新材料"], "areas": ["A2"]}, []),
    ],
)
def test_mujun_scope_numbers_the_enterprises_in_the_filter(tiny_db, filters, expected):
    """Test that mujun_scope gives the ent_no (as in mujun_inputs) of the enterprises the filters select."""
    assert list(tiny_db.run("mujun_scope", {**ALL, **filters})["ent_no"]) == expected


@pytest.mark.parametrize("method", ["rank", "threshold"])
def test_classify_gives_class_of_for_every_score(method):
    """Test that the one-pass classify equals class_of per score (ties, gaps, unrated units) on 400 scores."""
    rng = np.random.default_rng(7)
    scores = np.round(rng.normal(100, 40, 400), 0)  # rounded: many ties
    scores[rng.choice(400, 30, replace=False)] = np.nan
    c = cfg(classes__method=method, classes__threshold={"A": 140, "B": 100, "C": 60})
    got = mujun.classify(pd.Series(scores), c)
    rated = scores[~np.isnan(scores)]
    want = [mujun.class_of(s, rated, len(rated), c) for s in scores]
    assert list(got) == want
    assert got.isna().sum() == 30 and set(got.dropna()) == set("ABCD")


def test_evaluate_years_is_evaluate_of_each_year_and_gives_the_history():
    """Test that evaluating 2022 and 2023 together equals evaluating each, and the history table reads back."""
    rows = pd.concat([twenty(), twenty().assign(year=2022, tax_wan=lambda d: d["tax_wan"][::-1].values)])
    c = mujun.parse_config({})  # previous-year benchmarks: 2023 is scored against 2022
    both = mujun.evaluate_years(rows, [2022, 2023], c)
    for year in (2022, 2023):
        one = mujun.evaluate(rows, year, c)
        assert both[year].benchmarks == one.benchmarks and both[year].benchmark_note == one.benchmark_note
        pd.testing.assert_frame_equal(both[year].enterprises, one.enterprises)
    table = mujun.history_table(both)
    k01 = mujun.history_of(table, "K01")
    assert list(k01["year"]) == [2022, 2023] and list(k01["cls"]) == ["A", "D"]
    assert list(k01["units"]) == [20, 20] and list(k01["cls_label"]) == ["A 类 优先发展", "D 类 倒逼整治"]
    assert mujun.history_of(table, "K99").empty and list(k01.columns) == mujun.HISTORY_COLUMNS


def test_evaluate_each_reads_a_year_at_a_time_and_equals_evaluate():
    """Test that evaluating year by year from a rows-per-year function gives evaluate's results, asking
    only for each year and the one before (its benchmarks); a year without rows gives empty tables."""
    rows = pd.concat(
        [
            twenty().assign(year=2021),
            twenty().assign(year=2022, tax_wan=lambda d: d["tax_wan"] * 2),
            twenty().assign(year=2023, tax_wan=lambda d: d["tax_wan"][::-1].values),
        ]
    )
    asked = []

    def rows_of(year):
        asked.append(year)
        return rows[rows["year"] == year]

    c = mujun.parse_config({})
    each = list(mujun.evaluate_each(rows_of, [2022, 2023, 2025], c))
    assert [ev.year for ev in each] == [2022, 2023, 2025] and asked == [2021, 2022, 2023, 2024, 2025]
    for ev in each[:2]:
        one = mujun.evaluate(rows, ev.year, c)
        assert ev.benchmarks == one.benchmarks
        pd.testing.assert_frame_equal(ev.enterprises, one.enterprises)
        pd.testing.assert_frame_equal(ev.units, one.units)
    assert each[2].enterprises.empty and each[2].units.empty


def numbered(df):
    return df.assign(ent_no=range(len(df)))


def test_prepared_shows_a_scope_of_the_zone_wide_evaluation():
    """Test that a scope of 5 enterprises keeps their zone-wide ranks and classes, in ranking order."""
    ev = mujun.evaluate(numbered(twenty()), 2023, cfg())  # K01 … K20 get ent_no 0 … 19
    actions = pd.DataFrame(
        {
            "parcel_id": ["P-K01"],
            "action_id": ["L9"],
            "plan_year": [2024],
            "method": ["提升改造"],
            "status": ["实施"],
            "area_mu": [10.0],
            "date_accepted": [None],
        }
    )
    prep = mujun.Prepared(ev, actions)
    assert list(prep.ev.enterprises["ent_id"][:3]) == ["K20", "K19", "K18"]
    assert list(prep.d_list["ent_id"]) == ["K01"] and prep.d_list.iloc[0]["action_id"] == "L9"
    view = prep.scoped([0, 1, 17, 18, 19])  # K01, K02, K18, K19, K20
    assert list(view.enterprises["ent_id"]) == ["K20", "K19", "K18", "K02", "K01"]
    assert list(view.enterprises["rank"]) == [1, 2, 3, 19, 20]
    assert list(view.enterprises["cls"]) == ["A", "A", "A", "C", "D"]
    assert sorted(view.units["unit_id"]) == ["P-K01", "P-K02", "P-K18", "P-K19", "P-K20"]
    assert view.counts.set_index("cls_label")["count"].to_dict() == {
        "A 类 优先发展": 3,
        "C 类 调控帮扶": 1,
        "D 类 倒逼整治": 1,
    }
    assert view.zone["tax_per_mu"] == pytest.approx((200 + 190 + 180 + 20 + 10) / 50)
    assert list(view.d_list["ent_id"]) == ["K01"]
    assert list(prep.scoped([]).enterprises["ent_id"]) == [] and prep.scoped([]).units.empty
    everyone = prep.scoped(None)
    assert everyone.enterprises is prep.ev.enterprises and len(everyone.units) == 20


def test_prepared_shares_a_unit_between_scopes():
    """Test that a parcel with one enterprise in scope is a unit in scope, scored on both enterprises."""
    a, b = ent("A", parcel="P", tax=50.0), ent("B", parcel="P", tax=150.0)
    prep = mujun.Prepared(mujun.evaluate(numbered(frame(a, b, ent("S"))), 2023, cfg()))
    view = prep.scoped([1])  # B only
    assert list(view.enterprises["ent_id"]) == ["B"] and list(view.units["unit_id"]) == ["P"]
    assert view.units.iloc[0]["score"] == pytest.approx(100.0)
    assert prep.ev.enterprise("B")["n_enterprises"] == 2 and prep.ev.unit("P")["land_mu"] == 20.0
    with pytest.raises(KeyError):
        prep.ev.enterprise("nobody")


def test_units_of_parcels_are_looked_up_in_the_units():
    """Test the map's unit lookup: the units of the given parcels (those that have one; repeats once), with their
    class and 亩均税收, equal to selecting them from every unit by hand."""
    a, b, c = ent("A", parcel="P", tax=50.0), ent("B", parcel="P", tax=150.0), ent("C", parcel="Q", tax=20.0)
    prep = mujun.Prepared(mujun.evaluate(numbered(frame(a, b, c)), 2023, cfg()))
    got = prep.units_of(pd.Series(["Q", "none", "P", "Q"], dtype="string"))
    units = prep.ev.units
    by_hand = units[units["unit_id"].isin(["P", "Q"])][["unit_id", "cls_label", "tax_per_mu"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, by_hand)
    assert sorted(got["unit_id"]) == ["P", "Q"] and prep.units_of([]).empty


def test_picker_offers_top_and_d_class_and_finds_names():
    """Test that 250 enterprises give a picker of the top 100 and the last 100 D 类; search finds any name."""
    rows = [ent(f"N{k:03d}", tax=float(k)) for k in range(1, 251)]
    ents = mujun.Prepared(mujun.evaluate(numbered(frame(*rows)), 2023, cfg())).ev.enterprises
    d = ents[ents["cls"] == "D"]
    assert len(d) == 12  # 250 − round(95 % of 250 = 237.5) = 12
    opts = mujun.picker_options(ents, "", 200)
    assert len(opts) == 200 and opts["ent_id"].is_unique
    assert list(opts["ent_id"][:2]) == ["N250", "N249"] and set(d["ent_id"]) <= set(opts["ent_id"])
    assert len(mujun.picker_options(ents, "", 300)) == 250
    few = mujun.picker_options(ents, "", 20)
    assert list(few["ent_id"][:10]) == [f"N{k:03d}" for k in range(250, 240, -1)]
    assert list(few["ent_id"][10:]) == [f"N{k:03d}" for k in range(10, 0, -1)]
    found = mujun.picker_options(ents, " 企业N12", 5)
    assert list(found["ent_id"]) == ["N129", "N128", "N127", "N126", "N125"]
    assert mujun.picker_options(ents, "不存在", 5).empty


def test_shown_note():
    """Test the note under a table that shows only its first rows."""
    assert fmt.shown_note(500, 500, "家") is None
    assert fmt.shown_note(175_432, 500, "家") == "共 175,432 家，显示前 500 家；下载 Excel 可得全部"


def test_mujun_parcel_actions_on_tiny_data(tiny_db):
    """Test that each parcel shows its latest 整治 action (latest plan year, then last id)."""
    df = tiny_db.run("mujun_parcel_actions").set_index("parcel_id")
    assert df.at["P1", "action_id"] == "L1" and df.at["P2", "action_id"] == "L3"
    assert df.at["P2", "status"] == "实施"


def test_zone_mujun_value_added_2023_equals_the_report(real_db):
    """Test that the 2023 zone 亩均增加值 of the evaluation is 109.63 万元/亩, as industry_kpis says."""
    inputs = mujun.read_inputs(real_db.run)
    ev = mujun.evaluate(inputs, 2023, mujun.load_config(mujun.DEFAULT_CONFIG))
    zone = mujun.zone_averages(ev.units)["va_per_mu"]
    kpis = real_db.run("industry_kpis", {**ALL, "year": 2023, "month": 12})
    assert round(zone, 2) == 109.63
    assert zone == pytest.approx(float(kpis.iloc[0]["mujun_va_wan_per_mu"]))
    assert ev.benchmarks["va_per_mu"] == pytest.approx(
        mujun.zone_averages(mujun.group_units(inputs[inputs["year"] == 2022]))["va_per_mu"]
    )


def test_rated_by_area_counts_rated_and_d_class_per_area():
    """Test the 片区 view's counts (hand-checked): enterprises without a class are not counted, D 类 among the
    rated, one row per 片区 in name order, the same as grouping each 片区 by hand."""
    ents = pd.DataFrame(
        {
            "ent_id": ["e1", "e2", "e3", "e4", "e5"],
            "area_name": ["乙区", "甲区", "乙区", "乙区", "甲区"],
            "cls": ["D", "A", None, "D", "D"],
        }
    )
    got = mujun.rated_by_area(ents)
    assert got.to_dict("records") == [
        {"area_name": "乙区", "rated": 2, "d_class": 2},
        {"area_name": "甲区", "rated": 2, "d_class": 1},
    ]
    rated = ents[ents["cls"].notna()]
    by_hand = rated.groupby("area_name").agg(rated=("ent_id", "size"), d_class=("cls", lambda s: (s == "D").sum()))
    pd.testing.assert_frame_equal(got, by_hand.reset_index(), check_dtype=False)
    assert mujun.rated_by_area(ents.iloc[:0]).empty
