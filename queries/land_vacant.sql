-- purpose: vacant (闲置) parcels as of the data date, with how they became vacant and whether an 整治 action is still open, as the plots available for 二次招商
-- params: $scope STRUCT
-- grain: one row per vacant parcel
with latest as (
    select
        parcel_id,
        arg_max(action_id, date_found) as action_id,
        arg_max(method, date_found) as method,
        arg_max(status, date_found) as status,
        arg_max(ent_before, date_found) as ent_before,
        arg_max(new_use, date_found) as new_use
    from land_actions
    group by parcel_id
)

select
    p.parcel_id,
    a.area_name,
    p.area_mu,
    l.action_id,
    l.method,
    l.status,
    l.ent_before,
    l.new_use,
    (l.status is null or l.status = '验收') as is_available
from parcels as p
left join areas as a using (area_code)
left join latest as l using (parcel_id)
where p.land_use = '闲置'
  and in_areas(p.area_code, $scope)
order by is_available desc, p.area_mu desc
