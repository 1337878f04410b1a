-- purpose: 隐患 found and rectified in each month of 1—$month月 $year, and open / overdue at each month's end
-- params: $year INTEGER, $month INTEGER, $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row per month 1..$month of $year
with scope as (
    select ent_id from scoped_enterprises($chains, $sectors, $areas, $high_tech_only)
),

months as (
    select
        m as month,
        make_date($year, m, 1) as month_start,
        last_day(make_date($year, m, 1)) as month_end
    from (select unnest(range(1, $month + 1)) as m)
),

scoped_hazards as (
    select h.*
    from hazards as h
    join scope as s on s.ent_id = h.ent_id
)

select
    m.month,
    count(*) filter (where h.found_date between m.month_start and m.month_end) as found,
    count(*) filter (where h.rectified_date between m.month_start and m.month_end) as rectified,
    count(*) filter (where h.found_date <= m.month_end
                       and (h.rectified_date is null or h.rectified_date > m.month_end)) as open,
    count(*) filter (where h.found_date <= m.month_end
                       and (h.rectified_date is null or h.rectified_date > m.month_end)
                       and h.deadline < m.month_end) as overdue
from months as m
left join scoped_hazards as h on h.found_date <= m.month_end
group by m.month
order by m.month
