-- purpose: the enterprise ranking of 工业经济: the top $n enterprises by 1—$month月 level ($kind = 'top'), by 同比 ('growth',
--          enterprises with a base last year only) or the largest decliners ('decline', Δ < 0, most negative first), for
--          产值 ($measure = 'output') or 增加值 ('value_added'), optionally only names containing $search; 拉动 is over
--          every enterprise in the filter scope (before the search), as in cockpit.domain.industry.enterprise_table
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $measure VARCHAR, $kind VARCHAR, $n INTEGER, $search VARCHAR
-- grain: one row per enterprise shown (at most $n), in ranking order
with scope as (
    select * from scoped_enterprises($scope)
),

-- 1—m月 sums per enterprise from the per-year month lists (queries/materialized/enterprise_year_months.sql);
-- an enterprise counts in a year when it has any row in months 1—m (first_month ≤ m), as a group-by would
years as (
    select
        ent_id,
        year,
        coalesce(list_sum((case when $measure = 'output' then output else value_added end)[1:$month]), 0) as v
    from enterprise_year_months
    where year in ($year, $year - 1)
      and first_month <= $month
      and ent_id in (select ent_id from scope)
),

sums as (
    select
        ent_id,
        coalesce(sum(v) filter (where year = $year), 0) as current_wan,
        coalesce(sum(v) filter (where year = $year - 1), 0) as previous_wan
    from years
    group by ent_id
),

ranked as (
    select
        s.ent_id,
        s.ent_name,
        s.chain,
        s.sector_name,
        a.area_name,
        m.current_wan,
        m.previous_wan,
        m.current_wan - m.previous_wan as delta_wan,
        case when m.previous_wan <> 0 then (m.current_wan / m.previous_wan - 1) * 100 end as yoy_pct,
        (m.current_wan - m.previous_wan) / nullif(sum(m.previous_wan) over (), 0) * 100 as pull_pp
    from sums as m
    join scope as s using (ent_id)
    left join areas as a on a.area_code = s.area_code
)

select *
from ranked
where ($search = '' or contains(lower(ent_name), lower($search)))
  and ($kind = 'top'
       or ($kind = 'growth' and previous_wan > 0)
       or ($kind = 'decline' and delta_wan < 0))
order by
    case when $kind = 'top' then -current_wan
         when $kind = 'growth' then -yoy_pct
         else delta_wan end,
    ent_id
limit $n
