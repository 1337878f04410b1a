-- purpose: 亩均效益页的显示范围：筛选条件（产业链、行业、片区、高新）内企业的编号 ent_no（按 ent_id 排序的编号，0 起，与 mujun_inputs 一致）；评价和分类始终是全区的
-- params: $scope STRUCT
-- grain: one row per enterprise in the filter scope
with numbered as (
    select
        ent_id,
        row_number() over (order by ent_id) - 1 as ent_no
    from enterprises
)

select n.ent_no
from numbered as n
join scoped_enterprises($scope) as s using (ent_id)
order by n.ent_no
