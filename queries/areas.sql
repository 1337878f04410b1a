-- purpose: the 片区 the filter bar offers
-- params: none
-- grain: one row per area
select
    area_code,
    area_name,
    park,
    is_chemical_cluster
from areas
order by area_code
