-- purpose: 专项债 per bond: 申报 → 获批 → 到位 → 支出 amounts and dates up to the end of 1—$month月 of $year, newest batch first; at most $limit bonds (NULL = all), total_count counts them all
-- params: $year INTEGER, $month INTEGER, $limit INTEGER
-- grain: one row per bond_id declared (申报) on or before the as-of date
with events as (
    select *
    from bond_events
    where event_date <= last_day(make_date($year, $month, 1))
)

select
    e.bond_id,
    e.bond_year,
    e.project_id,
    p.project_name,
    min(e.event_date) filter (where e.event = '申报') as date_declared,
    sum(e.amount_wan) filter (where e.event = '申报') as declared_wan,
    min(e.event_date) filter (where e.event = '获批') as date_approved,
    sum(e.amount_wan) filter (where e.event = '获批') as approved_wan,
    coalesce(sum(e.amount_wan) filter (where e.event = '到位'), 0) as received_wan,
    coalesce(sum(e.amount_wan) filter (where e.event = '支出'), 0) as spent_wan,
    coalesce(sum(e.amount_wan) filter (where e.event = '支出' and year(e.event_date) = $year), 0) as spent_this_year_wan,
    count(*) over () as total_count
from events as e
left join projects as p using (project_id)
group by all
having count(*) filter (where e.event = '申报') > 0
order by e.bond_year desc, e.bond_id
limit $limit
