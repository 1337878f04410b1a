-- purpose: enterprises to pick on the 企业画像 page (not limited by the filter bar): those whose name contains $search
--          or whose 统一社会信用代码 starts with it (case-insensitive; every enterprise when empty), the $limit with the
--          largest 产值 in the data's latest year (those without 产值 that year last), listed in that order;
--          matches counts every enterprise that matched
-- params: $search VARCHAR, $limit INTEGER
-- grain: one row per matching enterprise (at most $limit)
with matching as (
    select
        ent_id,
        ent_name
    from enterprises
    where $search = ''
       or contains(lower(ent_name), lower($search))
       or starts_with(upper(ent_id), upper($search))
),

latest as (
    select
        ent_id,
        output_ytd[12] as output_wan
    from enterprise_year_months
    where year = (select max(year) from enterprise_year_months)
)

select
    m.ent_id,
    m.ent_name,
    l.output_wan,
    count(*) over () as matches
from matching as m
left join latest as l using (ent_id)
order by l.output_wan desc nulls last, m.ent_name, m.ent_id
limit $limit
