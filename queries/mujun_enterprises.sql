-- purpose: 亩均效益评价的企业信息：编号 ent_no（按 ent_id 排序，0 起，与 mujun_inputs、mujun_scope 一致）、名称、行业、产业链、片区、地块、用地（亩）、高新
-- params: none
-- grain: one row per enterprise, in ent_no order
select
    row_number() over (order by e.ent_id) - 1 as ent_no,
    e.ent_id,
    e.ent_name,
    e.sector_code,
    s.sector_name,
    s.chain,
    e.area_code,
    a.area_name,
    e.parcel_id,
    e.land_mu,
    e.is_high_tech
from enterprises as e
left join sectors as s on s.sector_code = e.sector_code
left join areas as a on a.area_code = e.area_code
order by ent_no
