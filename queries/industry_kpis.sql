-- purpose: 规上工业 headline figures for 1—$month月 of $year and of the year before (same months), with the 同口径 pairs (enterprises that reported in both periods) on the $year row
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per year ($year and $year - 1); sums are null where the year has no data; the *_cmp_* columns only on the $year row
with periods as (
    select unnest([$year, $year - 1]) as year
),

-- monthly sums from the summary built at load time (queries/materialized/enterprise_month_cube.sql); 当月 = month
-- $month, or 1—2月 together when $month ≤ 2 (published together)
sums as (
    select
        year,
        sum(output_wan) as output_wan,
        sum(value_added_wan) as value_added_wan,
        coalesce(sum(value_added_wan) filter (where is_high_tech), 0) as high_tech_va_wan,
        sum(revenue_wan) as revenue_wan,
        sum(output_wan) filter (where month = $month or $month <= 2) as output_month_wan,
        sum(value_added_wan) filter (where month = $month or $month <= 2) as value_added_month_wan
    from scoped_months($scope)
    where year in ($year, $year - 1)
      and month <= $month
    group by year
),

-- enterprises with data in 1—m月 (each once) and their land: those that first reported by month m
entries as (
    select
        year,
        sum(enterprises) as enterprise_count,
        sum(land_mu) as land_mu
    from scoped_entries($scope)
    where year in ($year, $year - 1)
      and first_month <= $month
    group by year
),

county as (
    select
        year,
        sum(county_output_wan) as county_output_wan
    from county_month
    where year in ($year, $year - 1)
      and month <= $month
    group by year
),

-- 同口径: the same enterprises in both periods (queries/materialized/enterprise_pair_cube.sql); 当月 pairs the
-- enterprises that reported month $month in both years (1—2月: the 1—m月 pairs)
comparable as (
    select
        $year as year,
        sum(output_wan) filter (where is_current) as output_cmp_wan,
        sum(output_wan) filter (where not is_current) as output_cmp_ly_wan,
        sum(value_added_wan) filter (where is_current) as value_added_cmp_wan,
        sum(value_added_wan) filter (where not is_current) as value_added_cmp_ly_wan,
        coalesce(sum(value_added_wan) filter (where is_current and is_high_tech), 0) as high_tech_va_cmp_wan,
        coalesce(sum(value_added_wan) filter (where not is_current and is_high_tech), 0) as high_tech_va_cmp_ly_wan,
        sum(output_wan) filter (where is_current and month_pair) as output_month_cmp_wan,
        sum(output_wan) filter (where not is_current and month_pair) as output_month_cmp_ly_wan,
        sum(value_added_wan) filter (where is_current and month_pair) as value_added_month_cmp_wan,
        sum(value_added_wan) filter (where not is_current and month_pair) as value_added_month_cmp_ly_wan
    from (
        select
            *,
            $month <= 2 or (month = $month and both_month) as month_pair
        from scoped_pairs($scope)
        where year = $year
          and month <= $month
          and pair_first <= $month
    )
),

comparable_count as (
    select
        $year as year,
        coalesce(sum(enterprises), 0)::bigint as comparable_count
    from scoped_pair_entries($scope)
    where year = $year
      and pair_first <= $month
)

select
    p.year,
    s.output_wan,
    s.value_added_wan,
    s.high_tech_va_wan,
    s.revenue_wan,
    s.output_month_wan,
    s.value_added_month_wan,
    coalesce(l.enterprise_count, 0) as enterprise_count,
    l.land_mu,
    s.value_added_wan / nullif(l.land_mu, 0) as mujun_va_wan_per_mu,
    c.county_output_wan,
    n.comparable_count,
    m.output_cmp_wan,
    m.output_cmp_ly_wan,
    m.value_added_cmp_wan,
    m.value_added_cmp_ly_wan,
    m.high_tech_va_cmp_wan,
    m.high_tech_va_cmp_ly_wan,
    m.output_month_cmp_wan,
    m.output_month_cmp_ly_wan,
    m.value_added_month_cmp_wan,
    m.value_added_month_cmp_ly_wan
from periods as p
left join sums as s using (year)
left join entries as l using (year)
left join county as c using (year)
left join comparable as m using (year)
left join comparable_count as n using (year)
order by p.year desc
