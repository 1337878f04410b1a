-- purpose: every parcel with its schematic position (x, y in 100 m) and what it is at the end of 1—$month月 of $year: 闲置, 整治中, 已整治 or 在用; at most 5,000 parcels (those not 在用 first, then the largest), parcels_in_scope counts them all
-- params: $year INTEGER, $month INTEGER, $areas VARCHAR[]
-- grain: one row per parcel (at most 5,000)
with as_of as (
    select last_day(make_date($year, $month, 1)) as d
),

latest as (
    select
        l.parcel_id,
        arg_max(l.date_accepted, l.date_found) as date_accepted,
        arg_max(l.method, l.date_found) as method
    from land_actions as l, as_of
    where l.date_found <= as_of.d
    group by l.parcel_id
),

states as (
    select
        p.parcel_id,
        a.area_name,
        p.area_mu,
        p.x,
        p.y,
        p.land_use,
        case
            when la.parcel_id is not null and (la.date_accepted is null or la.date_accepted > as_of.d) then '整治中'
            when p.land_use = '闲置' then '闲置'
            when la.parcel_id is not null then '已整治'
            else '在用'
        end as state,
        la.method
    from parcels as p
    cross join as_of
    left join areas as a using (area_code)
    left join latest as la using (parcel_id)
    where len($areas::varchar[]) = 0 or p.area_code = any($areas::varchar[])
)

select
    *,
    count(*) over () as parcels_in_scope
from states
qualify row_number() over (order by state = '在用', area_mu desc, parcel_id) <= 5000
order by parcel_id
