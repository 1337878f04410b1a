-- purpose: 规上产值 and 增加值 by reporting period of $year (through $month) and of the whole year before: 当月 and 1—m月累计; 1—2月 merged into one period (month 2), as published
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year and reporting period (month 2 = 1—2月, then 3 … 12)
with monthly as (
    select
        f.year,
        greatest(f.month, 2) as month,
        sum(f.output_wan) as output_wan,
        sum(f.value_added_wan) as value_added_wan
    from scoped_months($scope) as f
    where (f.year = $year and f.month <= $month)
       or f.year = $year - 1
    group by f.year, greatest(f.month, 2)
)

select
    year,
    month,
    output_wan,
    value_added_wan,
    sum(output_wan) over (partition by year order by month) as output_ytd_wan,
    sum(value_added_wan) over (partition by year order by month) as value_added_ytd_wan
from monthly
order by year, month
