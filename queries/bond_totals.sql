-- purpose: 专项债 amounts by event (申报 / 获批 / 到位 / 支出) dated in 1—$month月 of $year
-- params: $year INTEGER, $month INTEGER
-- grain: one row per event kind that occurred
select
    event,
    sum(amount_wan) as amount_wan,
    count(distinct bond_id) as bond_count
from bond_events
where year(event_date) = $year
  and month(event_date) <= $month
group by event
order by event
