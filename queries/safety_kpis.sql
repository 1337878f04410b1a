-- purpose: open and overdue 重大隐患 at the end of $month of $year, and accidents in 1—$month月, with last year
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1), measured at the end of month $month of that year
with scope as (
    select * from scoped_enterprises($scope)
),

periods as (
    select
        y as year,
        last_day(make_date(y, $month, 1)) as as_of
    from (select unnest([$year, $year - 1]) as y)
),

-- hazard_facts carries each hazard's enterprise attributes (no join to the enterprises); the 重大 hazards not
-- rectified by last year's as-of date, filtered in the scan, then counted at each year's as-of date
open_major as (
    select
        p.year,
        count(*) as major_open,
        count(*) filter (where h.deadline < p.as_of) as major_overdue
    from periods as p
    join (
        select found_date, deadline, rectified_date
        from hazard_facts
        where level = '重大'
          and (rectified_date is null or rectified_date > last_day(make_date($year - 1, $month, 1)))
          and in_scope($scope, ent_keys)
    ) as h
        on h.found_date <= p.as_of
       and (h.rectified_date is null or h.rectified_date > p.as_of)
    group by p.year
),

accident_counts as (
    select
        p.year,
        count(a.accident_id) as accidents,
        coalesce(sum(a.deaths), 0) as deaths
    from periods as p
    join accidents as a
        on year(a.accident_date) = p.year
       and a.accident_date <= p.as_of
    join scope as s on s.ent_id = a.ent_id
    group by p.year
)

select
    p.year,
    p.as_of,
    coalesce(o.major_open, 0) as major_open,
    coalesce(o.major_overdue, 0) as major_overdue,
    coalesce(c.accidents, 0) as accidents,
    coalesce(c.deaths, 0) as deaths
from periods as p
left join open_major as o using (year)
left join accident_counts as c using (year)
order by p.year desc
