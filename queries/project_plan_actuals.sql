-- purpose: the year's project-reserve and 专项债 plan items (储备项目, 专项债储备项目, 拟争取专项债, 平台提升项目) as actually listed by the end of 1—$month月 of $year, for the projects in scope (projects without a sector drop out under an industry filter), in the targets' units
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per plan indicator (indicator_id as in the targets table)
with as_of as (
    select last_day(make_date($year, $month, 1)) as d
),

listed as (
    select p.*
    from scoped_projects($scope) as p, as_of
    where p.plan_year = $year
      and p.date_idea <= as_of.d
),

bond_reserve as (
    select * from listed where is_reserve and is_special_bond
),

sought as (
    select sum(b.amount_wan) as amount_wan
    from bond_events as b, as_of
    where b.event = '申报'
      and b.event_date <= as_of.d
      and b.project_id in (select project_id from bond_reserve)
),

platform as (
    select
        count(*) as listed,
        count(*) filter (where date_start <= as_of.d) as started
    from listed, as_of
    where kind = '平台提升'
)

select 'reserve_projects' as indicator_id, count(*)::double as actual_value, null::double as listed_value
from listed where is_reserve and not is_special_bond
union all
select 'reserve_invest', coalesce(sum(total_invest_wan), 0) / 10000, null
from listed where is_reserve and not is_special_bond
union all
select 'bond_reserve_projects', count(*)::double, null from bond_reserve
union all
select 'bond_reserve_invest', coalesce(sum(total_invest_wan), 0) / 10000, null from bond_reserve
union all
select 'bond_seek', coalesce(amount_wan, 0) / 10000, null from sought
union all
select 'platform_projects', started::double, listed::double from platform
