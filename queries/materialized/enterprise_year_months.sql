-- purpose: each enterprise's running 1—m月 产值 and 增加值 of one year as two 12-element lists (element m = the sum of
--          months 1—m, null while no month so far has a value), with its filter-bar keys and name, built once when
--          the data is loaded or imported, so a per-enterprise 1—m月 sum is one list element over one row per
--          enterprise-year (no group-by over every enterprise-month, no join to the scope); rows are ordered by
--          year and the filter keys so a year's and a 产业链's rows are read without the others
-- params: none
-- grain: one row per (enterprise with a known 行业, year with a row); first_month = the first month with a row that
--        year, last_month = the last month with a 产值 or 增加值 (null when none)
with years as (
    select
        ent_id,
        year,
        min(month) as first_month,
        max(month) filter (where output_wan is not null or value_added_wan is not null) as last_month,
        [
            sum(output_wan) filter (where month <= 1),
            sum(output_wan) filter (where month <= 2),
            sum(output_wan) filter (where month <= 3),
            sum(output_wan) filter (where month <= 4),
            sum(output_wan) filter (where month <= 5),
            sum(output_wan) filter (where month <= 6),
            sum(output_wan) filter (where month <= 7),
            sum(output_wan) filter (where month <= 8),
            sum(output_wan) filter (where month <= 9),
            sum(output_wan) filter (where month <= 10),
            sum(output_wan) filter (where month <= 11),
            sum(output_wan) filter (where month <= 12)
        ]::double[] as output_ytd,
        [
            sum(value_added_wan) filter (where month <= 1),
            sum(value_added_wan) filter (where month <= 2),
            sum(value_added_wan) filter (where month <= 3),
            sum(value_added_wan) filter (where month <= 4),
            sum(value_added_wan) filter (where month <= 5),
            sum(value_added_wan) filter (where month <= 6),
            sum(value_added_wan) filter (where month <= 7),
            sum(value_added_wan) filter (where month <= 8),
            sum(value_added_wan) filter (where month <= 9),
            sum(value_added_wan) filter (where month <= 10),
            sum(value_added_wan) filter (where month <= 11),
            sum(value_added_wan) filter (where month <= 12)
        ]::double[] as value_added_ytd
    from enterprise_month
    group by ent_id, year
)

select
    y.year,
    k.*,
    e.ent_name,
    y.first_month,
    y.last_month,
    y.output_ytd,
    y.value_added_ytd
from years as y
join enterprise_keys() as k using (ent_id)
join enterprises as e using (ent_id)
order by y.year, k.chain, k.area_code, k.sector_code, y.ent_id
