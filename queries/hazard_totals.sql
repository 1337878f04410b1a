-- purpose: 隐患 found, rectified, due, closed on time, open and overdue for 1—$month月 of $year and of last year
-- params: $year INTEGER, $month INTEGER, $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row per year ($year and $year - 1) and level (一般 / 重大), measured at the end of month $month of that year
with scope as (
    select ent_id from scoped_enterprises($chains, $sectors, $areas, $high_tech_only)
),

periods as (
    select * from ytd_periods($year, $month)
),

levels as (
    select unnest(['一般', '重大']) as level
),

scoped_hazards as (
    select h.*
    from hazards as h
    join scope as s on s.ent_id = h.ent_id
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
        -- stock at the as-of date, whenever found
        count(*) filter (where h.found_date <= p.as_of
                           and (h.rectified_date is null or h.rectified_date > p.as_of)) as open,
        count(*) filter (where h.found_date <= p.as_of
                           and (h.rectified_date is null or h.rectified_date > p.as_of)
                           and h.deadline < p.as_of) as overdue
    from periods as p
    join scoped_hazards as h on h.found_date <= p.as_of
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
    coalesce(c.overdue, 0) as overdue
from periods as p
cross join levels as l
left join counted as c on c.year = p.year and c.level = l.level
order by p.year desc, l.level
