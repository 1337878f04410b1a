-- purpose: 规上增加值 and 高新技术产业增加值 for 1—$month月 of every year up to $year (same months each year, so the years compare)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year with data, up to $year
select
    f.year,
    sum(f.value_added_wan) as value_added_wan,
    coalesce(sum(f.value_added_wan) filter (where f.is_high_tech), 0) as high_tech_va_wan
from scoped_months($scope) as f
where f.year <= $year
  and f.month <= $month
group by f.year
order by f.year
