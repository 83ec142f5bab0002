-- Every year-to-date count the marts use (regular permits by purpose, departures by population),
-- one row per month, with the highest count of an earlier month of the same year (the previous
-- month, or one before it where months are missing) and the month derived from the previous one:
-- a count below an earlier month's of its year fell, which no year-to-date count can.
with

counts as (

    select * from {{ ref('int_year_to_date_differenced') }}

),

earlier as (

    select
        later_month.reference_month,
        later_month.family_code,
        later_month.population_code,
        later_month.subject_code,
        max(earlier_month.value_ytd) as earlier_value_ytd

    from counts as later_month
    inner join counts as earlier_month
        on
            later_month.family_code = earlier_month.family_code
            and later_month.population_code = earlier_month.population_code
            and later_month.subject_code = earlier_month.subject_code
            and later_month.reference_month > earlier_month.reference_month
            and extract(year from later_month.reference_month) = extract(year from earlier_month.reference_month)
    group by
        later_month.reference_month, later_month.family_code, later_month.population_code, later_month.subject_code

),

final as (

    select
        counts.document_id,
        counts.family_code,
        counts.population_code || ' ' || counts.subject_code || ' ' || cast(counts.reference_month as varchar)
            as subject,
        cast(counts.value_ytd as double precision) as value_ytd,
        cast(earlier.earlier_value_ytd as double precision) as earlier_value_ytd,
        cast(counts.value_in_month as double precision) as value_in_month,
        cast(counts.value_ytd - earlier.earlier_value_ytd as double precision) as change_since_earlier

    from counts
    left join earlier
        on
            counts.reference_month = earlier.reference_month
            and counts.family_code = earlier.family_code
            and counts.population_code = earlier.population_code
            and counts.subject_code = earlier.subject_code

)

select * from final
