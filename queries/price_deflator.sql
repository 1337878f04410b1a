-- purpose: the price deflator (工业生产者出厂价格指数, 上年同期 = 100, ÷ 100) for 增加值 growth at comparable prices in 1—$month月 of $year and in month $month: the imported 1—m月 index when there is one, else the monthly indices weighted by the scope's monthly 增加值 (1—2月 may carry one index for both months); null when an index is missing (growth stays at current prices)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row
with months as (
    select unnest(range(1, $month + 1)) as month
),

weights as (
    select
        month,
        sum(value_added_wan) as va_wan
    from scoped_months($scope)
    where year = $year
      and month <= $month
    group by month
),

indices as (
    select
        m.month,
        coalesce(i.ppi_yoy_month, case when m.month = 1 then feb.ppi_yoy_month end) as idx,
        w.va_wan
    from months as m
    left join price_index as i on i.year = $year and i.month = m.month
    left join price_index as feb on feb.year = $year and feb.month = 2
    left join weights as w on w.month = m.month
),

monthly as (
    select
        case when count(*) filter (where idx is null or idx <= 0) = 0 and sum(va_wan / (idx / 100.0)) > 0
             then sum(va_wan) / sum(va_wan / (idx / 100.0)) end as weighted,
        max(idx) filter (where month = $month) as month_idx
    from indices
),

ytd as (
    select max(ppi_yoy_ytd) as ytd_idx
    from price_index
    where year = $year
      and month = $month
      and ppi_yoy_ytd > 0
)

select
    coalesce(y.ytd_idx / 100.0, m.weighted) as ytd_deflator,
    case when y.ytd_idx is not null then '1—m月累计指数' when m.weighted is not null then '各月指数按增加值加权' end
        as ytd_basis,
    case when $month <= 2 then coalesce(y.ytd_idx / 100.0, m.weighted) else m.month_idx / 100.0 end
        as month_deflator
from monthly as m, ytd as y
