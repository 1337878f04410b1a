-- purpose: 固定资产投资, 工业投资, 高新技术产业投资 1—m月累计 by month, for $year (through $month) and all of $year - 1
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year and month (months with no investment in scope included, 累计 carried)
with months as (
    select * from trend_months($year, $month)
),

monthly as (
    -- project_month_cube: project-months summed by 行业, 片区, 项目类型, 工业, 高新 at load time
    select
        m.year,
        m.month,
        sum(m.invest_wan) as fai_wan,
        coalesce(sum(m.invest_wan) filter (where m.is_industrial), 0) as industrial_invest_wan,
        coalesce(sum(m.invest_wan) filter (where m.is_high_tech), 0) as high_tech_invest_wan
    from scoped_project_summary('project_month_cube', $scope) as m
    where m.year in ($year, $year - 1)
    group by m.year, m.month
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
