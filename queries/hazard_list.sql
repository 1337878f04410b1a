-- purpose: the 隐患 register behind the drill-down: found in 1—$month月 $year or still open at its end, optionally one category and one enterprise
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $category VARCHAR, $ent_id VARCHAR
-- grain: one row per hazard ($category / $ent_id empty = all), with its 整改责任人 and 监管科室
with scope as (
    select ent_id, ent_name from scoped_enterprises($scope)
),

period as (
    select period_start, as_of from ytd_periods($year, $month) where year = $year
)

select
    h.hazard_id,
    s.ent_name,
    a.area_name,
    h.level,
    h.category,
    h.source,
    h.found_date,
    h.deadline,
    -- a rectification after the as-of date is not yet known at the as-of date
    case when h.rectified_date <= p.as_of then h.rectified_date end as rectified_date,
    h.description,
    h.rectify_person,
    h.supervise_office
from hazards as h
cross join period as p
join scope as s on s.ent_id = h.ent_id
join areas as a on a.area_code = h.area_code
where h.found_date <= p.as_of
  and (h.found_date >= p.period_start or h.rectified_date is null or h.rectified_date > p.as_of)
  and ($category = '' or h.category = $category)
  and ($ent_id = '' or h.ent_id = $ent_id)
order by h.found_date desc, h.hazard_id
