-- purpose: 规上企业月度数据 summed to the filter bar's grain, built once when the data is loaded (or imported), so
--          the monthly and 1—m月 queries read ~10⁵ rows instead of every enterprise-month (10⁷ at provincial scale)
-- params: none
-- grain: one row per (year, month, filter-dimension key columns of enterprise_keys()) with data; sums of the additive enterprise_month columns
--        (null where every enterprise of the cell left the column empty, as sum() over the raw rows would be)
select
    f.year,
    f.month,
    k.* exclude (ent_id),
    sum(f.output_wan) as output_wan,
    sum(f.value_added_wan) as value_added_wan,
    sum(f.revenue_wan) as revenue_wan,
    sum(f.tax_wan) as tax_wan,
    sum(f.energy_tce) as energy_tce,
    sum(f.emission_t) as emission_t,
    sum(f.power_10k_kwh) as power_10k_kwh,
    sum(f.rd_wan) as rd_wan,
    count(*) as reports
from enterprise_month as f
join enterprise_keys() as k using (ent_id)
group by all
