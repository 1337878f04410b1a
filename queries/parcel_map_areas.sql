-- purpose: the 片区 of the 地图 when it has more parcels than it draws: per 片区 in the filter, its parcels and 亩 (all,
--          闲置, 整治中 at the end of 1—$month月 of $year) and the extent of its parcel outlines (parcel_bounds: built
--          at load time from the GeoJSON text)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per 片区 with parcels in the filter; lon/lat bounds null when none of its parcels has an outline
with as_of as (
    select last_day(make_date($year, $month, 1)) as d
),

open_actions as (
    select distinct l.parcel_id
    from land_actions as l, as_of
    where l.date_found <= as_of.d
      and (l.date_accepted is null or l.date_accepted > as_of.d)
)

select
    p.area_code,
    a.area_name,
    count(*) as parcels,
    sum(p.area_mu) as area_mu,
    coalesce(sum(p.area_mu) filter (where p.land_use = '闲置'), 0) as vacant_mu,
    coalesce(sum(p.area_mu) filter (where o.parcel_id is not null), 0) as in_action_mu,
    min(b.lon_min) as lon_min,
    min(b.lat_min) as lat_min,
    max(b.lon_max) as lon_max,
    max(b.lat_max) as lat_max
from parcels as p
left join areas as a using (area_code)
left join open_actions as o using (parcel_id)
left join parcel_bounds as b using (parcel_id)
where in_areas(p.area_code, $scope)
group by p.area_code, a.area_name
order by p.area_code
