-- purpose: 隐患 of 1—$month月 $year by category, source and 片区: found, rectified, open and overdue at the month's end
--          (per enterprise: hazard_enterprises)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per dimension (类别 / 来源 / 片区) and member; hazards found in the period or open at its end
-- the register (queries/macros/scope_hazards.sql) counted once per (类别, 来源, 片区) cell, then summed up each dimension
with cells as (
    select
        category,
        source,
        area_code,
        count(*) filter (where found_date >= period_start) as found,
        count(*) filter (where found_date >= period_start and level = '重大') as found_major,
        count(*) filter (where found_date >= period_start and rectified_date <= as_of) as rectified,
        count(*) filter (where rectified_date is null or rectified_date > as_of) as open,
        count(*) filter (where (rectified_date is null or rectified_date > as_of) and deadline < as_of) as overdue
    from hazard_register_rows($year, $month, $scope)
    group by all
),

long as (
    select '类别' as dimension, category as member, found, found_major, rectified, open, overdue from cells
    union all
    select '来源', source, found, found_major, rectified, open, overdue from cells
    union all
    select '片区', a.area_name, found, found_major, rectified, open, overdue
    from cells as c
    join areas as a using (area_code)
)

select
    dimension,
    member,
    sum(found)::bigint as found,
    sum(found_major)::bigint as found_major,
    sum(rectified)::bigint as rectified,
    sum(open)::bigint as open,
    sum(overdue)::bigint as overdue
from long
group by dimension, member
order by dimension, found desc, open desc, member
