-- purpose: 规上企业数 reporting 产值 in 1—$month月 of $year and in the same months of the year before, with entrants
--          (新进规: now, not a year ago) and leavers (退出: a year ago, not now)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row
with scope as (
    select * from scoped_enterprises($scope)
),

-- from the per-year month lists (queries/materialized/enterprise_year_months.sql): reporting = a 产值 in months 1—m
reporting as (
    select
        y.ent_id,
        bool_or(y.year = $year and list_aggregate(y.output[1:$month], 'count') > 0) as is_reporting,
        bool_or(y.year = $year - 1 and list_aggregate(y.output[1:$month], 'count') > 0) as was_reporting
    from enterprise_year_months as y
    join scope as s using (ent_id)
    where y.year in ($year, $year - 1)
    group by y.ent_id
)

select
    count(*) filter (where is_reporting) as now,
    count(*) filter (where was_reporting) as before,
    count(*) filter (where is_reporting and not was_reporting) as entered,
    count(*) filter (where was_reporting and not is_reporting) as left_count
from reporting
