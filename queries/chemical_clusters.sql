-- purpose: the zone's 化工集聚区 (片区 with is_chemical_cluster); no rows for a zone without one, so the figures about a 化工集聚区 are left out
-- params: none
-- grain: one row per 化工集聚区 片区
select
    area_code,
    area_name
from areas
where is_chemical_cluster
order by area_code
