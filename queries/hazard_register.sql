-- purpose: the 隐患 register as the page lists it: hazards found in 1—$month月 $year or still open at its end, each with
--          its state at the as-of date (到期未整改 / 整改中 / 逾期整改 / 按期整改), age and days overdue, optionally one
--          category, one enterprise and one state; 到期未整改 first (重大 first, most days overdue first), then 整改中,
--          逾期整改, 按期整改, newest first within; the first $limit rows (null = all), with how many there are
-- params: $year INTEGER, $month INTEGER, $scope STRUCT, $category VARCHAR, $ent_id VARCHAR, $status VARCHAR, $limit INTEGER
-- grain: one row per hazard ($category / $ent_id / $status empty = all), with its 整改责任人 and 监管科室; total = rows before the limit,
--        overdue_total = how many of those are 到期未整改 (the same on every row)
-- a rectification after the as-of date is not yet known at the as-of date
with known as (
    select
        * exclude (rectified_date),
        case when rectified_date <= as_of then rectified_date end as rectified_date
    from hazard_register_rows($year, $month, $scope)
    where ($category = '' or category = $category)
      and ($ent_id = '' or ent_id = $ent_id)
),

-- as cockpit.domain.safety.hazard_status, hazard_age and days_overdue at the as-of date
classified as (
    select
        hazard_id, ent_id, area_code, level, category, source, found_date, deadline, rectified_date, description,
        rectify_person, supervise_office,
        case
            when rectified_date is null and deadline < as_of then '到期未整改'
            when rectified_date is null then '整改中'
            when deadline is null or rectified_date <= deadline then '按期整改'
            else '逾期整改'
        end as status,
        case when rectified_date is null then (as_of - found_date)::integer end as age_days,
        case when rectified_date is null and deadline < as_of then (as_of - deadline)::integer end as overdue_days
    from known
),

chosen as (
    select
        *,
        case status when '到期未整改' then 0 when '整改中' then 1 when '逾期整改' then 2 else 3 end as status_rank,
        case when level = '重大' then 0 else 1 end as major_rank
    from classified
    where $status = '' or status = $status
),

counts as (
    select count(*) as total, count(*) filter (where status = '到期未整改') as overdue_total
    from chosen
),

head as (
    select *
    from chosen
    order by status_rank, major_rank, coalesce(overdue_days, -1) desc, found_date desc, hazard_id
    limit $limit
)

select
    r.hazard_id,
    r.ent_id,
    e.ent_name,
    a.area_name,
    r.level,
    r.category,
    r.source,
    r.found_date,
    r.deadline,
    r.rectified_date,
    r.description,
    r.rectify_person,
    r.supervise_office,
    r.status,
    r.age_days,
    r.overdue_days,
    c.total,
    c.overdue_total
from head as r
join enterprises as e on e.ent_id = r.ent_id
join areas as a on a.area_code = r.area_code
cross join counts as c
order by r.status_rank, r.major_rank, coalesce(r.overdue_days, -1) desc, r.found_date desc, r.hazard_id
