-- purpose: 全区 当月 规上产值, 增加值 and 高新技术产业增加值 by 产业链 for $year and the year before, the inputs of the sector sliders
-- params: $year INTEGER
-- grain: one row per 产业链, year and month with data
select
    s.chain,
    f.year,
    f.month,
    sum(f.output_wan) as output_wan,
    sum(f.value_added_wan) as value_added_wan,
    coalesce(sum(f.value_added_wan) filter (where f.is_high_tech), 0) as high_tech_va_wan
from enterprise_month_cube as f
join sectors as s using (sector_code)
where f.year in ($year, $year - 1)
group by s.chain, f.year, f.month
order by s.chain, f.year, f.month
