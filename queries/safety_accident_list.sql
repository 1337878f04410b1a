-- purpose: the 生产安全事故 of enterprises in the filter scope on or before the end of 1—$month月 $year, newest first,
--          with the enterprise (the 安全生产 page's 事故记录, each row opening the 企业画像); the first $limit
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $limit INTEGER
-- grain: one row per accident (at most $limit)
select
    a.accident_id,
    a.accident_date,
    a.ent_id,
    s.ent_name,
    a.kind,
    a.deaths,
    a.injuries,
    a.loss_wan
from accidents as a
join scoped_enterprises($scope) as s using (ent_id)
where a.accident_date <= last_day(make_date($year, $month, 1))
order by a.accident_date desc, a.accident_id
limit $limit
