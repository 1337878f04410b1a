-- purpose: every project in scope with its stage dates, plan dates, 计划总投资 and 1—$month月 of $year completed / planned investment and funds in (for the funnel, rates and lagging list)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per project in scope
with scope as (
    select * from scoped_projects($scope)
),

ytd as (
    select
        project_id,
        sum(invest_wan) as invest_ytd_wan,
        sum(plan_wan) as plan_ytd_wan,
        sum(funds_in_wan) as funds_in_ytd_wan
    from project_month
    where year = $year
      and month <= $month
    group by project_id
),

to_date as (
    select
        project_id,
        sum(invest_wan) as invest_to_date_wan
    from project_month
    where year * 100 + month <= $year * 100 + $month
    group by project_id
)

select
    s.project_id,
    s.project_name,
    s.kind,
    a.area_name,
    sec.sector_name,
    s.is_reserve,
    s.is_special_bond,
    s.plan_year,
    s.total_invest_wan,
    s.date_idea,
    s.date_talk,
    s.date_sign,
    s.date_start,
    s.date_complete,
    s.date_produce,
    s.plan_start,
    s.plan_produce,
    s.note,
    coalesce(y.invest_ytd_wan, 0) as invest_ytd_wan,
    coalesce(y.plan_ytd_wan, 0) as plan_ytd_wan,
    coalesce(y.funds_in_ytd_wan, 0) as funds_in_ytd_wan,
    coalesce(t.invest_to_date_wan, 0) as invest_to_date_wan
from scope as s
left join areas as a using (area_code)
left join sectors as sec using (sector_code)
left join ytd as y using (project_id)
left join to_date as t using (project_id)
order by s.project_id
