-- purpose: 减污降碳: 规上 enterprises' 综合能耗, 排放 and 增加值, 1—m月 累计 for each month of $year and of last year (for 单位增加值能耗 / 排放)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1) and month 1..$month (cumulative from January)
-- from the monthly sums built at load time (enterprise_month_cube), not every enterprise-month
with monthly as (
    select
        year,
        month,
        sum(energy_tce) as energy_tce,
        sum(emission_t) as emission_t,
        sum(value_added_wan) as value_added_wan
    from scoped_months($scope)
    where year in ($year, $year - 1)
      and month <= $month
    group by year, month
)

select
    year,
    month,
    sum(energy_tce) over w as energy_ytd_tce,
    sum(emission_t) over w as emission_ytd_t,
    sum(value_added_wan) over w as value_added_ytd_wan
from monthly
window w as (partition by year order by month rows between unbounded preceding and current row)
order by year desc, month
