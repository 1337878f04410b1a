-- purpose: the 行业 (GB/T 4754 大类) and 产业链 the filter bar offers
-- params: none
-- grain: one row per sector
select
    sector_code,
    sector_name,
    chain,
    is_high_tech
from sectors
order by sector_code
