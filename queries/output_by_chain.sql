-- purpose: 规上产值 1—$month月 by 产业链, this year and last year (for level, 同比 and 拉动), with the 同口径 pair (enterprises that reported in both periods)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per 产业链 with data in either year
with levels as (
    select
        f.chain,
        coalesce(sum(f.output_wan) filter (where f.year = $year), 0) as output_wan,
        coalesce(sum(f.output_wan) filter (where f.year = $year - 1), 0) as output_ly_wan
    from scoped_months($scope) as f
    where f.year in ($year, $year - 1)
      and f.month <= $month
    group by f.chain
),

comparable as (
    select
        chain,
        sum(output_wan) filter (where is_current) as output_cmp_wan,
        sum(output_wan) filter (where not is_current) as output_cmp_ly_wan
    from scoped_pairs($scope)
    where year = $year
      and month <= $month
      and pair_first <= $month
    group by chain
)

select
    l.chain,
    l.output_wan,
    l.output_ly_wan,
    coalesce(c.output_cmp_wan, 0) as output_cmp_wan,
    coalesce(c.output_cmp_ly_wan, 0) as output_cmp_ly_wan
from levels as l
left join comparable as c using (chain)
order by l.output_wan desc, l.chain
