-- purpose: every 低效用地整治 action found by the end of 1—$month月 of $year, with its status on that date (摸排 → 方案 → 实施 → 验收, from its dates), parcel, enterprise before / after and 亩均税收 before / after
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per action (date_found on or before the as-of date); ent_id = the parcel's largest enterprise now (null when none)
with as_of as (
    select last_day(make_date($year, $month, 1)) as d
)

select
    l.action_id,
    l.plan_year,
    l.parcel_id,
    a.area_name,
    l.method,
    case
        when l.date_accepted <= as_of.d then '验收'
        when l.date_start <= as_of.d then '实施'
        when l.date_plan <= as_of.d then '方案'
        else '摸排'
    end as status,
    l.area_mu,
    l.date_found,
    case when l.date_accepted <= as_of.d then l.date_accepted end as date_accepted,
    l.ent_before,
    l.mujun_tax_before_wan,
    l.new_use,
    l.mujun_tax_after_wan,
    t.ent_id
from land_actions as l
cross join as_of
left join areas as a using (area_code)
left join (  -- the largest enterprise on each parcel with an action
    select parcel_id, arg_min(ent_id, (-land_mu, ent_id)) as ent_id
    from enterprises
    where parcel_id in (select parcel_id from land_actions)
    group by parcel_id
) as t using (parcel_id)
where l.date_found <= as_of.d
  and in_areas(l.area_code, $scope)
order by l.plan_year desc, l.action_id
