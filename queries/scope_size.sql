-- purpose: how many enterprises the filter bar's scope holds, and how many each half of it would hold alone, to say
--          why a scope is empty (e.g. no enterprise of 新材料 in 通航智造产业区)
-- params: $scope STRUCT
-- grain: one row: in_scope = enterprises in the whole scope; in_industry = in the 产业链 / 行业 choice alone;
--        in_areas = in the 片区 choice alone; in_industry_areas = in both, high-tech or not (the other dimensions,
--        e.g. 企业规模, count in every one of them)
select
    count(*) filter (where in_scope($scope, k)) as in_scope,
    count(*) filter (where in_scope(struct_update(all_areas($scope), high_tech_only := false), k)) as in_industry,
    count(*) filter (where in_scope(struct_update($scope, chains := []::varchar[], sectors := []::varchar[],
                                                  high_tech_only := false), k)) as in_areas,
    count(*) filter (where in_scope(struct_update($scope, high_tech_only := false), k)) as in_industry_areas
from enterprise_keys() as k
