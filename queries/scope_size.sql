-- purpose: how many enterprises the filter bar's scope holds, and how many each half of it would hold alone, to say
--          why a scope is empty (e.g. no enterprise of 新材料 in 通航智造产业区)
-- params: $chains VARCHAR[], $sectors VARCHAR[], $areas VARCHAR[], $high_tech_only BOOLEAN
-- grain: one row: in_scope = enterprises in the whole scope; in_industry = in the 产业链 / 行业 choice alone;
--        in_areas = in the 片区 choice alone; in_industry_areas = in both, high-tech or not
select
    count(*) filter (where in_scope(s.chain, e.sector_code, e.area_code, e.is_high_tech,
                                    $chains, $sectors, $areas, $high_tech_only)) as in_scope,
    count(*) filter (where in_scope(s.chain, e.sector_code, e.area_code, e.is_high_tech,
                                    $chains, $sectors, [], false)) as in_industry,
    count(*) filter (where in_scope(s.chain, e.sector_code, e.area_code, e.is_high_tech,
                                    [], [], $areas, false)) as in_areas,
    count(*) filter (where in_scope(s.chain, e.sector_code, e.area_code, e.is_high_tech,
                                    $chains, $sectors, $areas, false)) as in_industry_areas
from enterprises as e
join sectors as s using (sector_code)
