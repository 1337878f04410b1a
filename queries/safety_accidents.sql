-- purpose: 生产安全事故 in 1—$month月 of $year and of last year, and the date of the latest accident on or before the end of month $month of $year with the days since it (连续无事故天数)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1)
with scope as (
    select ent_id from scoped_enterprises($scope)
),

periods as (
    select * from ytd_periods($year, $month)
),

scoped_accidents as (
    select a.*
    from accidents as a
    join scope as s on s.ent_id = a.ent_id
)

select
    p.year,
    p.as_of,
    count(a.accident_id) filter (where a.accident_date >= p.period_start) as accidents,
    coalesce(sum(a.deaths) filter (where a.accident_date >= p.period_start), 0)::integer as deaths,
    coalesce(sum(a.injuries) filter (where a.accident_date >= p.period_start), 0)::integer as injuries,
    coalesce(sum(a.loss_wan) filter (where a.accident_date >= p.period_start), 0) as loss_wan,
    max(a.accident_date) as last_accident_date,
    date_diff('day', max(a.accident_date), p.as_of) as days_since_accident
from periods as p
left join scoped_accidents as a on a.accident_date <= p.as_of
group by p.year, p.as_of
order by p.year desc
