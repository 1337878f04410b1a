-- purpose: table macros that apply the shared filter bar (cockpit/data/dimensions.py) in one place
-- params: none (macros take the filter bar as one $scope STRUCT argument from each query; keys.sql has the
--         dimensions' key columns and in_scope)
-- grain: scoped_enterprises: one row per enterprise; scoped_projects: one row per project;
--        scoped_months: one row per (year, month, filter-dimension values) of enterprise_month_cube;
--        scoped_entries: one row per (year, first_month, filter-dimension values) of enterprise_year_entry;
--        scoped_project_summary: the rows of project_month_cube or project_year_entry in scope;
--        trend_months: one row per (year, month) of a two-year trend;
--        ytd_periods: one row per year (this and last) with its 1—m月 start and as-of date

create macro scoped_enterprises(scope) as table
select
    e.ent_id,
    e.ent_name,
    e.sector_code,
    s.sector_name,
    s.chain,
    e.area_code,
    e.parcel_id,
    e.land_mu,
    e.is_high_tech
from enterprises as e
join enterprise_keys() as k using (ent_id)
join sectors as s on s.sector_code = e.sector_code
where in_scope(scope, k);

-- a summary table built at load time (queries/materialized/) under the same filters as scoped_enterprises;
-- summary_name comes from the two macros below, never from a user
-- (the summaries carry sector_name from the key macros: no join here)
create macro scoped_summary(summary_name, scope) as table
select * from query_table(summary_name) as c
where in_scope(scope, c);

-- monthly sums (enterprise_month_cube)
create macro scoped_months(scope) as table
select * from scoped_summary('enterprise_month_cube', scope);

-- enterprises by the month they first reported in a year (enterprise_year_entry)
create macro scoped_entries(scope) as table
select * from scoped_summary('enterprise_year_entry', scope);

-- a project summary built at load time (project_month_cube, project_year_entry) under the filters; projects
-- without a sector keep a null chain and drop out under any industry filter, as in scoped_projects
create macro scoped_project_summary(summary_name, scope) as table
select * from scoped_summary(summary_name, scope);

-- projects without a sector (基础设施, 平台提升) drop out as soon as an industry filter is set
create macro scoped_projects(scope) as table
select
    p.*,
    k.chain
from projects as p
join project_keys() as k using (project_id)
where in_scope(scope, k);

-- the months a "this year through $month against all of last year" trend shows, empty months included
create macro trend_months(this_year, through_month) as table
select
    y.year,
    m.month
from (select unnest([this_year, this_year - 1]) as year) as y
cross join (select unnest(range(1, 13)) as month) as m
where y.year = this_year - 1 or m.month <= through_month;

-- the 1—m月 period of a year and of the year before: start (1 January) and as-of date (end of month m)
create macro ytd_periods(this_year, through_month) as table
select
    y as year,
    make_date(y, 1, 1) as period_start,
    last_day(make_date(y, through_month, 1)) as as_of
from (select unnest([this_year, this_year - 1]) as y);

-- 同口径 (the statistics bureau's convention for 规上 growth): the enterprise-months of the enterprises that reported in
-- 1—m月 of both a year and the year before (enterprise_pair_cube), and how many they are (enterprise_pair_entry)
create macro scoped_pairs(scope) as table
select * from scoped_summary('enterprise_pair_cube', scope);

create macro scoped_pair_entries(scope) as table
select * from scoped_summary('enterprise_pair_entry', scope);

-- 规上企业数 now and a year ago by their first months with a 产值 (enterprise_turnover_entry)
create macro scoped_turnover(scope) as table
select * from scoped_summary('enterprise_turnover_entry', scope);
