-- purpose: every target of $year (全区, 产业链 and 片区 scopes) with its source, for the 目标表 on 目标推演
-- params: $year INTEGER
-- grain: one row per target (indicator, scope) of $year
select
    t.year,
    t.indicator_id,
    t.scope_kind,
    t.scope_code,
    t.target_value,
    t.source
from targets as t
where t.year = $year
order by t.scope_kind, t.scope_code, t.indicator_id
