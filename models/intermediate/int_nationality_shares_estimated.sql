-- Nationality shares of first applicants and nareizigers with the counts they imply. A share of
-- a month is applied to that month's published total (first applications, or nareizigers
-- arrived); the bounds carry the rounding of both (see macros/estimated_counts.sql). Twelve-month
-- shares have no published total, so their estimates are null rather than guessed.
with

figures as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure

),

shares as (

    select * from figures
    where figure_code = 'nationality_share'

),

totals as (

    select
        reference_month,
        population_code,
        effective_value as base_count,
        rounding_unit as base_rounding_unit

    from figures
    where
        window_type = 'month'
        and figure_code in ('first_applications', 'family_reunification_arrivals')

),

joined as (

    select
        shares.population_code,
        shares.window_type,
        shares.period_start,
        shares.period_end,
        shares.reference_month,
        shares.subject_code as nationality_code,
        shares.subject_label_nl as nationality_label_nl,
        shares.subject_code = 'OTHER' as is_residual,
        shares.effective_value as share_pct,
        shares.is_approximate,
        shares.rounding_unit as share_rounding_unit,
        totals.base_count,
        totals.base_rounding_unit,
        shares.document_id,
        shares.figure_seq,
        shares.source_line

    from shares
    left join totals
        on
            shares.window_type = 'month'
            and shares.reference_month = totals.reference_month
            and shares.population_code = totals.population_code

),

estimated as (

    select
        *,
        {{ estimated_count('share_pct', 'base_count') }} as estimated_count,
        {{ estimated_count_low('share_pct', 'share_rounding_unit', 'base_count', 'base_rounding_unit') }}
            as estimated_count_low,
        {{ estimated_count_high('share_pct', 'share_rounding_unit', 'base_count', 'base_rounding_unit') }}
            as estimated_count_high

    from joined

)

select * from estimated
