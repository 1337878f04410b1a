-- purpose: 低效用地整治 actions by parcel (for the 亩均 D 类名单: is the parcel already under 整治?)
-- params: none
-- grain: one row per parcel with at least one 整治 action (its latest action)
select
    parcel_id,
    action_id,
    plan_year,
    method,
    status,
    area_mu,
    date_accepted
from land_actions
where parcel_id is not null
qualify row_number() over (
    partition by parcel_id
    order by plan_year desc, action_id desc
) = 1
order by parcel_id
