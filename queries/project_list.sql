-- purpose: every project (not limited by the filter bar) with its stage dates, for finding a project by name
-- params: none
-- grain: one row per project, with who is responsible (责任单位, 责任人, 包联领导)
select
    p.project_id,
    p.project_name,
    p.kind,
    a.area_name,
    p.total_invest_wan,
    p.date_idea,
    p.date_talk,
    p.date_sign,
    p.date_start,
    p.date_complete,
    p.date_produce,
    p.plan_start,
    p.plan_produce,
    p.note,
    p.duty_unit,
    p.duty_person,
    p.liaison_leader
from projects as p
left join areas as a using (area_code)
order by p.project_name
