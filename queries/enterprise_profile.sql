-- purpose: one enterprise's identity for the 企业画像: name, 行业, 产业链, 片区, 高新, 规上 (first year, latest), its
--          land and parcel (the parcel's 亩, use, how many enterprises share it), the first and last month it reported
-- params: $ent_id VARCHAR
-- grain: one row (none when there is no such enterprise)
-- from the per enterprise-year summary (queries/materialized/enterprise_year_months.sql): one row per year
with reported as (
    select
        min(year * 100 + first_month) as first_period,
        max(year * 100 + last_month) as last_period
    from enterprise_year_months
    where ent_id = $ent_id
)

select
    e.ent_id,
    e.ent_name,
    e.sector_code,
    s.sector_name,
    s.chain,
    e.area_code,
    a.area_name,
    a.park,
    e.is_high_tech,
    e.is_above_scale,
    e.first_year,
    e.land_mu,
    e.parcel_id,
    p.area_mu as parcel_mu,
    p.land_use as parcel_use,
    (select count(*) from enterprises as o where o.parcel_id = e.parcel_id) as parcel_enterprises,
    r.first_period,
    r.last_period
from enterprises as e
left join sectors as s using (sector_code)
left join areas as a on a.area_code = e.area_code
left join parcels as p on p.parcel_id = e.parcel_id
cross join reported as r
where e.ent_id = $ent_id
