-- purpose: 固定资产投资, 工业投资, 高新技术产业投资 and project count for 1—$month月 of $year and the year before
-- params: $year INTEGER, $month INTEGER, $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row per year ($year and $year - 1)
with scope as (
    select * from scoped_projects($chains, $sectors, $areas, $high_tech_only)
),

periods as (
    select unnest([$year, $year - 1]) as year
),

done as (
    select
        m.year,
        m.project_id,
        m.invest_wan,
        s.is_industrial,
        s.is_high_tech
    from project_month as m
    join scope as s using (project_id)
    where m.year in ($year, $year - 1)
      and m.month <= $month
),

sums as (
    select
        year,
        sum(invest_wan) as fai_wan,
        coalesce(sum(invest_wan) filter (where is_industrial), 0) as industrial_invest_wan,
        coalesce(sum(invest_wan) filter (where is_high_tech), 0) as high_tech_invest_wan,
        count(distinct project_id) filter (where invest_wan > 0) as project_count
    from done
    group by year
)

select
    p.year,
    s.fai_wan,
    s.industrial_invest_wan,
    s.high_tech_invest_wan,
    coalesce(s.project_count, 0) as project_count
from periods as p
left join sums as s using (year)
order by p.year desc
