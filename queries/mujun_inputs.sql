-- purpose: 亩均效益评价的原始数据：每家规上企业每个统计年度的税收、增加值、能耗、排放、人数、研发、营收与用地（全区，不受筛选影响：评价按全区排名，筛选范围由 mujun_scope 给出）；ent_no 是企业按 ent_id 排序的编号（0 起），与 mujun_scope 一致
-- params: none
-- grain: one row per enterprise and year in which it reported as 规上 (enterprise_month has rows)
with numbered as (
    select
        ent_id,
        row_number() over (order by ent_id) - 1 as ent_no
    from enterprises
),

yearly as (
    select
        ent_id,
        year,
        count(*) as months,
        sum(tax_wan) as tax_wan,
        sum(value_added_wan) as value_added_wan,
        sum(revenue_wan) as revenue_wan,
        sum(output_wan) as output_wan,
        sum(energy_tce) as energy_tce,
        sum(emission_t) as emission_t,
        avg(employees) as employees,
        sum(rd_wan) as rd_wan
    from enterprise_month
    group by ent_id, year
)

select
    y.year,
    y.ent_id,
    n.ent_no,
    e.ent_name,
    e.sector_code,
    s.sector_name,
    s.chain,
    e.area_code,
    a.area_name,
    e.parcel_id,
    e.land_mu,
    e.is_high_tech,
    y.months,
    y.tax_wan,
    y.value_added_wan,
    y.revenue_wan,
    y.output_wan,
    y.energy_tce,
    y.emission_t,
    y.employees,
    y.rd_wan
from yearly as y
join enterprises as e using (ent_id)
join numbered as n using (ent_id)
left join sectors as s on s.sector_code = e.sector_code
left join areas as a on a.area_code = e.area_code
order by y.year, y.ent_id
