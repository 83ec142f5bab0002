with

shares as (

    select * from {{ ref('int_nationality_shares_estimated') }}

),

final as (

    select
        population_code as population,
        window_type,
        period_start,
        period_end,
        reference_month,
        nationality_code,
        nationality_label_nl,
        is_residual,
        share_pct,
        share_rounding_unit,
        cast(base_count as bigint) as base_count,
        base_rounding_unit,
        estimated_count,
        estimated_count_low,
        estimated_count_high,
        document_id,
        source_line

    from shares

)

select * from final
