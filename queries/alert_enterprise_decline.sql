-- purpose: 规上企业 whose 当月 $measure ('output' = 工业总产值 万元, 'power' = 用电量 万千瓦时) fell year on year by more
--          than $drop_pct % in each of the last $months reporting periods through month $month of $year (1—2月 count
--          as one period, as they are published together; an as-of month 1 means the December before; $months at most 12);
--          each period's
--          value last year must be at least $min_base (the measure's unit) and the enterprise must have reported in
--          both years, so a missing month breaks the run
-- params: $year INTEGER, $month INTEGER, $measure VARCHAR, $months INTEGER, $drop_pct DOUBLE, $min_base DOUBLE
-- grain: one row per enterprise that fell in every one of those periods; latest_* = the as-of period,
--        mildest_yoy_pct = the smallest fall of the run (the figure every period beat)
with as_of as (
    select case when $month = 1 then $year * 12 else $year * 12 + $month end as idx
),

-- a period's index is year * 12 + month (month 1 folded into month 2)
candidates as (
    select unnest(range(idx - 24, idx + 1)) as period
    from as_of
),

periods as (
    select
        period,
        row_number() over (order by period desc) as back
    from candidates
    where (period - 1) % 12 + 1 <> 1
),

-- only the months the comparison reads: the last $months periods and the same periods a year earlier
needed as (
    select period from periods where back <= $months
    union
    select period - 12 from periods where back <= $months
),

monthly as (
    select
        f.ent_id,
        f.year * 12 + greatest(f.month, 2) as period,
        sum(case $measure when 'output' then f.output_wan when 'power' then f.power_10k_kwh end) as value
    from enterprise_month as f
    where f.year between $year - 3 and $year
      and f.year * 12 + greatest(f.month, 2) in (select period from needed)
    group by f.ent_id, f.year * 12 + greatest(f.month, 2)
),

compared as (
    select
        c.ent_id,
        p.back,
        p.period,
        c.value,
        l.value as value_ly,
        round((c.value / l.value - 1) * 100, 6) as yoy_pct  -- rounded: −15 % is −15, not −15.000000000000002
    from periods as p
    join monthly as c on c.period = p.period
    join monthly as l on l.ent_id = c.ent_id and l.period = p.period - 12
    where p.back <= $months
      and l.value > 0
      and l.value >= $min_base
),

runs as (
    select
        ent_id,
        count(*) filter (where yoy_pct < -$drop_pct) as falling,
        max(yoy_pct) as mildest_yoy_pct,
        max(period) filter (where back = 1) as latest_period,
        max(value) filter (where back = 1) as latest_value,
        max(value_ly) filter (where back = 1) as latest_value_ly,
        max(yoy_pct) filter (where back = 1) as latest_yoy_pct
    from compared
    group by ent_id
)

select
    r.ent_id,
    e.ent_name,
    a.area_name,
    s.chain,
    (r.latest_period - 1) // 12 as latest_year,
    (r.latest_period - 1) % 12 + 1 as latest_month,
    r.latest_value,
    r.latest_value_ly,
    r.latest_yoy_pct,
    r.mildest_yoy_pct,
    r.falling as periods
from runs as r
join enterprises as e using (ent_id)
left join areas as a on a.area_code = e.area_code
left join sectors as s on s.sector_code = e.sector_code
where r.falling = $months
  and r.latest_period is not null
order by r.latest_yoy_pct, r.ent_id
