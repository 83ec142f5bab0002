-- Year-to-date counts (regular permits by purpose, departures by population) turned into counts
-- per month by differencing consecutive months of the same year. January's month is its
-- year-to-date value. Where the previous month was not published the month stays null: a gap is
-- never filled by a guess. Each month uses the publication its month is taken from. A month below
-- the one before it (a year-to-date count that fell) gives a negative month: published only where
-- a maintainer reviewed it (check_year_to_date_counts judges it).
with

year_to_date as (

    select
        reference_month,
        family_code,
        figure_code,
        population_code,
        subject_code,
        effective_value as value_ytd,
        is_approximate,
        rounding_unit,
        document_id

    from {{ ref('int_published_figures_ranked') }}
    where
        is_latest_for_figure
        and window_type = 'year_to_date'
        and unit = 'count'

),

with_previous as (

    select
        current_month.*,
        previous_month.value_ytd as previous_value_ytd

    from year_to_date as current_month
    left join year_to_date as previous_month
        on
            current_month.figure_code = previous_month.figure_code
            and current_month.population_code = previous_month.population_code
            and current_month.subject_code = previous_month.subject_code
            and previous_month.reference_month
            = cast({{ dbt.dateadd('month', -1, 'current_month.reference_month') }} as date)

),

differenced as (

    select
        *,
        -- Cast back to the figures' type: a difference of decimals widens differently per engine
        -- (DuckDB keeps the scale, PostgreSQL drops the type modifier).
        cast(
            case
                when extract(month from reference_month) = 1 then value_ytd
                else value_ytd - previous_value_ytd
            end
            as decimal(18, 4)
        ) as value_in_month

    from with_previous

)

select * from differenced
