-- purpose: 生产安全事故 in the last $months months through the end of month $month of $year (zone-wide), the new
--          accidents a warning names
-- params: $year INTEGER, $month INTEGER, $months INTEGER
-- grain: one row per accident, newest first
select
    x.accident_id,
    x.accident_date,
    x.ent_id,
    e.ent_name,
    a.area_name,
    x.kind,
    x.deaths,
    x.injuries,
    x.loss_wan
from accidents as x
left join enterprises as e using (ent_id)
left join areas as a on a.area_code = x.area_code
where x.accident_date <= last_day(make_date($year, $month, 1))
  and x.accident_date >= make_date($year, $month, 1) - to_months($months - 1)
order by x.accident_date desc, x.accident_id
