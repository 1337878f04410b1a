-- purpose: the enterprise ranking of 工业经济: the top $n enterprises by 1—$month月 level ($kind = 'top'), by 同比 ('growth',
--          enterprises with a base last year only) or the largest decliners ('decline', Δ < 0, most negative first), for
--          产值 ($measure = 'output') or 增加值 ('value_added'), optionally only names containing $search; 拉动 is over
--          every enterprise in the filter scope (before the search), as in cockpit.domain.industry.enterprise_table
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $measure VARCHAR, $kind VARCHAR, $n INTEGER, $search VARCHAR
-- grain: one row per enterprise shown (at most $n), in ranking order

-- 1—m月 sums per enterprise: element m of the running sums in queries/materialized/enterprise_year_months.sql, which
-- carries the filter keys and the name; an enterprise counts in a year when it has any row in months 1—m
-- (first_month ≤ m), as a group-by would
with years as (
    select
        ent_id,
        ent_name,
        chain,
        sector_name,
        area_code,
        year,
        coalesce((case when $measure = 'output' then output_ytd else value_added_ytd end)[$month], 0) as v
    from enterprise_year_months as y
    where year in ($year, $year - 1)
      and first_month <= $month
      and in_scope($scope, y)
),

sums as (
    select
        ent_id,
        any_value(ent_name) as ent_name,
        any_value(chain) as chain,
        any_value(sector_name) as sector_name,
        any_value(area_code) as area_code,
        coalesce(sum(v) filter (where year = $year), 0) as current_wan,
        coalesce(sum(v) filter (where year = $year - 1), 0) as previous_wan
    from years
    group by ent_id
),

ranked as (
    select
        *,
        current_wan - previous_wan as delta_wan,
        case when previous_wan <> 0 then (current_wan / previous_wan - 1) * 100 end as yoy_pct,
        (current_wan - previous_wan) / nullif(sum(previous_wan) over (), 0) * 100 as pull_pp
    from sums
),

-- the $n shown, in ranking order (sort_key, then ent_id); 片区 names are joined for these rows only
shown as (
    select
        *,
        case when $kind = 'top' then -current_wan
             when $kind = 'growth' then -yoy_pct
             else delta_wan end as sort_key
    from ranked
    where ($search = '' or contains(lower(ent_name), lower($search)))
      and ($kind = 'top'
           or ($kind = 'growth' and previous_wan > 0)
           or ($kind = 'decline' and delta_wan < 0))
    order by sort_key, ent_id
    limit $n
)

select
    s.ent_id,
    s.ent_name,
    s.chain,
    s.sector_name,
    a.area_name,
    s.current_wan,
    s.previous_wan,
    s.delta_wan,
    s.yoy_pct,
    s.pull_pp
from shown as s
left join areas as a on a.area_code = s.area_code
order by s.sort_key, s.ent_id
