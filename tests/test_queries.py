"""Named queries on the tiny hand-made dataset; every expected number is worked out by hand in tiny.py."""

import pytest

from cockpit.data.db import Database, load_query, query_names
from cockpit.data.dimensions import EVERYTHING

ALL = {"scope": EVERYTHING}


def params(**kw):
    return {**ALL, "year": 2023, "month": 2, **kw}


def by_year(df):
    return {int(r["year"]): r for _, r in df.iterrows()}


SAMPLE_VALUES = {
    "INTEGER": 2023,
    "VARCHAR[]": [],
    "BOOLEAN": False,
    "VARCHAR": "x",
    "DOUBLE": 1.0,
    "DATE": "2023-02-28",
    "STRUCT": EVERYTHING.sql(),
}
SAMPLE_BY_NAME = {"month": 2}


@pytest.mark.parametrize("name", query_names())
def test_query_runs_with_exactly_its_declared_parameters(name, tiny_db):
    """Test that each query file binds exactly the parameters its header declares."""
    spec = load_query(name)
    bound = {p: SAMPLE_BY_NAME.get(p, SAMPLE_VALUES[t]) for p, t in spec.params.items()}
    cur = tiny_db.con.cursor()
    cur.execute(spec.sql, bound).df()  # DuckDB rejects missing and extra parameters
    if bound:
        with pytest.raises(Exception):
            cur.execute(spec.sql, {**bound, "not_declared": 1})


def test_industry_kpis_ytd_and_last_year(tiny_db):
    """Test that 累计, 当月, 高新, 亩均 and the 规上企业数 follow the hand-computed values."""
    rows = by_year(tiny_db.run("industry_kpis", params()))
    cur, prev = rows[2023], rows[2022]
    assert cur["output_wan"] == 240 + 80 + 60
    assert prev["output_wan"] == 200 + 100
    assert cur["value_added_wan"] == 48 + 16 + 12
    assert cur["high_tech_va_wan"] == 48
    assert cur["output_month_wan"] == 240 + 80 + 60  # as of 2月 the 当月 is 1—2月, published together
    assert by_year(tiny_db.run("industry_kpis", params(month=3)))[2023]["output_month_wan"] == 120 + 40 + 30
    assert cur["land_mu"] == 35 and prev["land_mu"] == 30
    assert cur["mujun_va_wan_per_mu"] == pytest.approx(76 / 35)
    assert cur["enterprise_count"] == 3 and prev["enterprise_count"] == 2
    assert cur["county_output_wan"] == 2000 and prev["county_output_wan"] == 1600


def test_industry_kpis_as_of_month(tiny_db):
    """Test that the as-of month cuts the 累计 (1—3月 includes March)."""
    rows = by_year(tiny_db.run("industry_kpis", params(month=3)))
    assert rows[2023]["output_wan"] == 360 + 120 + 90


@pytest.mark.parametrize(
    "filt, cur, prev",
    [
        ({"chains": ["新材料"]}, 240, 200),
        ({"sectors": ["38"]}, 80, 100),
        ({"areas": ["A2"]}, 140, 100),
        ({"high_tech_only": True}, 240, 200),
        ({"chains": ["新材料"], "areas": ["A2"]}, None, None),
    ],
)
def test_industry_kpis_filters(tiny_db, filt, cur, prev):
    """Test that 产业链, 行业, 片区 and 高新 filters select the right enterprises."""
    rows = by_year(tiny_db.run("industry_kpis", params(**filt)))
    got = [rows[y]["output_wan"] for y in (2023, 2022)]
    assert [None if g != g else g for g in got] == [cur, prev]


def test_injection_through_a_filter_value_selects_nothing(tiny_db):
    """Test that a quote-laden sector value is data, not SQL: it matches no enterprise and raises nothing."""
    evil = "新材料' OR '1'='1"
    for key in ("chains", "sectors", "areas"):
        rows = by_year(tiny_db.run("industry_kpis", params(**{key: [evil]})))
        assert rows[2023]["enterprise_count"] == 0
    assert tiny_db.run("sectors").shape[0] == 3  # tables untouched


def test_investment_kpis(tiny_db):
    """Test that 固定资产投资, 工业投资, 高新投资 and project counts follow the hand-computed values."""
    rows = by_year(tiny_db.run("investment_kpis", params()))
    assert (
        rows[2023]["fai_wan"],
        rows[2023]["industrial_invest_wan"],
        rows[2023]["high_tech_invest_wan"],
        rows[2023]["project_count"],
    ) == (250, 200, 200, 2)
    assert (rows[2022]["fai_wan"], rows[2022]["industrial_invest_wan"], rows[2022]["project_count"]) == (120, 80, 2)
    chain = by_year(tiny_db.run("investment_kpis", params(chains=["新材料"])))
    assert chain[2023]["fai_wan"] == 200  # the infrastructure project drops out under an industry filter


def test_land_kpis(tiny_db):
    """Test that only 验收 actions dated within 1—m月 count, filtered by 片区."""
    assert by_year(tiny_db.run("land_kpis", params()))[2023]["reclaimed_mu"] == 10
    rows = by_year(tiny_db.run("land_kpis", params(month=3)))
    assert rows[2023]["reclaimed_mu"] == 15 and rows[2022]["reclaimed_mu"] == 4
    assert by_year(tiny_db.run("land_kpis", params(month=3, areas=["A2"])))[2023]["reclaimed_mu"] == 5


def test_major_hazards_open_overdue_and_accidents(tiny_db):
    """Test open and overdue 重大隐患 at the month end (hazard_totals' 重大 rows, what the cards read), and accidents
    in 1—m月."""

    def major(**kw):
        df = tiny_db.run("hazard_totals", params(**kw))
        return by_year(df[df["level"] == "重大"])

    rows = major()
    # at 2023-02-28: H1 rectified (late), H2 open past deadline, H3 open within, H5 not yet found
    assert (rows[2023]["open"], rows[2023]["overdue"]) == (2, 1)
    accidents = by_year(tiny_db.run("safety_accidents", params()))
    assert accidents[2023]["accidents"] == 0 and accidents[2022]["accidents"] == 1
    area = major(areas=["A2"])
    assert (area[2023]["open"], area[2023]["overdue"]) == (1, 0)


def test_output_trend_cumulates_by_year(tiny_db):
    """Test that the trend has 当月 and running 累计 for this year (through m) and all of last year."""
    df = tiny_db.run("output_trend", params())
    this = df[df["year"] == 2023]
    assert list(this["month"]) == [1, 2]
    assert list(this["output_ytd_wan"]) == [190, 380]
    assert list(df[df["year"] == 2022]["output_ytd_wan"]) == [150, 300, 450]


def test_output_by_chain(tiny_db):
    """Test that 产值 by 产业链 splits the total and carries last year."""
    df = tiny_db.run("output_by_chain", params()).set_index("chain")
    assert df.loc["新材料", "output_wan"] == 240 and df.loc["新材料", "output_ly_wan"] == 200
    assert df.loc["食品饮料", "output_ly_wan"] == 0
    assert df["output_wan"].sum() == 380


def test_targets_for_year(tiny_db):
    """Test that targets are read for the year asked."""
    df = tiny_db.run("targets_for_year", {"year": 2023})
    assert dict(zip(df["indicator_id"], df["target_value"])) == {"fai": 0.05, "output": 0.1}


def test_run_rejects_unknown_names_and_missing_params(tiny_db):
    """Test that query names are whitelisted and declared parameters are required."""
    with pytest.raises(KeyError):
        tiny_db.run("sectors; drop table x", {})
    with pytest.raises(KeyError):
        tiny_db.run("industry_kpis", {"year": 2023})


def test_connection_is_locked_down(tiny_db):
    """Test that SQL cannot read outside the data directory nor re-enable external access."""
    cur = tiny_db.con.cursor()
    with pytest.raises(Exception):
        cur.execute("select * from read_csv('/etc/passwd')").fetchall()
    with pytest.raises(Exception):
        cur.execute("set enable_external_access=true")


def test_threads_share_the_connection_through_cursors(tiny_db):
    """Test that many threads can run queries at once without errors (a cursor per query)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: tiny_db.run("industry_kpis", params()), range(64)))
    assert all(r.iloc[0]["output_wan"] == 380 for r in results)


def test_data_version_changes_when_a_file_is_replaced(tmp_path):
    """Test that replacing a parquet file changes the data version (so caches miss)."""
    import os

    import tiny

    db = Database(tiny.write(tmp_path))
    before = db.data_version()
    path = tmp_path / "sectors.parquet"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert db.data_version() != before


def test_bond_totals(tiny_db):
    """Test 专项债 sums by event within 1—m月."""
    df = tiny_db.run("bond_totals", params()).set_index("event")["amount_wan"].to_dict()
    assert df == {"申报": 1000, "获批": 800}
