-- purpose: the project pipeline funnel at the end of 1—$month月 of $year for each project kind (SQL form of cockpit.domain.projects.funnel over active_in_year): projects 谋划 by the as-of date and not finished (投产, or 竣工 for projects without 投产) before 1 January of $year; per stage of the kind, how many reached it by the as-of date, their 计划总投资, and how many are at it (furthest stage reached)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per project kind (产业 / 基础设施 / 平台提升) and stage of that kind, in stage order
with as_of as (
    select last_day(make_date($year, $month, 1)) as d
),

stages (kind, stage, stage_order) as (
    values ('产业', '谋划', 1), ('产业', '在谈', 2), ('产业', '签约', 3), ('产业', '开工', 4),
           ('产业', '竣工', 5), ('产业', '投产', 6),
           ('基础设施', '谋划', 1), ('基础设施', '开工', 4), ('基础设施', '竣工', 5),
           ('平台提升', '谋划', 1), ('平台提升', '开工', 4), ('平台提升', '竣工', 5)
),

finished as (
    select
        s.*,
        coalesce(s.date_produce, case when s.kind = '产业' then null else s.date_complete end) as date_done
    from scoped_projects($scope) as s
),

active as (
    select
        f.*,
        case
            when f.date_produce <= as_of.d then '投产'
            when f.date_complete <= as_of.d then '竣工'
            when f.date_start <= as_of.d then '开工'
            when f.date_sign <= as_of.d then '签约'
            when f.date_talk <= as_of.d then '在谈'
            when f.date_idea <= as_of.d then '谋划'
        end as current_stage
    from finished as f, as_of
    where f.date_idea <= as_of.d
      and (f.date_done is null or f.date_done >= make_date($year, 1, 1))
),

counted as (
    -- one pass: per kind, a list over the six stages in order (index = stage_order)
    select
        kind,
        [sum((date_idea <= d)::int), sum((date_talk <= d)::int), sum((date_sign <= d)::int),
         sum((date_start <= d)::int), sum((date_complete <= d)::int), sum((date_produce <= d)::int)]
            as reached_counts,
        [sum(case when date_idea <= d then total_invest_wan end),
         sum(case when date_talk <= d then total_invest_wan end),
         sum(case when date_sign <= d then total_invest_wan end),
         sum(case when date_start <= d then total_invest_wan end),
         sum(case when date_complete <= d then total_invest_wan end),
         sum(case when date_produce <= d then total_invest_wan end)] as reached_invest,
        [sum((current_stage = '谋划')::int), sum((current_stage = '在谈')::int),
         sum((current_stage = '签约')::int), sum((current_stage = '开工')::int),
         sum((current_stage = '竣工')::int), sum((current_stage = '投产')::int)] as current_counts
    from active, as_of
    group by kind
)

select
    st.kind,
    st.stage,
    coalesce(c.reached_counts[st.stage_order], 0) as reached_count,
    coalesce(c.reached_invest[st.stage_order], 0)::double as reached_invest_wan,
    coalesce(c.current_counts[st.stage_order], 0) as current_count
from stages as st
left join counted as c using (kind)
order by st.kind, st.stage_order
