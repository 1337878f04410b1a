-- purpose: each enterprise's first month with a 产值 in a year and in the year before, counted to the filter bar's
--          grain, so 规上企业数 and its turnover (新进规, 退出: query industry_turnover) need no per-enterprise scan: for
--          year Y and as-of month m, an enterprise reports now when now_first ≤ m and reported a year ago when
--          before_first ≤ m; built once when the data is loaded or imported
-- params: none
-- grain: one row per (year, now_first, before_first, filter-dimension key columns); a first month is null when the
--        enterprise has no 产值 that year (a year Y row exists when the enterprise has one in Y or in Y - 1)
with firsts as (
    select
        ent_id,
        year,
        min(month) filter (where output_wan is not null) as first_output
    from enterprise_month
    group by ent_id, year
    having first_output is not null
),

pairs as (
    select
        coalesce(c.ent_id, p.ent_id) as ent_id,
        coalesce(c.year, p.year + 1) as year,
        c.first_output as now_first,
        p.first_output as before_first
    from firsts as c
    full join firsts as p
        on p.ent_id = c.ent_id
       and p.year = c.year - 1
)

select
    f.year,
    f.now_first,
    f.before_first,
    k.* exclude (ent_id),
    count(*) as enterprises
from pairs as f
join enterprise_keys() as k using (ent_id)
group by all
