-- purpose: 亩均效益评价的原始数据：每家规上企业每个统计年度的税收、增加值、能耗、排放、人数、研发、营收与用地（全区，不受筛选影响；in_scope 标出筛选条件内的企业）
-- params: $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row per enterprise and year in which it reported as 规上 (enterprise_month has rows)
with scope as (
    select ent_id
    from scoped_enterprises($chains, $sectors, $areas, $high_tech_only)
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
    e.ent_name,
    e.sector_code,
    s.sector_name,
    s.chain,
    e.area_code,
    a.area_name,
    e.parcel_id,
    e.land_mu,
    e.is_high_tech,
    sc.ent_id is not null as in_scope,
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
left join sectors as s on s.sector_code = e.sector_code
left join areas as a on a.area_code = e.area_code
left join scope as sc on sc.ent_id = y.ent_id
order by y.year, y.ent_id
