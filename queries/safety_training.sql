-- purpose: 安全培训 and 应急演练 (sessions and 人次) in 1—$month月 of $year and of last year; only the 片区 filter applies (trainings are recorded by 片区, not by enterprise)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1) and kind (培训 / 演练)
with periods as (
    select * from ytd_periods($year, $month)
),

kinds as (
    select unnest(['培训', '演练']) as kind
)

select
    p.year,
    k.kind,
    count(t.training_id) as sessions,
    coalesce(sum(t.participants), 0)::bigint as participants
from periods as p
cross join kinds as k
left join trainings as t
    on t.kind = k.kind
   and t.training_date between p.period_start and p.as_of
   and in_areas(t.area_code, $scope)
group by p.year, k.kind
order by p.year desc, k.kind
