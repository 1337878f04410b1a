-- purpose: the projects that account most for the change of 固定资产投资: 1—$month月 of $year against the same months of $year - 1 per project in scope, the $n largest increases then the $n largest decreases, with 同比 and 拉动 over all projects in scope (SQL form of cockpit.domain.projects.top_movers)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $n INTEGER
-- grain: one row per project among the $n largest increases and the $n largest decreases (increases first, each largest change first)
with scope as (
    select * from scoped_projects($scope)
),

by_project as (
    -- every project's sums first, then the scope: the join probes one row per project, not per month
    select
        project_id,
        coalesce(sum(invest_wan) filter (where year = $year), 0) as invest_wan,
        coalesce(sum(invest_wan) filter (where year = $year - 1), 0) as invest_ly_wan
    from project_month
    where year in ($year, $year - 1)
      and month <= $month
    group by project_id
),

deltas as (
    select
        b.*,
        b.invest_wan - b.invest_ly_wan as delta,
        sum(b.invest_ly_wan) over () as total_ly_wan
    from by_project as b
    semi join scope as s using (project_id)
),

movers as (
    (select 1 as side, * from deltas where delta > 0 order by delta desc, project_id limit $n)
    union all
    (select 2 as side, * from deltas where delta < 0 order by delta, project_id limit $n)
)

select
    m.project_id,
    s.project_name,
    s.kind,
    coalesce(s.chain, '非工业（基础设施/平台）') as chain,
    m.invest_wan,
    m.invest_ly_wan,
    m.delta,
    case when m.invest_ly_wan <> 0 then (m.invest_wan / m.invest_ly_wan - 1) * 100 end as yoy_pct,
    case when m.total_ly_wan <> 0 then m.delta / m.total_ly_wan * 100 end as pull_pp
from movers as m
join scope as s using (project_id)
order by m.side, abs(m.delta) desc, m.project_id
