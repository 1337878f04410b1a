-- purpose: table macros that apply the shared filter bar (产业链, 行业, 片区, 高新) in one place
-- params: none (macros take the filter values as arguments from each query)
-- grain: scoped_enterprises: one row per enterprise; scoped_projects: one row per project;
--        scoped_months: one row per (year, month, 行业, 片区, 高新) of enterprise_month_cube;
--        scoped_entries: one row per (year, first_month, 行业, 片区, 高新) of enterprise_year_entry;
--        scoped_project_summary: the rows of project_month_cube or project_year_entry in scope;
--        trend_months: one row per (year, month) of a two-year trend;
--        ytd_periods: one row per year (this and last) with its 1—m月 start and as-of date

-- the filter bar as one predicate: empty lists mean "all"; projects without a sector have no chain
create macro in_scope(chain, sector_code, area_code, is_high_tech, chains, sectors, areas, high_tech_only) as
    (len(chains::varchar[]) = 0 or chain = any(chains::varchar[]))
    and (len(sectors::varchar[]) = 0 or sector_code = any(sectors::varchar[]))
    and (len(areas::varchar[]) = 0 or area_code = any(areas::varchar[]))
    and (not high_tech_only or is_high_tech);

create macro scoped_enterprises(chains, sectors, areas, high_tech_only) as table
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
join sectors as s using (sector_code)
where in_scope(s.chain, e.sector_code, e.area_code, e.is_high_tech,
               chains, sectors, areas, high_tech_only);

-- a summary table built at load time (queries/materialized/) under the same filters as scoped_enterprises;
-- summary_name comes from the two macros below, never from a user
create macro scoped_summary(summary_name, chains, sectors, areas, high_tech_only) as table
select
    c.*,
    s.sector_name,
    s.chain
from query_table(summary_name) as c
join sectors as s using (sector_code)
where in_scope(s.chain, c.sector_code, c.area_code, c.is_high_tech,
               chains, sectors, areas, high_tech_only);

-- monthly sums (enterprise_month_cube)
create macro scoped_months(chains, sectors, areas, high_tech_only) as table
select * from scoped_summary('enterprise_month_cube', chains, sectors, areas, high_tech_only);

-- enterprises by the month they first reported in a year (enterprise_year_entry)
create macro scoped_entries(chains, sectors, areas, high_tech_only) as table
select * from scoped_summary('enterprise_year_entry', chains, sectors, areas, high_tech_only);

-- a project summary built at load time (project_month_cube, project_year_entry) under the filters; projects
-- without a sector keep a null chain and drop out under any industry filter, as in scoped_projects
create macro scoped_project_summary(summary_name, chains, sectors, areas, high_tech_only) as table
select
    m.*,
    s.sector_name,
    s.chain
from query_table(summary_name) as m
left join sectors as s using (sector_code)
where in_scope(s.chain, m.sector_code, m.area_code, m.is_high_tech,
               chains, sectors, areas, high_tech_only);

-- projects without a sector (基础设施, 平台提升) drop out as soon as an industry filter is set
create macro scoped_projects(chains, sectors, areas, high_tech_only) as table
select
    p.*,
    s.chain
from projects as p
left join sectors as s using (sector_code)
where in_scope(s.chain, p.sector_code, p.area_code, p.is_high_tech,
               chains, sectors, areas, high_tech_only);

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
create macro scoped_pairs(chains, sectors, areas, high_tech_only) as table
select * from scoped_summary('enterprise_pair_cube', chains, sectors, areas, high_tech_only);

create macro scoped_pair_entries(chains, sectors, areas, high_tech_only) as table
select * from scoped_summary('enterprise_pair_entry', chains, sectors, areas, high_tech_only);
