-- purpose: the 化工集聚区 safety risk score as of the end of month $month of $year: the latest assessment on or before that date and the one before it (the change is "比上次评估")
-- params: $year INTEGER, $month INTEGER
-- grain: one row per park with an assessment by the as-of date; year = $year
with ranked as (
    select
        r.park,
        r.assess_date,
        r.assessor,
        r.score,
        r.grade,
        lead(r.score) over (partition by r.park order by r.assess_date desc) as previous_score,
        row_number() over (partition by r.park order by r.assess_date desc) as recency
    from risk_assessments as r
    where r.assess_date <= last_day(make_date($year, $month, 1))
)

select
    $year as year,
    park,
    assess_date,
    assessor,
    score,
    grade,
    previous_score
from ranked
where recency = 1
order by park
