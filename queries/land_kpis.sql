-- purpose: 低效工业用地整治 area accepted (验收) in 1—$month月 of $year and the year before
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1)
with periods as (
    select unnest([$year, $year - 1]) as year
),

accepted as (
    select
        year(date_accepted) as year,
        sum(area_mu) as reclaimed_mu,
        count(*) as action_count
    from land_actions
    where date_accepted is not null
      and year(date_accepted) in ($year, $year - 1)
      and month(date_accepted) <= $month
      and in_areas(area_code, $scope)
    group by 1
)

select
    p.year,
    coalesce(a.reclaimed_mu, 0) as reclaimed_mu,
    coalesce(a.action_count, 0) as action_count
from periods as p
left join accepted as a using (year)
order by p.year desc
