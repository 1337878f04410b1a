-- purpose: 亩均效益评价的原始数据（数值）：每家规上企业每个统计年度的税收、增加值、营收、产值、能耗、排放、人数、研发（全区，不受筛选影响：评价按全区排名，筛选范围由 mujun_scope 给出）；企业名称、行业、片区、地块、用地在 mujun_enterprises，按 ent_no 对应（cockpit.domain.mujun.read_inputs 合并两者）
-- params: none
-- grain: one row per enterprise (ent_no) and year in which it reported as 规上 (enterprise_month has rows)
with numbered as (
    select
        ent_id,
        row_number() over (order by ent_id) - 1 as ent_no
    from enterprises
)

select
    m.year,
    n.ent_no,
    count(*) as months,
    sum(m.tax_wan) as tax_wan,
    sum(m.value_added_wan) as value_added_wan,
    sum(m.revenue_wan) as revenue_wan,
    sum(m.output_wan) as output_wan,
    sum(m.energy_tce) as energy_tce,
    sum(m.emission_t) as emission_t,
    avg(m.employees) as employees,
    sum(m.rd_wan) as rd_wan
from enterprise_month as m
join numbered as n using (ent_id)
group by m.year, n.ent_no
order by m.year, n.ent_no
