-- purpose: how many enterprises are 同口径 (reported in 1—m月 of both a year and the year before) at the filter bar's
--          grain, by the first month from which they did (pair_first): for year Y and as-of month m, the rows with
--          pair_first ≤ m; built once when the data is loaded or imported
-- params: none
-- grain: one row per (year, pair_first, filter-dimension key columns)
with firsts as (
    select
        ent_id,
        year,
        min(month) as first_month
    from enterprise_month
    group by ent_id, year
)

select
    c.year,
    greatest(c.first_month, p.first_month) as pair_first,
    k.* exclude (ent_id),
    count(*) as enterprises
from firsts as c
join firsts as p
    on p.ent_id = c.ent_id
   and p.year = c.year - 1
join enterprise_keys() as k on k.ent_id = c.ent_id
group by all
