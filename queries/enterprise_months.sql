-- purpose: one enterprise's monthly 产值, 增加值, 税收, 用电, 能耗 (当月) in 1—$month月 of $year and in all of $year − 1,
--          beside the same month's totals of the zone (every reporting enterprise) and of the enterprise's 产业链
-- params: $ent_id VARCHAR, $year INTEGER, $month INTEGER
-- grain: one row per (year, month) with zone data in that window; the enterprise's columns are null in months it did
--        not report
with chain as (
    select s.chain
    from enterprises as e
    join sectors as s using (sector_code)
    where e.ent_id = $ent_id
),

months as (
    select
        c.year,
        c.month,
        sum(c.output_wan) as zone_output_wan,
        sum(c.value_added_wan) as zone_value_added_wan,
        sum(c.tax_wan) as zone_tax_wan,
        sum(c.power_10k_kwh) as zone_power_10k_kwh,
        sum(c.energy_tce) as zone_energy_tce,
        sum(c.output_wan) filter (where s.chain = k.chain) as chain_output_wan,
        sum(c.value_added_wan) filter (where s.chain = k.chain) as chain_value_added_wan,
        sum(c.tax_wan) filter (where s.chain = k.chain) as chain_tax_wan,
        sum(c.power_10k_kwh) filter (where s.chain = k.chain) as chain_power_10k_kwh,
        sum(c.energy_tce) filter (where s.chain = k.chain) as chain_energy_tce
    from enterprise_month_cube as c
    join sectors as s using (sector_code)
    left join chain as k on true
    where c.year = $year - 1
       or (c.year = $year and c.month <= $month)
    group by c.year, c.month
),

own as (
    select
        year,
        month,
        output_wan,
        value_added_wan,
        tax_wan,
        power_10k_kwh,
        energy_tce
    from enterprise_month
    where ent_id = $ent_id
)

select
    m.year,
    m.month,
    o.output_wan,
    o.value_added_wan,
    o.tax_wan,
    o.power_10k_kwh,
    o.energy_tce,
    m.* exclude (year, month)
from months as m
left join own as o using (year, month)
order by m.year, m.month
