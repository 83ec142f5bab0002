-- The calendar MetricFlow needs to place metrics in time (`metric_time`): one row per day. A fixed
-- range (2010 .. 2040) rather than one derived from the figures, so that it does not change with
-- every publication; dbt.date_spine writes it for whichever warehouse the target is.
with

days as (

    {{ dbt.date_spine(
        datepart="day",
        start_date="cast('2010-01-01' as date)",
        end_date="cast('2041-01-01' as date)",
    ) }}

),

final as (

    select cast(date_day as date) as date_day

    from days

)

select * from final
