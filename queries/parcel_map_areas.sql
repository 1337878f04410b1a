-- purpose: the 片区 of the 地图 when it has more parcels than it draws: per 片区 in the filter, its parcels and 亩 (all,
--          闲置, 整治中 at the end of 1—$month月 of $year) and the extent of its parcel outlines (longitude / latitude of
--          every outline vertex, read from the GeoJSON text)
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
),

-- an outline's numbers are its vertices' longitude, latitude, longitude, … (GeoJSON coordinates, in order)
numbers as (
    select
        p.parcel_id,
        list_transform(regexp_extract_all(p.boundary_geojson, '-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?'),
                       lambda x: x::double) as xy
    from parcels as p
    where coalesce(p.boundary_geojson, '') <> ''
      and in_areas(p.area_code, $scope)
),

vertices as (
    select
        parcel_id,
        list_slice(xy, 1, len(xy), 2) as lons,
        list_slice(xy, 2, len(xy), 2) as lats
    from numbers
)

select
    p.area_code,
    a.area_name,
    count(*) as parcels,
    sum(p.area_mu) as area_mu,
    coalesce(sum(p.area_mu) filter (where p.land_use = '闲置'), 0) as vacant_mu,
    coalesce(sum(p.area_mu) filter (where o.parcel_id is not null), 0) as in_action_mu,
    min(list_min(v.lons)) as lon_min,
    min(list_min(v.lats)) as lat_min,
    max(list_max(v.lons)) as lon_max,
    max(list_max(v.lats)) as lat_max
from parcels as p
left join areas as a using (area_code)
left join open_actions as o using (parcel_id)
left join vertices as v using (parcel_id)
where in_areas(p.area_code, $scope)
group by p.area_code, a.area_name
order by p.area_code
