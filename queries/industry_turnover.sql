-- purpose: 规上企业数 reporting 产值 in 1—$month月 of $year and in the same months of the year before, with entrants
--          (新进规: now, not a year ago) and leavers (退出: a year ago, not now)
-- params: $year INTEGER, $month INTEGER, $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row
with scope as (
    select * from scoped_enterprises($chains, $sectors, $areas, $high_tech_only)
),

reporting as (
    select
        f.ent_id,
        bool_or(f.year = $year and f.output_wan is not null) as is_reporting,
        bool_or(f.year = $year - 1 and f.output_wan is not null) as was_reporting
    from enterprise_month as f
    join scope as s using (ent_id)
    where f.year in ($year, $year - 1)
      and f.month <= $month
    group by f.ent_id
)

select
    count(*) filter (where is_reporting) as now,
    count(*) filter (where was_reporting) as before,
    count(*) filter (where is_reporting and not was_reporting) as entered,
    count(*) filter (where was_reporting and not is_reporting) as left_count
from reporting
