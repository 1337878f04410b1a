-- purpose: one project's completed investment, planned investment and funds in, month by month up to 1—$month月 of $year, with running totals
-- params: $project_id VARCHAR, $year INTEGER, $month INTEGER
-- grain: one row per month with activity, up to the as-of month
select
    year,
    month,
    invest_wan,
    plan_wan,
    funds_in_wan,
    sum(invest_wan) over w as invest_cum_wan,
    sum(plan_wan) over w as plan_cum_wan
from project_month
where project_id = $project_id
  and year * 100 + month <= $year * 100 + $month
window w as (order by year, month rows between unbounded preceding and current row)
order by year, month
