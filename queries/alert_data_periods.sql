-- purpose: how far each regularly reported table reaches: the last day of its latest month (monthly statistics) or its
--          latest date (ledgers), for the data-freshness warnings
-- params: none
-- grain: one row per table (enterprise_month, project_month, county_month, hazards, trainings, risk_assessments);
--        latest is null for an empty table
select 'enterprise_month' as table_name, max(last_day(make_date(year, month, 1))) as latest from enterprise_month
union all
select 'project_month', max(last_day(make_date(year, month, 1))) from project_month
union all
select 'county_month', max(last_day(make_date(year, month, 1))) from county_month
union all
select 'hazards', max(found_date) from hazards
union all
select 'trainings', max(training_date) from trainings
union all
select 'risk_assessments', max(assess_date) from risk_assessments
