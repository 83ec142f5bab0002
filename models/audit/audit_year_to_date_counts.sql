-- Every year-to-date count the marts use (regular permits by purpose, departures by population),
-- one row per month, with the previous month's count of the same year and the month derived from
-- them: a count that falls within a year gives a negative month, which no month can have.
with

counts as (

    select * from {{ ref('int_year_to_date_differenced') }}

),

final as (

    select
        document_id,
        family_code as family,
        population_code || ' ' || subject_code || ' ' || cast(reference_month as varchar) as subject,
        cast(value_ytd as double precision) as value_ytd,
        cast(previous_value_ytd as double precision) as previous_value_ytd,
        cast(value_in_month as double precision) as value_in_month

    from counts

)

select * from final
