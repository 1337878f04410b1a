-- purpose: each 规上 enterprise's 产值 and 增加值 for 1—$month月 of $year and the same months of the year before (for top N, growth and the largest decliners)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per enterprise reporting in either period
with scope as (
    select * from scoped_enterprises($scope)
),

sums as (
    select
        f.ent_id,
        sum(f.output_wan) filter (where f.year = $year) as output_wan,
        sum(f.output_wan) filter (where f.year = $year - 1) as output_ly_wan,
        sum(f.value_added_wan) filter (where f.year = $year) as value_added_wan,
        sum(f.value_added_wan) filter (where f.year = $year - 1) as value_added_ly_wan
    from enterprise_month as f
    where f.year in ($year, $year - 1)
      and f.month <= $month
    group by f.ent_id
)

select
    s.ent_id,
    s.ent_name,
    s.chain,
    s.sector_name,
    a.area_name,
    s.is_high_tech,
    coalesce(m.output_wan, 0) as output_wan,
    coalesce(m.output_ly_wan, 0) as output_ly_wan,
    coalesce(m.value_added_wan, 0) as value_added_wan,
    coalesce(m.value_added_ly_wan, 0) as value_added_ly_wan,
    m.output_wan is not null as is_reporting,
    m.output_ly_wan is not null as was_reporting
from sums as m
join scope as s using (ent_id)
left join areas as a on a.area_code = s.area_code
order by output_wan desc, s.ent_id
