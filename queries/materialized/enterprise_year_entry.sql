-- purpose: when each enterprise first reported in each year, counted to the filter bar's grain, so "enterprises
--          with data in 1—m月" and their land (亩均 denominators) need no scan of enterprise_month: those are the
--          rows with first_month ≤ m
-- params: none
-- grain: one row per (year, first_month, filter-dimension key columns): enterprises = how many first reported in that month,
--        land_mu = their land (each enterprise once)
with firsts as (
    select
        ent_id,
        year,
        min(month) as first_month
    from enterprise_month
    group by ent_id, year
)

select
    f.year,
    f.first_month,
    k.* exclude (ent_id),
    count(*) as enterprises,
    sum(e.land_mu) as land_mu
from firsts as f
join enterprises as e using (ent_id)
join enterprise_keys() as k using (ent_id)
group by all
