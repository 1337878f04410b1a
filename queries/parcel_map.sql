-- purpose: the parcels of the 地图 (亩均一张图) in the 片区 filter, each with its outline, what it is at the end of
--          1—$month月 of $year (闲置 / 整治中 / 已整治 / 在用: an action found and not yet accepted = 整治中), its enterprises and whether any of
--          them is in the filter bar's scope (a parcel without enterprises is when no 产业链/行业/高新 filter is set);
--          no rows when more than $limit parcels are in the 片区 filter (the map then shows the 片区 instead)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $limit INTEGER
-- grain: one row per parcel in the 片区 filter (at most $limit), by parcel_id; parcels_in_scope = how many there are,
--        with_boundary = how many of them have an outline (the same on every row)
with as_of as (
    select last_day(make_date($year, $month, 1)) as d
),

-- the parcels of the 片区 filter, none when there are more than $limit (counted before anything is joined)
chosen as (
    select *
    from parcels
    where in_areas(area_code, $scope)
      and (select count(*) from parcels
           where in_areas(area_code, $scope)) <= $limit
),

latest as (
    select
        l.parcel_id,
        arg_max(l.date_accepted, l.date_found) as date_accepted,
        arg_max(l.method, l.date_found) as method
    from land_actions as l, as_of
    where l.date_found <= as_of.d
      and l.parcel_id in (select parcel_id from chosen)
    group by l.parcel_id
),

tenants as (
    select
        e.parcel_id,
        string_agg(e.ent_id, ',' order by e.land_mu desc, e.ent_id) as ent_ids,
        string_agg(e.ent_name, '、' order by e.land_mu desc, e.ent_id) as ent_names,
        count(*) as n_enterprises,
        bool_or(s.ent_id is not null) as any_in_scope
    from enterprises as e
    left join scoped_enterprises(all_areas($scope)) as s using (ent_id)
    where e.parcel_id in (select parcel_id from chosen)
    group by e.parcel_id
)

select
    p.parcel_id,
    p.area_code,
    a.area_name,
    p.area_mu,
    p.land_use,
    p.boundary_geojson,
    case
        when la.parcel_id is not null and (la.date_accepted is null or la.date_accepted > as_of.d) then '整治中'
        when p.land_use = '闲置' then '闲置'
        when la.parcel_id is not null then '已整治'
        else '在用'
    end as state,
    la.method,
    t.ent_ids,
    t.ent_names,
    coalesce(t.n_enterprises, 0) as n_enterprises,
    coalesce(t.any_in_scope, scope_is_all(all_areas($scope))) as in_scope,
    count(*) over () as parcels_in_scope,
    count(*) filter (where coalesce(p.boundary_geojson, '') <> '') over () as with_boundary
from chosen as p
cross join as_of
left join areas as a using (area_code)
left join latest as la using (parcel_id)
left join tenants as t using (parcel_id)
order by p.parcel_id
