-- purpose: 隐患 found and rectified in each month of 1—$month月 $year, and open / overdue at each month's end
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per month 1..$month of $year
with bounds as (
    select
        make_date($year, 1, 1) as year_start,
        last_day(make_date($year, $month, 1)) as as_of
),

months as (
    select unnest(range(1, $month + 1)) as month
),

scoped as not materialized (
    select found_date, deadline, rectified_date
    from hazard_facts
    where in_scope($scope, ent_keys)
),

-- found in the year by the as-of date, or earlier and not rectified before the year (two branches with the bounds
-- written out, so that each filter reaches the scan)
touching as (
    select * from scoped
    where found_date between make_date($year, 1, 1) and last_day(make_date($year, $month, 1))
    union all
    select * from scoped
    where found_date < make_date($year, 1, 1)
      and (rectified_date is null or rectified_date >= make_date($year, 1, 1))
),

-- each hazard as the months (1..12 of $year) it touches: the month it was found and rectified in (null when outside
-- the year), the first and last month at whose end it is open, and the first month at whose end its deadline has passed
spans as (
    select
        case when h.found_date >= b.year_start then month(h.found_date) end as found_month,
        case when year(h.rectified_date) = $year then month(h.rectified_date) end as rectified_month,
        -- found on or before the end of month m  <=>  m >= first_open
        case when h.found_date < b.year_start then 1 else month(h.found_date) end as first_open,
        -- not rectified by the end of month m  <=>  m <= last_open (a month before the rectification's)
        case
            when h.rectified_date is null or year(h.rectified_date) > $year then 12
            when year(h.rectified_date) < $year then 0
            else month(h.rectified_date) - 1
        end as last_open,
        -- deadline before the end of month m  <=>  m >= first_overdue (13: never in this year)
        case
            when h.deadline is null or year(h.deadline) > $year then 13
            when h.deadline < b.year_start then 1
            when h.deadline < last_day(h.deadline) then month(h.deadline)
            else month(h.deadline) + 1
        end as first_overdue
    from touching as h
    cross join bounds as b
),

cells as (
    select found_month, rectified_month, first_open, last_open, first_overdue, count(*) as hazards
    from spans
    group by all
)

select
    m.month,
    coalesce(sum(c.hazards) filter (where c.found_month = m.month), 0)::bigint as found,
    -- rectified in the month, of hazards found by its end
    coalesce(sum(c.hazards) filter (where c.rectified_month = m.month and c.first_open <= m.month), 0)::bigint
        as rectified,
    coalesce(sum(c.hazards) filter (where c.first_open <= m.month and m.month <= c.last_open), 0)::bigint as open,
    coalesce(sum(c.hazards) filter (where c.first_open <= m.month and m.month <= c.last_open
                                      and c.first_overdue <= m.month), 0)::bigint as overdue
from months as m
left join cells as c on true
group by m.month
order by m.month
