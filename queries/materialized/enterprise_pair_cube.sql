-- purpose: 同口径 (the same enterprises in both periods) at the filter bar's grain, built once when the data is loaded
--          or imported: every enterprise-month counted for its own year (is_current) and for the year after
--          (not is_current, as that year's 上年同期), with pair_first = the first month from which the enterprise
--          reported in 1—m月 of both years; so for year Y and as-of month m the 同口径 1—m月 sums are the rows with
--          year = Y, month ≤ m, pair_first ≤ m, and the 当月 pairs those of month m with both_month
-- params: none
-- grain: one row per (year, month, pair_first, is_current, both_month, filter-dimension key columns) with data
with firsts as (
    select
        ent_id,
        year,
        min(month) as first_month
    from enterprise_month
    group by ent_id, year
),

-- enterprises that reported in both a year and the year before, from the month both 1—m月 periods have a report
pairs as (
    select
        c.ent_id,
        c.year,
        greatest(c.first_month, p.first_month) as pair_first
    from firsts as c
    join firsts as p
        on p.ent_id = c.ent_id
       and p.year = c.year - 1
),

-- each enterprise-month as this year's figure and as next year's 上年同期
roles as (
    select
        f.ent_id,
        f.year,
        f.month,
        f.output_wan,
        f.value_added_wan,
        r.is_current,
        case when r.is_current then f.year else f.year + 1 end as pair_year
    from enterprise_month as f
    cross join (select unnest([true, false]) as is_current) as r
)

select
    x.pair_year as year,
    x.month,
    p.pair_first,
    x.is_current,
    o.ent_id is not null as both_month,
    k.* exclude (ent_id),
    sum(x.output_wan) as output_wan,
    sum(x.value_added_wan) as value_added_wan
from roles as x
join pairs as p
    on p.ent_id = x.ent_id
   and p.year = x.pair_year
join enterprise_keys() as k on k.ent_id = x.ent_id
-- the same month of the other year (a year before for this year's figure, a year after for 上年同期)
left join enterprise_month as o
    on o.ent_id = x.ent_id
   and o.month = x.month
   and o.year = case when x.is_current then x.year - 1 else x.year + 1 end
group by all
