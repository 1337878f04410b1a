-- purpose: 专项债 amounts by event (申报 / 获批 / 到位 / 支出) dated in 1—$month月 of $year, for the bonds of the projects in scope (a bond follows 片区, 产业链, 行业 and 高新 through its project; projects without a sector drop out under an industry filter, as on every investment figure)
-- params: $year INTEGER, $month INTEGER, $scope STRUCT
-- grain: one row per event kind that occurred
select
    b.event,
    sum(b.amount_wan) as amount_wan,
    count(distinct b.bond_id) as bond_count
from bond_events as b
join scoped_projects($scope) as p using (project_id)
where year(b.event_date) = $year
  and month(b.event_date) <= $month
group by b.event
order by b.event
