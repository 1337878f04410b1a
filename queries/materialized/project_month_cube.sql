-- purpose: project monthly 完成投资 / 计划 / 到位资金 summed to the filter bar's grain (plus 项目类型, 工业, 高新), built once
--          when the data is loaded or imported, so 投资 totals and trends need no scan of every project-month
-- params: none
-- grain: one row per (year, month, filter-dimension key columns of project_keys(), 项目类型, 工业) with data; sector_code is null for projects
--        without a sector (基础设施, 平台提升), which every industry filter excludes
select
    m.year,
    m.month,
    k.* exclude (project_id),
    p.kind,
    p.is_industrial,
    sum(m.invest_wan) as invest_wan,
    sum(m.plan_wan) as plan_wan,
    sum(m.funds_in_wan) as funds_in_wan,
    count(*) as reports
from project_month as m
join projects as p using (project_id)
join project_keys() as k using (project_id)
group by all
