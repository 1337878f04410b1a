-- purpose: the month in which each project first had 完成投资 > 0 in each year, counted to the filter bar's grain, so
--          "projects with investment in 1—m月" (在建投资项目数) needs no scan of project_month: first_month ≤ m
-- params: none
-- grain: one row per (year, first_month, filter-dimension key columns); sector_code null for projects without a sector
with firsts as (
    select
        project_id,
        year,
        min(month) as first_month
    from project_month
    where invest_wan > 0
    group by project_id, year
)

select
    f.year,
    f.first_month,
    k.* exclude (project_id),
    count(*) as projects
from firsts as f
join projects as p using (project_id)
join project_keys() as k using (project_id)
group by all
