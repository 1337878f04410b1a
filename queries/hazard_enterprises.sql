-- purpose: enterprises to pick in the 隐患 drill-down: the $limit with most hazards in the register (found in 1—$month月
--          $year or open at its end), or of those whose name contains $search, and always $ent_id (the one picked)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $search VARCHAR, $ent_id VARCHAR, $limit INTEGER
-- grain: one row per enterprise listed (cut by most hazards, then ent_id), most hazards first, then by name;
--        hazards = its rows in hazard_register (= 已整改 + 未整改 of hazard_breakdown); matches = how many enterprises
--        in scope have hazards and match $search (the same on every row)
with per_enterprise as (
    select
        ent_id,
        count(*) as hazards
    from hazard_register_rows($year, $month, $scope)
    group by ent_id
),

-- the search is a plain substring of the name, bound as a value (no pattern characters)
matching as (
    select *
    from per_enterprise
    where $search = ''
       or ent_id in (select ent_id from enterprises where contains(ent_name, $search))
),

listed as (
    (select * from matching order by hazards desc, ent_id limit $limit)
    union
    select * from per_enterprise where ent_id = $ent_id
)

select
    l.ent_id,
    e.ent_name,
    l.hazards,
    (select count(*) from matching) as matches
from listed as l
join enterprises as e using (ent_id)
order by l.hazards desc, e.ent_name, l.ent_id
