-- purpose: 开工率, 投产率 and 资金到位率 of the projects in scope at the end of 1—$month月 of $year (SQL form of cockpit.domain.projects.rates): projects planned to start / finish (投产, or 竣工 for projects without 投产) in $year and how many did by the as-of date; 1—m月 funds in and planned investment
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row
with scope as (
    select * from scoped_projects($scope)
),

as_of as (
    select last_day(make_date($year, $month, 1)) as d
),

counts as (
    select
        count(*) filter (where year(s.plan_start) = $year) as start_planned,
        count(*) filter (where year(s.plan_start) = $year and s.date_start <= as_of.d) as started,
        count(*) filter (where year(s.plan_produce) = $year) as produce_planned,
        count(*) filter (
            where year(s.plan_produce) = $year
              and (case when s.kind = '产业' then s.date_produce else s.date_complete end) <= as_of.d
        ) as produced
    from scope as s, as_of
),

ytd as (
    -- project_month_cube: project-months summed by 行业, 片区, 项目类型, 工业, 高新 at load time
    select
        coalesce(sum(m.funds_in_wan), 0) as funds_in_wan,
        coalesce(sum(m.plan_wan), 0) as plan_wan
    from scoped_project_summary('project_month_cube', $scope) as m
    where m.year = $year
      and m.month <= $month
)

select * from counts, ytd
