-- purpose: 低效用地 candidate pool: enterprises whose 亩均税收 (实缴税金 ÷ 用地亩) in $eval_year is below $floor_wan_per_mu, on parcels with no 整治 action found by the end of 1—$month月 of $year
-- params: $eval_year INTEGER, $year INTEGER, $month INTEGER, $scope STRUCT, $floor_wan_per_mu DOUBLE
-- grain: one row per enterprise below the floor
with eval as (
    select $eval_year as year
),

tax as (
    select
        m.ent_id,
        sum(m.tax_wan) as tax_wan,
        sum(m.output_wan) as output_wan,
        count(*) as months_reported
    from enterprise_month as m, eval
    where m.year = eval.year
      -- only the scope's enterprises with land are summed (the same rows the final filter keeps)
      and m.ent_id in (select ent_id from enterprises where land_mu > 0 and in_areas(area_code, $scope))
    group by m.ent_id
),

treated as (
    select distinct parcel_id
    from land_actions
    where date_found <= last_day(make_date($year, $month, 1))
)

select
    e.ent_id,
    e.ent_name,
    e.area_code,
    s.sector_name,
    a.area_name,
    e.parcel_id,
    e.land_mu,
    t.tax_wan,
    t.output_wan,
    t.months_reported,
    t.tax_wan / e.land_mu as mujun_tax_wan_per_mu,
    eval.year as eval_year
from enterprises as e
join tax as t using (ent_id)
cross join eval
left join sectors as s using (sector_code)
left join areas as a using (area_code)
where e.land_mu > 0
  and t.tax_wan / e.land_mu < $floor_wan_per_mu
  and e.parcel_id not in (select parcel_id from treated)
  and in_areas(e.area_code, $scope)
order by mujun_tax_wan_per_mu, e.ent_id
