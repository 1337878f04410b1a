-- purpose: 低效工业用地整治 area accepted (验收), 1—m月累计 by month, for $year (through $month) and all of $year - 1
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year and month (累计 carried through months without 验收)
with months as (
    select * from trend_months($year, $month)
),

accepted as (
    select
        year(date_accepted) as year,
        month(date_accepted) as month,
        sum(area_mu) as area_mu
    from land_actions
    where date_accepted is not null
      and year(date_accepted) in ($year, $year - 1)
      and in_areas(area_code, $scope)
    group by 1, 2
)

select
    m.year,
    m.month,
    coalesce(a.area_mu, 0) as accepted_mu,
    sum(coalesce(a.area_mu, 0)) over (
        partition by m.year order by m.month rows between unbounded preceding and current row
    ) as accepted_ytd_mu
from months as m
left join accepted as a using (year, month)
order by m.year desc, m.month
