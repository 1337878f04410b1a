-- purpose: the enterprise register counted by its values of every filter dimension (the key columns of
--          enterprise_keys()): how many enterprises a filter scope holds is a sum over these rows
--          (cockpit.data.dimensions.Scope.holds, which applies in_scope's rules in Python), so checking a new scope —
--          cockpit.app.ui.scope_empty_reason on every filter change — needs no query of its own
-- params: none
-- grain: one row per combination of the filter dimensions' key values; enterprises = how many have it
select
    k.* exclude (ent_id, sector_name),
    count(*) as enterprises
from enterprise_keys() as k
group by all
order by all
