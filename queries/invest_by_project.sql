-- purpose: 1—$month月 completed investment per project in $year and the same months of $year - 1 (for growth attribution by project)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per project in scope with investment in either period
with scope as (
    select * from scoped_projects($scope)
)

select
    s.project_id,
    s.project_name,
    s.kind,
    coalesce(s.chain, '非工业（基础设施/平台）') as chain,
    sum(pm.invest_wan) filter (where pm.year = $year) as invest_wan,
    sum(pm.invest_wan) filter (where pm.year = $year - 1) as invest_ly_wan
from project_month as pm
join scope as s using (project_id)
where pm.year in ($year, $year - 1)
  and pm.month <= $month
group by all
order by s.project_id
