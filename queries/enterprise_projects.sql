-- purpose: the projects an enterprise carries out (projects.ent_id), with 计划总投资 and the investment completed in
--          1—$month月 of $year and in total up to that month's end
-- params: $ent_id VARCHAR, $year INTEGER, $month INTEGER
-- grain: one row per project of the enterprise, newest plan first
select
    p.*,
    a.area_name,
    coalesce(sum(m.invest_wan) filter (where m.year = $year and m.month <= $month), 0) as invest_ytd_wan,
    coalesce(sum(m.invest_wan) filter (where m.year * 12 + m.month <= $year * 12 + $month), 0) as invest_cum_wan
from projects as p
left join areas as a using (area_code)
left join project_month as m using (project_id)
where p.ent_id = $ent_id
group by all
order by p.plan_year desc, p.project_id
