-- purpose: 隐患 of 1—$month月 $year by category, source, 片区 and enterprise: found, rectified, open and overdue at the month's end
-- params: $year INTEGER, $month INTEGER, $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row per dimension (类别 / 来源 / 片区 / 企业) and member; hazards found in the period or open at its end
with scope as (
    select ent_id, ent_name from scoped_enterprises($chains, $sectors, $areas, $high_tech_only)
),

period as (
    select period_start, as_of from ytd_periods($year, $month) where year = $year
),

flagged as (
    select
        h.hazard_id,
        h.category,
        h.source,
        a.area_name,
        h.ent_id,
        s.ent_name,
        h.level,
        h.found_date >= p.period_start as is_found_in_period,
        h.rectified_date is not null and h.rectified_date <= p.as_of as is_rectified,
        h.deadline < p.as_of as is_past_deadline
    from hazards as h
    cross join period as p
    join scope as s on s.ent_id = h.ent_id
    join areas as a on a.area_code = h.area_code
    where h.found_date <= p.as_of
      and (h.found_date >= p.period_start or h.rectified_date is null or h.rectified_date > p.as_of)
),

long as (
    select '类别' as dimension, category as member, null as member_id, * from flagged
    union all
    select '来源', source, null, * from flagged
    union all
    select '片区', area_name, null, * from flagged
    union all
    select '企业', ent_name, ent_id, * from flagged
)

select
    dimension,
    member,
    member_id,
    count(*) filter (where is_found_in_period) as found,
    count(*) filter (where is_found_in_period and level = '重大') as found_major,
    count(*) filter (where is_found_in_period and is_rectified) as rectified,
    count(*) filter (where not is_rectified) as open,
    count(*) filter (where not is_rectified and is_past_deadline) as overdue
from long
group by dimension, member, member_id
order by dimension, found desc, open desc, member
