-- purpose: 规上产值 and 增加值 1—$month月 by 产业链 ($by = 'chain') or by 国民经济行业 (any other $by), this year and last year, for level, 同比, 拉动 and 贡献率, with the 同口径 pairs (enterprises that reported in both periods)
-- params: $year INTEGER, $month INTEGER, $by VARCHAR, $scope STRUCT
-- grain: one row per 产业链 or 行业 with data in either year
with facts as (
    select
        case when $by = 'chain' then f.chain else f.sector_name end as part,
        f.year,
        f.output_wan,
        f.value_added_wan
    from scoped_months($scope) as f
    where f.year in ($year, $year - 1)
      and f.month <= $month
),

levels as (
    select
        part,
        coalesce(sum(output_wan) filter (where year = $year), 0) as output_wan,
        coalesce(sum(output_wan) filter (where year = $year - 1), 0) as output_ly_wan,
        coalesce(sum(value_added_wan) filter (where year = $year), 0) as value_added_wan,
        coalesce(sum(value_added_wan) filter (where year = $year - 1), 0) as value_added_ly_wan
    from facts
    group by part
),

comparable as (
    select
        case when $by = 'chain' then chain else sector_name end as part,
        sum(output_wan) filter (where is_current) as output_cmp_wan,
        sum(output_wan) filter (where not is_current) as output_cmp_ly_wan,
        sum(value_added_wan) filter (where is_current) as value_added_cmp_wan,
        sum(value_added_wan) filter (where not is_current) as value_added_cmp_ly_wan
    from scoped_pairs($scope)
    where year = $year
      and month <= $month
      and pair_first <= $month
    group by 1
)

select
    l.*,
    coalesce(c.output_cmp_wan, 0) as output_cmp_wan,
    coalesce(c.output_cmp_ly_wan, 0) as output_cmp_ly_wan,
    coalesce(c.value_added_cmp_wan, 0) as value_added_cmp_wan,
    coalesce(c.value_added_cmp_ly_wan, 0) as value_added_cmp_ly_wan
from levels as l
left join comparable as c using (part)
order by l.output_wan desc, l.part
