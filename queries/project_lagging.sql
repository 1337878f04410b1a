-- purpose: 滞后项目 at the end of 1—$month月 of $year (SQL form of cockpit.domain.projects.lagging): projects in scope whose planned 开工 or 投产 (竣工 for projects without 投产) month is $yellow_months or more months before the as-of month without reaching that stage by the as-of date; red from $red_months months; red first, then most months late; at most $limit rows (NULL = all), total_count and red_count count them all
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $yellow_months INTEGER, $red_months INTEGER, $limit INTEGER
-- grain: one row per project and missed milestone (开工 / 投产 or 竣工), with who is responsible (责任单位, 责任人,
--   包联领导); ent_id / ent_name = its 项目业主 (null when none)
with milestones as (
    select
        project_id,
        project_name,
        duty_unit,
        duty_person,
        liaison_leader,
        ent_id,
        unnest([
            {'milestone_order': 1, 'milestone': '开工', 'plan_date': plan_start, 'date_reached': date_start},
            {'milestone_order': 2, 'milestone': case when kind = '产业' then '投产' else '竣工' end,
             'plan_date': plan_produce,
             'date_reached': case when kind = '产业' then date_produce else date_complete end}
        ], recursive := true)
    from scoped_projects($scope)
),

late as (
    select
        *,
        $year * 12 + $month - (year(plan_date) * 12 + month(plan_date)) as months_late
    from milestones
    where plan_date is not null
      and (date_reached is null or date_reached > last_day(make_date($year, $month, 1)))
),

lit as materialized (
    select
        *,
        case when months_late >= $red_months then 'red' else 'yellow' end as status
    from late
    where months_late >= least($yellow_months, $red_months)
),

totals as (
    select
        count(*) as total_count,
        count(*) filter (where status = 'red') as red_count
    from lit
)

select
    l.project_id,
    l.project_name,
    l.ent_id,
    e.ent_name,
    l.milestone,
    l.plan_date,
    l.months_late,
    l.status,
    l.duty_unit,
    l.duty_person,
    l.liaison_leader,
    t.total_count,
    t.red_count
from lit as l
cross join totals as t
left join enterprises as e using (ent_id)
order by l.status = 'red' desc, l.months_late desc, l.project_id, l.milestone_order
limit $limit
