-- purpose: the 化工集聚区 safety risk assessments (score and published grade) up to the end of month $month of $year, of parks that are a 片区 marked is_chemical_cluster
-- params: $year INTEGER, $month INTEGER
-- grain: one row per park and assessment date
select
    r.park,
    r.assess_date,
    r.assessor,
    r.score,
    r.grade
from risk_assessments as r
join areas as a
    on a.area_name = r.park
    and a.is_chemical_cluster
where r.assess_date <= last_day(make_date($year, $month, 1))
order by r.park, r.assess_date
