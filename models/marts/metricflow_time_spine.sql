-- The calendar MetricFlow needs to place metrics in time (`metric_time`): one row per day. A fixed
-- range (2010 .. 2040) rather than one derived from the figures, so that it does not change with
-- every publication; macros/day_series.sql writes it for whichever warehouse the target is.
with

days as (

    {{ day_series('2010-01-01', '2041-01-01') }}

),

final as (

    select cast(day as date) as date_day

    from days

)

select * from final
