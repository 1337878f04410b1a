"""The summary tables built at load time (queries/materialized/) agree with the raw enterprise-months."""

import pytest

from cockpit.data.db import _macro_tables, materialized
from cockpit.data.dimensions import EVERYTHING, Scope

FILTERS = [EVERYTHING, Scope.of(chains=["新材料"]), Scope.of(high_tech_only=True)]

RAW = """
select f.year, s.chain, sum(f.output_wan) as output_wan, sum(f.value_added_wan) as va_wan,
       sum(f.tax_wan) as tax_wan, sum(f.energy_tce) as energy_tce, count(distinct f.ent_id) as ents,
       sum(e.land_mu) filter (where f.month = fm.first_month) as land_mu
from enterprise_month as f
join enterprises as e using (ent_id)
join sectors as s using (sector_code)
join enterprise_keys() as k using (ent_id)
join (select ent_id, year, min(month) as first_month from enterprise_month where month <= $m group by all) as fm
  using (ent_id, year)
where f.month <= $m
  and in_scope($scope, k)
group by all order by all
"""

SUMMARY = """
with sums as (
    select year, chain, sum(output_wan) as output_wan, sum(value_added_wan) as va_wan, sum(tax_wan) as tax_wan,
           sum(energy_tce) as energy_tce
    from scoped_months($scope) where month <= $m group by all
),
entries as (
    select year, chain, sum(enterprises) as ents, sum(land_mu) as land_mu
    from scoped_entries($scope) where first_month <= $m group by all
)
select s.year, s.chain, s.output_wan, s.va_wan, s.tax_wan, s.energy_tce, e.ents, e.land_mu
from sums as s join entries as e using (year, chain)
order by all
"""


def test_summary_tables_are_whitelisted_names():
    """Test that every summary file becomes a table of its own (valid, non-clashing) name, built from the tables
    it reads directly or through the filter dimensions' key macros (queries/macros/keys.sql)."""
    summaries = {name: set(sources) for name, _, sources in materialized()}
    ent, proj = set(_macro_tables()["enterprise_keys"]), set(_macro_tables()["project_keys"])
    assert {"enterprises", "sectors"} <= ent and {"projects", "sectors"} <= proj
    assert summaries == {
        "enterprise_month_cube": {"enterprise_month"} | ent,
        "enterprise_year_entry": {"enterprises", "enterprise_month"} | ent,
        "enterprise_year_months": {"enterprises", "enterprise_month"} | ent,
        "enterprise_pair_cube": {"enterprise_month"} | ent,
        "enterprise_pair_entry": {"enterprise_month"} | ent,
        "enterprise_turnover_entry": {"enterprise_month"} | ent,
        "hazard_facts": {"areas", "hazards"} | ent,
        "parcel_bounds": {"parcels"},
        "project_month_cube": {"projects", "project_month"} | proj,
        "project_year_entry": {"projects", "project_month"} | proj,
    }


@pytest.mark.parametrize("month", [2, 7, 12])
@pytest.mark.parametrize("flt", FILTERS, ids=["all", "chain", "hitech"])
@pytest.mark.parametrize("which", ["tiny_db", "real_db"])
def test_summaries_equal_raw_sums(which, flt, month, request):
    """Test that 1—m月 sums, enterprise counts and land by year and 产业链 read from the summaries equal
    the same figures computed from every enterprise-month, under each kind of filter."""
    db = request.getfixturevalue(which)
    params = {"m": month, "scope": flt.sql()}
    con = db._current().cursor()
    raw = con.execute(RAW, params).df()
    summary = con.execute(SUMMARY, params).df()
    assert len(raw) > 0 and list(raw["year"]) == list(summary["year"])
    assert list(raw["chain"]) == list(summary["chain"])
    for col in ("output_wan", "va_wan", "tax_wan", "energy_tce", "land_mu"):
        assert summary[col].to_numpy() == pytest.approx(raw[col].to_numpy(), rel=1e-9, nan_ok=True), col
    assert list(summary["ents"]) == list(raw["ents"])


@pytest.mark.parametrize("which", ["tiny_db", "real_db"])
def test_project_cube_equals_raw_sums(which, request):
    """Test that monthly 完成投资, 计划 and 到位资金 by 工业/高新 from the project summary equal the raw sums."""
    con = request.getfixturevalue(which)._current().cursor()
    cols = "sum(invest_wan) as invest, sum(plan_wan) as plan, sum(funds_in_wan) as funds"
    raw = con.execute(
        f"select year, month, is_industrial, is_high_tech, {cols} from project_month "
        "join projects using (project_id) group by all order by all"
    ).df()
    cube = con.execute(
        f"select year, month, is_industrial, is_high_tech, {cols} from project_month_cube group by all order by all"
    ).df()
    assert len(raw) > 0 and raw[["year", "month"]].equals(cube[["year", "month"]])
    for col in ("invest", "plan", "funds"):
        assert cube[col].to_numpy() == pytest.approx(raw[col].to_numpy(), rel=1e-9, nan_ok=True)


@pytest.mark.parametrize("month", [1, 2, 9, 12])
@pytest.mark.parametrize("which", ["tiny_db", "real_db"])
def test_month_lists_equal_raw_sums(which, month, request):
    """Test that element m of the per-year running sums (enterprise_year_months) is each enterprise's 1—m月 产值
    and 增加值, first_month says whether it has any row in 1—m月, last_month is its last month with a value, and
    the row carries the enterprise's filter keys and name."""
    con = request.getfixturevalue(which)._current().cursor()
    raw = con.execute(
        "select f.ent_id, f.year, sum(f.output_wan) as o, sum(f.value_added_wan) as v, "
        "  any_value(k.chain) as chain, any_value(k.area_code) as area_code, any_value(e.ent_name) as ent_name "
        "from enterprise_month as f join enterprise_keys() as k using (ent_id) join enterprises as e using (ent_id) "
        "where f.month <= $m group by all order by all",
        {"m": month},
    ).df()
    lists = con.execute(
        "select ent_id, year, output_ytd[$m] as o, value_added_ytd[$m] as v, chain, area_code, ent_name "
        "from enterprise_year_months where first_month <= $m order by all",
        {"m": month},
    ).df()
    assert len(raw) > 0 and raw[["ent_id", "year"]].equals(lists[["ent_id", "year"]])
    assert raw[["chain", "area_code", "ent_name"]].equals(lists[["chain", "area_code", "ent_name"]])
    for col in ("o", "v"):
        assert lists[col].to_numpy() == pytest.approx(raw[col].to_numpy(), rel=1e-9, nan_ok=True)
    last = con.execute(
        "select l.ent_id, l.year, l.last_month, r.last_month as raw_last from enterprise_year_months as l "
        "left join (select ent_id, year, max(month) as last_month from enterprise_month "
        "           where output_wan is not null or value_added_wan is not null group by all) as r "
        "using (ent_id, year) where l.last_month is distinct from r.last_month"
    ).fetchall()
    assert last == []


# investment_kpis as it was before it read the summaries: every project-month joined to its project
RAW_INVESTMENT_KPIS = """
with scope as (
    select * from scoped_projects($scope)
),

periods as (
    select unnest([$year, $year - 1]) as year
),

done as (
    select
        m.year,
        m.project_id,
        m.invest_wan,
        s.is_industrial,
        s.is_high_tech
    from project_month as m
    join scope as s using (project_id)
    where m.year in ($year, $year - 1)
      and m.month <= $month
),

sums as (
    select
        year,
        sum(invest_wan) as fai_wan,
        coalesce(sum(invest_wan) filter (where is_industrial), 0) as industrial_invest_wan,
        coalesce(sum(invest_wan) filter (where is_high_tech), 0) as high_tech_invest_wan,
        count(distinct project_id) filter (where invest_wan > 0) as project_count
    from done
    group by year
)

select
    p.year,
    s.fai_wan,
    s.industrial_invest_wan,
    s.high_tech_invest_wan,
    coalesce(s.project_count, 0) as project_count
from periods as p
left join sums as s using (year)
order by p.year desc
"""


@pytest.mark.parametrize("month", [2, 6, 12])
@pytest.mark.parametrize("flt", FILTERS + [Scope.of(areas=["A1", "HGQ"])], ids=["all", "chain", "hitech", "area"])
@pytest.mark.parametrize("which", ["tiny_db", "real_db"])
def test_investment_kpis_equal_the_raw_query(which, flt, month, request):
    """Test that 固投/工业/高新投资 and 在建投资项目数 from the project summaries equal the raw per-project query."""
    db = request.getfixturevalue(which)
    year = int(db.run("data_periods")["year"].max())
    got = db.run("investment_kpis", {"year": year, "month": month, "scope": flt})
    raw = db._current().cursor().execute(RAW_INVESTMENT_KPIS, {"year": year, "month": month, "scope": flt.sql()}).df()
    assert list(got["year"]) == list(raw["year"]) and list(got["project_count"]) == list(raw["project_count"])
    for col in ("fai_wan", "industrial_invest_wan", "high_tech_invest_wan"):
        assert got[col].to_numpy(dtype=float) == pytest.approx(raw[col].to_numpy(dtype=float), rel=1e-9, nan_ok=True), (
            col
        )
