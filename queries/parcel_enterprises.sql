-- purpose: the enterprises on one parcel (several may share it), largest land first
-- params: $parcel_id VARCHAR
-- grain: one row per enterprise whose parcel_id is $parcel_id
select
    ent_id,
    ent_name,
    land_mu
from enterprises
where parcel_id = $parcel_id
order by land_mu desc, ent_id
