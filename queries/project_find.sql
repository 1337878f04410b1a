-- purpose: projects to pick on the 项目查询 tab (not limited by the filter bar): those whose name or 编号 contains $search (case-insensitive; every project when empty); the $limit with the largest 计划总投资, listed by name; total_count counts every match
-- params: $search VARCHAR, $limit INTEGER
-- grain: one row per matching project (at most $limit)
with matches as (
    select
        project_id,
        total_invest_wan
    from projects
    where $search = ''
       or contains(lower(project_name), lower($search))
       or contains(lower(project_id), lower($search))
),

largest as (
    select project_id
    from matches
    order by total_invest_wan desc nulls last, project_id
    limit $limit
)

select
    p.*,
    a.area_name,
    (select count(*) from matches) as total_count
from largest
join projects as p using (project_id)
left join areas as a using (area_code)
order by p.project_name, p.project_id
