-- purpose: 固定资产投资, 工业投资, 高新技术产业投资 1—m月累计 by month, for $year (through $month) and all of $year - 1
-- params: $year INTEGER, $month INTEGER, $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row per year and month (months with no investment in scope included, 累计 carried)
with scope as (
    select * from scoped_projects($chains, $sectors, $areas, $high_tech_only)
),

months as (
    select * from trend_months($year, $month)
),

monthly as (
    select
        pm.year,
        pm.month,
        sum(pm.invest_wan) as fai_wan,
        coalesce(sum(pm.invest_wan) filter (where s.is_industrial), 0) as industrial_invest_wan,
        coalesce(sum(pm.invest_wan) filter (where s.is_high_tech), 0) as high_tech_invest_wan
    from project_month as pm
    join scope as s using (project_id)
    where pm.year in ($year, $year - 1)
    group by pm.year, pm.month
)

select
    m.year,
    m.month,
    sum(coalesce(x.fai_wan, 0)) over w as fai_ytd_wan,
    sum(coalesce(x.industrial_invest_wan, 0)) over w as industrial_invest_ytd_wan,
    sum(coalesce(x.high_tech_invest_wan, 0)) over w as high_tech_invest_ytd_wan
from months as m
left join monthly as x using (year, month)
window w as (partition by m.year order by m.month rows between unbounded preceding and current row)
order by m.year desc, m.month
