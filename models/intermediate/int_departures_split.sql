-- Departures per population with the shares that left under supervision and on their own, and
-- the year-to-date counts those shares imply (with bounds for the rounding of count and share).
with

departures as (

    select * from {{ ref('int_year_to_date_differenced') }}
    where figure_code = 'departures'

),

shares as (

    select
        reference_month,
        population_code,
        max(case when figure_code = 'departures_supervised_share' then effective_value end)
            as supervised_share_pct,
        max(case when figure_code = 'departures_supervised_share' then rounding_unit end)
            as supervised_rounding_unit,
        max(case when figure_code = 'departures_unsupervised_share' then effective_value end)
            as unsupervised_share_pct,
        max(case when figure_code = 'departures_unsupervised_share' then rounding_unit end)
            as unsupervised_rounding_unit

    from {{ ref('int_published_figures_ranked') }}
    where
        is_latest_for_figure
        and figure_code in ('departures_supervised_share', 'departures_unsupervised_share')
    group by reference_month, population_code

),

joined as (

    select
        departures.reference_month,
        departures.population_code,
        departures.value_ytd as departed_ytd,
        departures.is_approximate as departed_is_approximate,
        departures.rounding_unit as departed_rounding_unit,
        departures.value_in_month as departed_in_month,
        shares.supervised_share_pct,
        shares.supervised_rounding_unit,
        shares.unsupervised_share_pct,
        shares.unsupervised_rounding_unit,
        departures.document_id

    from departures
    left join shares
        on
            departures.reference_month = shares.reference_month
            and departures.population_code = shares.population_code

),

split as (

    select
        *,
        {{ estimated_count('supervised_share_pct', 'departed_ytd') }} as supervised_estimated_ytd,
        {{ estimated_count_low(
            'supervised_share_pct', 'supervised_rounding_unit', 'departed_ytd', 'departed_rounding_unit'
        ) }} as supervised_estimated_ytd_low,
        {{ estimated_count_high(
            'supervised_share_pct', 'supervised_rounding_unit', 'departed_ytd', 'departed_rounding_unit'
        ) }} as supervised_estimated_ytd_high,
        {{ estimated_count('unsupervised_share_pct', 'departed_ytd') }} as unsupervised_estimated_ytd,
        {{ estimated_count_low(
            'unsupervised_share_pct', 'unsupervised_rounding_unit', 'departed_ytd', 'departed_rounding_unit'
        ) }} as unsupervised_estimated_ytd_low,
        {{ estimated_count_high(
            'unsupervised_share_pct', 'unsupervised_rounding_unit', 'departed_ytd', 'departed_rounding_unit'
        ) }} as unsupervised_estimated_ytd_high

    from joined

)

select * from split
