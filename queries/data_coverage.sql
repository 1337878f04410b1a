-- purpose: where each fact table's data begin, so that a 同比 / 比上年同期 is shown only when last year's period lies inside the data (monthly statistics are covered from their first month; event registers, where a month without rows means none happened, from 1 January of their first record's year)
-- params: none
-- grain: one row per fact table; first_date is null for a table without rows
-- the monthly tables through their summaries built at load (the same first month, far fewer rows)
select 'enterprise_month' as table_name, 'monthly' as kind, min(make_date(year, month, 1)) as first_date
from enterprise_month_cube
union all
select 'county_month', 'monthly', min(make_date(year, month, 1)) from county_month
union all
select 'project_month', 'monthly', min(make_date(year, month, 1)) from project_month_cube
union all
select 'hazards', 'events', min(found_date) from hazards
union all
select 'accidents', 'events', min(accident_date) from accidents
union all
select 'trainings', 'events', min(training_date) from trainings
union all
select 'land_actions', 'events', min(date_accepted) from land_actions
union all
select 'bond_events', 'events', min(event_date) from bond_events
union all
select 'risk_assessments', 'events', min(assess_date) from risk_assessments
