-- purpose: the 生产安全事故 of one enterprise on or before the end of month $month of $year, newest first
-- params: $ent_id VARCHAR, $year INTEGER, $month INTEGER
-- grain: one row per accident
select
    accident_id,
    accident_date,
    kind,
    deaths,
    injuries,
    loss_wan
from accidents
where ent_id = $ent_id
  and accident_date <= last_day(make_date($year, $month, 1))
order by accident_date desc, accident_id
