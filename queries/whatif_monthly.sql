-- purpose: 当月 values of the monthly indicators that carry an annual target (产值, 增加值, 投资, 低效用地) in the filters' scope (低效用地 follows 片区 only, as its card), every year through $year, for goal seek against the target of the same scope
-- params: $year INTEGER, $scope STRUCT
-- grain: one row per indicator, year and month with data; value in the indicator's unit (亿元, 亩)
with industry as (
    select
        f.year,
        f.month,
        sum(f.output_wan) as output_wan,
        sum(f.value_added_wan) as value_added_wan,
        coalesce(sum(f.value_added_wan) filter (where f.is_high_tech), 0) as high_tech_va_wan
    from scoped_months($scope) as f
    where f.year <= $year
    group by f.year, f.month
),

investment as (
    select
        m.year,
        m.month,
        sum(m.invest_wan) as fai_wan,
        coalesce(sum(m.invest_wan) filter (where m.is_industrial), 0) as industrial_invest_wan,
        coalesce(sum(m.invest_wan) filter (where m.is_high_tech), 0) as high_tech_invest_wan
    from scoped_project_summary('project_month_cube', $scope) as m
    where m.year <= $year
    group by m.year, m.month
),

land as (
    select
        year(date_accepted) as year,
        month(date_accepted) as month,
        sum(area_mu) as reclaimed_mu
    from land_actions
    where date_accepted is not null
      and year(date_accepted) <= $year
      and in_areas(area_code, $scope)
    group by 1, 2
)

select 'output' as indicator_id, year, month, output_wan / 10000.0 as value from industry
union all
select 'value_added', year, month, value_added_wan / 10000.0 from industry
union all
select 'high_tech_va', year, month, high_tech_va_wan / 10000.0 from industry
union all
select 'fai', year, month, fai_wan / 10000.0 from investment
union all
select 'industrial_invest', year, month, industrial_invest_wan / 10000.0 from investment
union all
select 'high_tech_invest', year, month, high_tech_invest_wan / 10000.0 from investment
union all
select 'land_reclaimed', year, month, reclaimed_mu from land
order by indicator_id, year, month
