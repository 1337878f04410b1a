-- purpose: 隐患 found, rectified, due, closed on time, open and overdue for 1—$month月 of $year and of last year, and how
--          long the open ones have existed (days from discovery to the as-of date: sum and longest)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1) and level (一般 / 重大), measured at the end of month $month of that year
with periods as (
    select * from ytd_periods($year, $month)
),

levels as (
    select unnest(['一般', '重大']) as level
),

scoped as not materialized (
    select level, found_date, deadline, rectified_date
    from hazard_facts
    where in_scope($scope, ent_keys)
),

-- hazards that count in either year: found from last year's 1 January to this year's as-of date, or earlier and
-- due or still open in last year's period; branches with the bounds written out, so that each filter reaches the scan
candidates as (
    select * from scoped
    where found_date between make_date($year - 1, 1, 1) and last_day(make_date($year, $month, 1))
    union all
    select * from scoped
    where found_date < make_date($year - 1, 1, 1)
      and deadline >= make_date($year - 1, 1, 1)
    union all
    select * from scoped
    where found_date < make_date($year - 1, 1, 1)
      and (deadline < make_date($year - 1, 1, 1) or deadline is null)
      and (rectified_date is null or rectified_date > last_day(make_date($year - 1, $month, 1)))
),

counted as (
    select
        p.year,
        h.level,
        -- flow of the period: found 1 Jan — as-of, and how many of those were rectified by the as-of date
        count(*) filter (where h.found_date between p.period_start and p.as_of) as found,
        count(*) filter (where h.found_date between p.period_start and p.as_of
                           and h.rectified_date <= p.as_of) as rectified,
        -- deadlines that fell in the period and have passed (deadline before the as-of date)
        count(*) filter (where h.deadline >= p.period_start and h.deadline < p.as_of) as due,
        count(*) filter (where h.deadline >= p.period_start and h.deadline < p.as_of
                           and h.rectified_date <= h.deadline) as closed_on_time,
        -- stock at the as-of date, whenever found, and its age in days
        count(*) filter (where h.rectified_date is null or h.rectified_date > p.as_of) as open,
        count(*) filter (where (h.rectified_date is null or h.rectified_date > p.as_of)
                           and h.deadline < p.as_of) as overdue,
        sum(p.as_of - h.found_date) filter (where h.rectified_date is null or h.rectified_date > p.as_of)
            as open_days,
        max(p.as_of - h.found_date) filter (where h.rectified_date is null or h.rectified_date > p.as_of)
            as open_days_max
    from periods as p
    join candidates as h on h.found_date <= p.as_of
    group by p.year, h.level
)

select
    p.year,
    p.as_of,
    l.level,
    coalesce(c.found, 0) as found,
    coalesce(c.rectified, 0) as rectified,
    coalesce(c.due, 0) as due,
    coalesce(c.closed_on_time, 0) as closed_on_time,
    coalesce(c.open, 0) as open,
    coalesce(c.overdue, 0) as overdue,
    coalesce(c.open_days, 0)::bigint as open_days,
    c.open_days_max::integer as open_days_max
from periods as p
cross join levels as l
left join counted as c on c.year = p.year and c.level = l.level
order by p.year desc, l.level
