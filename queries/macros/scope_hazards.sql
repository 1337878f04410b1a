-- purpose: the 隐患 register under the filter bar, in one place for the queries that list or count it
-- params: none (macros take the period and the $scope filter bar as arguments from each query)
-- grain: hazard_register_rows: one row per hazard of hazard_facts in scope whose 片区 is known, found in 1—m月 of the
--        year or earlier and not rectified by its as-of date (the end of month m), with period_start and as_of
--        (loaded after scope.sql: uses in_scope)

-- two branches with the bounds written out, so that each date filter reaches the scan of hazard_facts (one
-- condition with "or" would be checked after reading every row)
create macro hazard_register_rows(this_year, through_month, scope) as table
with scoped as not materialized (
    select
        h.*,
        make_date(this_year, 1, 1) as period_start,
        last_day(make_date(this_year, through_month, 1)) as as_of
    from hazard_facts as h
    where in_scope(scope, h.ent_keys)
      and h.area_code is not null
)

select * from scoped
where found_date between make_date(this_year, 1, 1) and last_day(make_date(this_year, through_month, 1))
union all
select * from scoped
where found_date < make_date(this_year, 1, 1)
  and (rectified_date is null or rectified_date > last_day(make_date(this_year, through_month, 1)));
