with

grant_rates as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure and figure_code = 'grant_rate'

),

final as (

    select
        period_start,
        period_end,
        reference_month,
        subject_code as nationality_code,
        subject_label_nl as nationality_label_nl,
        cast(effective_value as double precision) as grant_rate_pct,
        is_approximate,
        cast(rounding_unit as double precision) as rounding_unit,
        document_id,
        source_line

    from grant_rates

)

select * from final
