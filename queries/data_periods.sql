-- purpose: the years with monthly statistics and the last month reported in each
-- params: none
-- grain: one row per year
select
    year,
    max(month) as last_month
from enterprise_month_cube
group by year
order by year
