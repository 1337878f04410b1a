"""The filter dimensions declared once (cockpit.data.dimensions): the scope value, its description, the URL keys, the
options of the filter bar, and the agreement of the declarations with SQL."""

import re

import pandas as pd
import pytest

from cockpit.app.filters import KEYS, Filters, options
from cockpit.data import dimensions as dims
from cockpit.data.db import KEY_MACROS, load_query, query_names
from cockpit.data.dimensions import DIMENSIONS, EVERYTHING, Scope, scope_from, with_scope
from cockpit.data.schema import SPECS

FRAMES = {
    "sectors": pd.DataFrame(
        {
            "sector_code": ["26", "38", "15"],
            "sector_name": ["化工", "电气", "酒饮料"],
            "chain": ["新材料", "新材料", "食品饮料"],
        }
    ),
    "areas": pd.DataFrame({"area_code": ["A1", "A2"], "area_name": ["东区", "西区"]}),
}


def test_scope_defaults_to_everything_and_reads_by_param():
    """Test that unnamed dimensions mean "all", values are normalised to tuples / bools, and the STRUCT value
    binds lists."""
    s = Scope.of(chains=["新材料"], high_tech_only=1)
    assert s["chains"] == ("新材料",) and s["areas"] == () and s["high_tech_only"] is True
    assert s.active() == {"chain", "hitech"}
    assert EVERYTHING.active() == frozenset() and EVERYTHING == Scope.of()
    assert s.sql()["chains"] == ["新材料"] and s.sql()["areas"] == []
    assert set(s.sql()) == {d.param for d in DIMENSIONS}
    with pytest.raises(TypeError):
        Scope.of(colour=["红"])


def test_scope_only_keeps_the_named_dimensions():
    """Test that only() resets every other dimension to "all"."""
    s = Scope.of(chains=["新材料"], areas=["A1"])
    assert s.only({"area"}) == Scope.of(areas=["A1"])


def test_with_scope_merges_dimension_keys_into_the_scope():
    """Test that a query declaring $scope gets one Scope: from "scope", with the dimensions' own keys replacing its
    values; nothing is made when neither is given (the query then reports the missing parameter)."""
    base = {"year": 2023, "scope": Scope.of(chains=["新材料"])}
    assert with_scope(base, {"year": "INTEGER", "scope": "STRUCT"})["scope"] == Scope.of(chains=["新材料"])
    merged = with_scope({**base, "areas": ["A2"]}, {"scope": "STRUCT"})["scope"]
    assert merged == Scope.of(chains=["新材料"], areas=["A2"])
    assert with_scope({"sectors": ["26"]}, {"scope": "STRUCT"})["scope"] == Scope.of(sectors=["26"])
    assert "scope" not in with_scope({"year": 2023}, {"scope": "STRUCT"})
    assert with_scope({"areas": ["A1"]}, {"year": "INTEGER"}) == {"areas": ["A1"]}  # not declared: untouched
    assert scope_from({"scope": {"areas": ["A1"]}}) == Scope.of(areas=["A1"])


def test_filters_describe_and_read_each_dimension():
    """Test the scope line and the attribute access of Filters."""
    f = Filters(2024, 9, chains=("新材料",), sectors=("26",), high_tech_only=True)
    assert f.chains == ("新材料",) and f.areas == () and f.high_tech_only is True and f.is_filtered
    names = {"sectors": {"26": "化工"}, "areas": {"A1": "东区"}}
    assert f.describe(names) == "2024年1—9月 · 产业链：新材料 · 行业：化工 · 全部片区 · 仅高新技术产业"
    assert Filters(2024, 9, areas=("A1",)).describe(names) == "2024年1—9月 · 全部产业链 · 片区：东区"
    assert Filters(2024, 9).params() == {"year": 2024, "month": 9, "scope": EVERYTHING}
    assert not Filters(2024, 9).is_filtered
    assert Filters(2024, 9, scope=Scope.of(areas=["A1"])) == Filters(2024, 9, areas=("A1",))
    assert Filters(2024, 9, Scope.of(areas=["A1"])) == Filters(2024, 9, (), (), ("A1",)) == Filters(2024, 9, areas="A1")
    assert Filters(2024, 9, ("新材料",), (), (), True) == Filters(2024, 9, chains=("新材料",), high_tech_only=True)


def test_url_keys_and_labels_come_from_the_declarations():
    """Test that each dimension has its own URL key next to the period's."""
    assert KEYS[:2] == ("year", "month") and KEYS[2:] == tuple(d.url for d in DIMENSIONS)
    assert len(set(KEYS)) == len(KEYS)


def test_options_narrow_sectors_by_the_chosen_chain():
    """Test the filter bar's options: 产业链 by name, 行业 code → name, only those of the chosen 产业链."""
    opts = options(FRAMES, {})
    assert opts["chains"] == {"新材料": "新材料", "食品饮料": "食品饮料"}
    assert opts["sectors"] == {"26": "化工", "38": "电气", "15": "酒饮料"}
    assert opts["areas"] == {"A1": "东区", "A2": "西区"}
    assert options(FRAMES, {"chains": ("食品饮料",)})["sectors"] == {"15": "酒饮料"}
    assert "high_tech_only" not in opts  # a toggle has no options


def test_every_dimension_is_declared_in_the_key_macros_and_in_scope():
    """Test that each dimension's key column is a column of enterprise_keys() and project_keys() and is read by
    in_scope through its $scope field (keys.sql is the only SQL a new dimension needs)."""
    sql = KEY_MACROS.read_text(encoding="utf-8")
    for d in DIMENSIONS:
        assert sql.count(f"scope['{d.param}']") >= 2, d.param  # in_scope and scope_is_all
        assert f"k['{d.column}']" in sql, d.column
        for macro in ("enterprise_keys", "project_keys"):
            body = re.search(rf"create macro {macro}\(\) as table(.*?);", sql, re.S).group(1)
            assert re.search(rf"\b{d.column}\b", body), (macro, d.column)


def test_dimension_tables_and_option_columns_exist():
    """Test that the declared tables are tables of the schema and the options queries exist."""
    for d in DIMENSIONS:
        assert set(d.tables) <= set(SPECS), d.key
        assert not d.options or d.options in query_names(), d.key


def test_query_headers_take_the_scope_as_one_value():
    """Test that no query header names a dimension parameter of its own: the scope is one $scope STRUCT."""
    for name in query_names():
        params = load_query(name).params
        assert not set(params) & {d.param for d in DIMENSIONS}, name
        assert params.get("scope", "STRUCT") == "STRUCT", name


def test_followed_reads_which_dimensions_a_query_applies():
    """Test the reading of a query's scope use: none, only 片区 (in_areas), or all (the scope macros)."""
    assert dims.followed("select 1") == dims.NONE
    assert dims.followed("-- params: $scope STRUCT\nselect * from t where in_areas(area_code, $scope)") == dims.AREA
    assert dims.followed("select * from scoped_enterprises($scope)") == dims.ALL


def test_a_declared_column_missing_from_a_file_reads_as_empty(tmp_path):
    """Test that a file written before an optional column was declared still serves the queries: the column is
    null (here: the enterprises without first_year, the 首次入规年份)."""
    import tiny

    from cockpit.data.db import Database

    tiny.write(tmp_path)
    path = tmp_path / "enterprises.parquet"
    pd.read_parquet(path).drop(columns=["first_year"]).to_parquet(path, index=False)
    con = Database(tmp_path).con.cursor()
    assert con.execute("select count(*), count(first_year) from enterprises").fetchone() == (3, 0)


# --- 企业规模: a dimension added by its declaration, a column of the register and a line of keys.sql --------------


def _tiny_with_sizes(directory, sizes):
    import tiny

    from cockpit.data.db import Database

    tiny.write(directory)
    path = directory / "enterprises.parquet"
    df = pd.read_parquet(path)
    df["size_class"] = df["ent_id"].map(sizes)
    df.to_parquet(path, index=False)
    return Database(directory)


def test_size_filter_selects_the_enterprises_of_that_size(tmp_path):
    """Test the 企业规模 filter on tiny (E1 甲化工 大型; E2 乙电气, E3 丙饮料 小型): 1—2月 产值 2023 / 2022 is
    240 / 200 for 大型 and 80 + 60 / 100 for 小型; nothing is 中型; with 片区 A2 the 小型 are E2 and E3 again."""
    db = _tiny_with_sizes(tmp_path, {"E1": "大型", "E2": "小型", "E3": "小型"})

    def output(**picks):
        rows = db.run("industry_kpis", {"year": 2023, "month": 2, "scope": Scope.of(**picks)}).set_index("year")
        return [None if v != v else v for v in (rows.at[2023, "output_wan"], rows.at[2022, "output_wan"])]

    assert output(sizes=["大型"]) == [240, 200]
    assert output(sizes=["小型"]) == [140, 100]
    assert output(sizes=["小型", "大型"]) == output() == [380, 300]
    assert output(sizes=["中型"]) == [None, None]
    assert output(sizes=["小型"], areas=["A2"]) == [140, 100]
    kpis = db.run("industry_kpis", {"year": 2023, "month": 2, "scope": Scope.of(sizes=["小型"])})
    assert int(kpis.set_index("year").at[2023, "enterprise_count"]) == 2


def test_size_is_a_filter_of_the_bar_with_its_own_url_key():
    """Test that 企业规模 is offered with the register's four values and read from the URL key `size`."""
    assert "size" in KEYS
    assert options(FRAMES, {})["sizes"] == {"大型": "大型", "中型": "中型", "小型": "小型", "微型": "微型"}
    assert Filters(2024, 9, sizes=("小型",)).describe() == "2024年1—9月 · 全部产业链 · 全部片区 · 企业规模：小型"


def test_size_is_importable_and_checked():
    """Test that the register's 企业规模 column is read from its Chinese header, blank allowed, and a value
    outside 大型 / 中型 / 小型 / 微型 is named in Chinese."""
    from cockpit.data import ingest

    current = {
        "sectors": pd.DataFrame(
            {"sector_code": ["26"], "sector_name": ["化工"], "chain": ["新材料"], "is_high_tech": [False]}
        ),
        "areas": pd.DataFrame({"area_code": ["A1"], "area_name": ["东区"]}),
    }
    spec = SPECS["enterprises"]
    row = {
        spec.col(c).header: v
        for c, v in (
            ("ent_id", "91330824MA2A0B1C2D"),
            ("ent_name", "甲化工"),
            ("sector_code", "26"),
            ("area_code", "A1"),
            ("land_mu", "10"),
            ("is_above_scale", "是"),
            ("is_high_tech", "否"),
        )
    }
    for size, ok in (("小型", True), ("", True), ("特大型", False)):
        raw = pd.DataFrame([{**row, "企业规模": size}])
        v = ingest.validate(raw, "enterprises", current)
        messages = " ".join(p["问题"] for p in v.problems.rows)
        assert v.ok == ok, messages
        if ok:
            assert v.clean["size_class"].iloc[0] == (size or None)
        else:
            assert "取值不在允许范围内" in messages and "大型、中型、小型、微型" in messages


def test_a_target_applies_only_to_its_own_scope():
    """Test that a 产业链 or 片区 target applies when that one choice is all the figure follows, and no target
    applies once another dimension (企业规模 included) narrows it."""
    from cockpit.domain.indicators import target_scope

    assert target_scope(Filters(2024, 9), dims.ALL) == ("全区", "")
    assert target_scope(Filters(2024, 9, chains=("新材料",)), dims.ALL) == ("产业链", "新材料")
    assert target_scope(Filters(2024, 9, areas=("A1",)), dims.ALL) == ("片区", "A1")
    assert target_scope(Filters(2024, 9, areas=("A1",), sizes=("小型",)), dims.ALL) is None
    assert target_scope(Filters(2024, 9, sizes=("小型",)), dims.ALL) is None
    assert target_scope(Filters(2024, 9, areas=("A1",), sizes=("小型",)), dims.AREA) == ("片区", "A1")
    assert target_scope(Filters(2024, 9, chains=("新材料", "食品饮料")), dims.ALL) is None
