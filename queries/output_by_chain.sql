-- purpose: 规上产值 1—$month月 by 产业链, this year and last year (for level, 同比 and 拉动)
-- params: $year INTEGER, $month INTEGER, $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row per 产业链 with data in either year
select
    f.chain,
    coalesce(sum(f.output_wan) filter (where f.year = $year), 0) as output_wan,
    coalesce(sum(f.output_wan) filter (where f.year = $year - 1), 0) as output_ly_wan
from scoped_months($chains, $sectors, $areas, $high_tech_only) as f
where f.year in ($year, $year - 1)
  and f.month <= $month
group by f.chain
order by output_wan desc
