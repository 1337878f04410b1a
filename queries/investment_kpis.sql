-- purpose: 固定资产投资, 工业投资, 高新技术产业投资 and project count for 1—$month月 of $year and the year before
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1)
with periods as (
    select unnest([$year, $year - 1]) as year
),

-- sums from the project-month summary built at load (queries/materialized/project_month_cube.sql); projects
-- without a sector have no chain, so every industry filter leaves them out, as scoped_projects does
sums as (
    select
        m.year,
        sum(m.invest_wan) as fai_wan,
        coalesce(sum(m.invest_wan) filter (where m.is_industrial), 0) as industrial_invest_wan,
        coalesce(sum(m.invest_wan) filter (where m.is_high_tech), 0) as high_tech_invest_wan
    from scoped_project_summary('project_month_cube', $scope) as m
    where m.year in ($year, $year - 1)
      and m.month <= $month
    group by m.year
),

-- projects with 完成投资 > 0 in 1—m月: those whose first such month is ≤ m (project_year_entry)
counts as (
    select
        e.year,
        sum(e.projects) as project_count
    from scoped_project_summary('project_year_entry', $scope) as e
    where e.year in ($year, $year - 1)
      and e.first_month <= $month
    group by e.year
)

select
    p.year,
    s.fai_wan,
    s.industrial_invest_wan,
    s.high_tech_invest_wan,
    coalesce(c.project_count, 0) as project_count
from periods as p
left join sums as s using (year)
left join counts as c using (year)
order by p.year desc
