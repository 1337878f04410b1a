-- purpose: each enterprise's 产值 and 增加值 of one year as two 12-element lists (element m = month m, null where not
--          reported), built once when the data is loaded or imported, so per-enterprise 1—m月 sums are a list slice
--          (list_sum(output[1:m])) over one row per enterprise-year instead of a group-by over every enterprise-month
-- params: none
-- grain: one row per (enterprise, year) with data; first_month = the first month with a row that year
select
    ent_id,
    year,
    min(month) as first_month,
    [
        sum(output_wan) filter (where month = 1),
        sum(output_wan) filter (where month = 2),
        sum(output_wan) filter (where month = 3),
        sum(output_wan) filter (where month = 4),
        sum(output_wan) filter (where month = 5),
        sum(output_wan) filter (where month = 6),
        sum(output_wan) filter (where month = 7),
        sum(output_wan) filter (where month = 8),
        sum(output_wan) filter (where month = 9),
        sum(output_wan) filter (where month = 10),
        sum(output_wan) filter (where month = 11),
        sum(output_wan) filter (where month = 12)
    ]::double[] as output,
    [
        sum(value_added_wan) filter (where month = 1),
        sum(value_added_wan) filter (where month = 2),
        sum(value_added_wan) filter (where month = 3),
        sum(value_added_wan) filter (where month = 4),
        sum(value_added_wan) filter (where month = 5),
        sum(value_added_wan) filter (where month = 6),
        sum(value_added_wan) filter (where month = 7),
        sum(value_added_wan) filter (where month = 8),
        sum(value_added_wan) filter (where month = 9),
        sum(value_added_wan) filter (where month = 10),
        sum(value_added_wan) filter (where month = 11),
        sum(value_added_wan) filter (where month = 12)
    ]::double[] as value_added
from enterprise_month
group by ent_id, year
