-- purpose: the 化工集聚区 safety risk assessments up to the end of month $month of $year, only for parks that are a
--          化工集聚区 of this zone (areas.is_chemical_cluster): a zone without one gets no rows
-- params: $year INTEGER, $month INTEGER
-- grain: one row per park and assessment date, oldest first
select
    r.park,
    c.area_code,
    r.assess_date,
    r.assessor,
    r.score,
    r.grade
from risk_assessments as r
join areas as c on c.area_name = r.park and c.is_chemical_cluster
where r.assess_date <= last_day(make_date($year, $month, 1))
order by r.park, r.assess_date
