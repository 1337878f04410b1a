-- purpose: how many enterprises a filter scope holds (cockpit.app.ui.scope_empty_reason asks it for the whole scope and
--          for parts of it, to say why a scope is empty, e.g. no enterprise of 新材料 in 通航智造产业区)
-- params: $scope STRUCT
-- grain: one row: in_scope = enterprises of the register in the scope
select count(*) as in_scope
from enterprise_keys() as k
where in_scope($scope, k)
