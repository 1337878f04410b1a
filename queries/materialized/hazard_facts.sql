-- purpose: 隐患 with the filter bar's enterprise attributes (产业链, 行业, 企业所在片区, 高新) attached, built once when
--          the data is loaded or imported, so the safety queries filter with in_scope() on their own columns instead
--          of joining 3·10⁶ hazards to 2·10⁵ enterprises on the text key at every query; ordered by discovery date so
--          that a period's filter skips the row groups of other years
-- params: none
-- grain: one row per hazard of an enterprise with a known sector (the hazards scoped_enterprises keeps);
--        area_code: the hazard's 片区, null when it is not in areas (the lists and breakdowns leave those out, as their
--        join to areas always did)
with keyed as (
    select
        k.ent_id,
        k.chain,
        k.sector_code,
        k.area_code as ent_area_code,
        k.is_high_tech,
        k as ent_keys
    from enterprise_keys() as k
)

select
    h.hazard_id,
    h.ent_id,
    k.chain,
    k.sector_code,
    k.ent_area_code,
    k.is_high_tech,
    k.ent_keys,
    a.area_code,
    h.level,
    h.category,
    h.source,
    h.found_date,
    h.deadline,
    h.rectified_date,
    h.description,
    h.rectify_person,
    h.supervise_office
from hazards as h
join keyed as k using (ent_id)
left join areas as a on a.area_code = h.area_code
order by h.rectified_date nulls last, h.found_date
