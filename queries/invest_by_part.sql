-- purpose: 1—$month月 固定资产投资 of $year and the same months of $year - 1, split three ways: by 产业链, by 国民经济行业 and by 项目类型
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per dimension (产业链 / 行业 / 项目类型) and part; projects without a sector count as 非工业（基础设施/平台）
with done as (
    -- project_month_cube: project-months summed by 行业, 片区, 项目类型, 工业, 高新 at load time
    select
        coalesce(m.chain, '非工业（基础设施/平台）') as chain,
        coalesce(m.sector_name, '非工业（基础设施/平台）') as sector_name,
        m.kind,
        sum(case when m.year = $year then m.invest_wan else 0 end) as invest_wan,
        sum(case when m.year = $year - 1 then m.invest_wan else 0 end) as invest_ly_wan
    from scoped_project_summary('project_month_cube', $scope) as m
    where m.year in ($year, $year - 1)
      and m.month <= $month
    group by all
)

select '产业链' as dimension, chain as part, sum(invest_wan) as invest_wan, sum(invest_ly_wan) as invest_ly_wan
from done group by chain
union all
select '行业' as dimension, sector_name as part, sum(invest_wan), sum(invest_ly_wan)
from done group by sector_name
union all
select '项目类型' as dimension, kind as part, sum(invest_wan), sum(invest_ly_wan)
from done group by kind
order by dimension, invest_wan desc, part
