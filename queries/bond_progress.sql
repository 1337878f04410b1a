-- purpose: 专项债 per bond of the projects in scope: 申报 → 获批 → 到位 → 支出 amounts and dates up to the end of 1—$month月 of $year, newest batch first; at most $limit bonds (NULL = all), total_count counts them all
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $limit INTEGER
-- grain: one row per bond_id declared (申报) on or before the as-of date
with per_bond as (
    select
        bond_id,
        bond_year,
        project_id,
        min(event_date) filter (where event = '申报') as date_declared,
        sum(amount_wan) filter (where event = '申报') as declared_wan,
        min(event_date) filter (where event = '获批') as date_approved,
        sum(amount_wan) filter (where event = '获批') as approved_wan,
        coalesce(sum(amount_wan) filter (where event = '到位'), 0) as received_wan,
        coalesce(sum(amount_wan) filter (where event = '支出'), 0) as spent_wan,
        coalesce(sum(amount_wan) filter (where event = '支出' and year(event_date) = $year), 0) as spent_this_year_wan
    from bond_events
    where event_date <= last_day(make_date($year, $month, 1))
      and project_id in (select project_id from scoped_projects($scope))
    group by bond_id, bond_year, project_id
    having count(*) filter (where event = '申报') > 0
),

shown as (
    select
        *,
        count(*) over () as total_count
    from per_bond
    order by bond_year desc, bond_id
    limit $limit
)

select
    b.bond_id,
    b.bond_year,
    b.project_id,
    p.project_name,
    b.* exclude (bond_id, bond_year, project_id)
from shown as b
left join projects as p using (project_id)
order by b.bond_year desc, b.bond_id
