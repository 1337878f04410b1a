-- purpose: monthly 规上产值 (当月 and 1—m月累计) of $year through $month and all 12 months of the year before
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year and month
with monthly as (
    select
        f.year,
        f.month,
        sum(f.output_wan) as output_wan,
        sum(f.value_added_wan) as value_added_wan
    from scoped_months($scope) as f
    where (f.year = $year and f.month <= $month)
       or f.year = $year - 1
    group by f.year, f.month
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
