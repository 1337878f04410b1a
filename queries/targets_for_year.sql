-- purpose: the zone-wide (全区) annual targets of $year, one per indicator
-- params: $year INTEGER
-- grain: one row per indicator with a 全区 target in $year
select
    t.indicator_id,
    t.target_value,
    t.source
from targets as t
where t.year = $year
  and t.scope_kind = '全区'
order by t.indicator_id
