-- purpose: projects whose 资金到位率 (到位资金 ÷ 计划投资, 1—$month月 of $year) is below $below_pct %, among projects
--          with at least $min_plan_wan 万元 of planned investment in those months (zone-wide, not the filter bar)
-- params: $year INTEGER, $month INTEGER, $below_pct DOUBLE, $min_plan_wan DOUBLE
-- grain: one row per such project, with who is responsible; lowest rate first
with ytd as (
    select
        project_id,
        sum(funds_in_wan) as funds_in_wan,
        sum(plan_wan) as plan_wan
    from project_month
    where year = $year
      and month <= $month
    group by project_id
)

select
    p.project_id,
    p.project_name,
    p.kind,
    a.area_name,
    y.funds_in_wan,
    y.plan_wan,
    round(y.funds_in_wan / y.plan_wan * 100, 6) as funds_rate_pct,
    p.duty_unit,
    p.duty_person,
    p.liaison_leader
from ytd as y
join projects as p using (project_id)
left join areas as a on a.area_code = p.area_code
where y.plan_wan >= $min_plan_wan
  and y.plan_wan > 0
  and round(y.funds_in_wan / y.plan_wan * 100, 6) < $below_pct
order by funds_rate_pct, p.project_id
