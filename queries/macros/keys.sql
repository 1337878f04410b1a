-- purpose: the filter dimensions of cockpit/data/dimensions.py in SQL: each dimension's key column on the enterprises and
--          the projects, and the predicates on the $scope STRUCT (loaded before queries/materialized, which group
--          by the key columns, and before the other macros)
-- params: none (macros take the filter bar as one $scope STRUCT argument from each query)
-- grain: enterprise_keys: one row per enterprise with a known sector, its value of every filter dimension;
--        project_keys: one row per project (chain null for projects without a sector)

-- Every filter dimension of cockpit/data/dimensions.py is a column of these two key macros (named as the
-- dimension's `column`) and a line of in_scope / scope_is_all; the summary tables (queries/materialized)
-- keep every key column, so a new dimension is a new column of their grain without touching them.
create macro enterprise_keys() as table
select
    e.ent_id,
    s.chain,
    e.sector_code,
    e.area_code,
    e.is_high_tech,
    e.size_class,
    s.sector_name  -- not a dimension: the 行业's name, carried by the summaries so scoped reads need no join
from enterprises as e
join sectors as s using (sector_code);

create macro project_keys() as table
select
    p.project_id,
    s.chain,
    p.sector_code,
    p.area_code,
    p.is_high_tech,
    o.size_class,  -- the owner's (项目业主), null without a registered owner
    s.sector_name  -- not a dimension (as in enterprise_keys)
from projects as p
left join sectors as s using (sector_code)
left join enterprises as o on o.ent_id = p.ent_id;

-- the filter bar as one predicate over a row `k` with the key columns: empty lists mean "all";
-- a null key (a project without a sector) is outside any choice of that dimension
create macro in_scope(scope, k) as
    (len(scope['chains']::varchar[]) = 0 or list_contains(scope['chains']::varchar[], k['chain']))
    and (len(scope['sectors']::varchar[]) = 0 or list_contains(scope['sectors']::varchar[], k['sector_code']))
    and (len(scope['areas']::varchar[]) = 0 or list_contains(scope['areas']::varchar[], k['area_code']))
    and (not scope['high_tech_only'] or k['is_high_tech'])
    and (len(scope['sizes']::varchar[]) = 0 or list_contains(scope['sizes']::varchar[], k['size_class']));

-- nothing chosen in any dimension
create macro scope_is_all(scope) as
    len(scope['chains']::varchar[]) = 0
    and len(scope['sectors']::varchar[]) = 0
    and len(scope['areas']::varchar[]) = 0
    and not scope['high_tech_only']
    and len(scope['sizes']::varchar[]) = 0;

-- the 片区 dimension alone, for tables that only have a 片区 (parcels, 低效用地整治, 培训演练)
create macro in_areas(area_code, scope) as
    len(scope['areas']::varchar[]) = 0 or list_contains(scope['areas']::varchar[], area_code);

-- the scope with its 片区 choice dropped (a parcel's enterprises, whichever 片区 they are registered in)
create macro all_areas(scope) as struct_update(scope, areas := []::varchar[]);
