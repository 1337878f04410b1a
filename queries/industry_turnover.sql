-- purpose: 规上企业数 reporting 产值 in 1—$month月 of $year and in the same months of the year before, with entrants
--          (新进规: now, not a year ago) and leavers (退出: a year ago, not now)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row
-- read from enterprise_turnover_entry (queries/materialized): each enterprise counted once per year at its first
-- month with a 产值 this year (now_first) and last year (before_first); a null first month is never ≤ $month
select
    coalesce(sum(enterprises) filter (where now_first <= $month), 0)::bigint as now,
    coalesce(sum(enterprises) filter (where before_first <= $month), 0)::bigint as before,
    coalesce(sum(enterprises) filter (where now_first <= $month and not coalesce(before_first <= $month, false)), 0)
        ::bigint as entered,
    coalesce(sum(enterprises) filter (where before_first <= $month and not coalesce(now_first <= $month, false)), 0)
        ::bigint as left_count
from scoped_turnover($scope)
where year = $year
