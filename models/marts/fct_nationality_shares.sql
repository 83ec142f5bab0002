with

shares as (

    select * from {{ ref('int_nationality_shares_estimated') }}

),

final as (

    select
        population_code,
        window_type,
        period_start,
        period_end,
        reference_month,
        nationality_code,
        nationality_label_nl,
        is_residual,
        -- The order of the list, largest share first; equal shares by nationality code, so that
        -- every query ranks ties the same way (the residual last).
        row_number() over (
            partition by population_code, window_type, period_start, period_end
            order by is_residual asc, share_pct desc, nationality_code asc
        ) as share_rank,
        cast(share_pct as double precision) as share_pct,
        is_approximate,
        cast(share_rounding_unit as double precision) as share_rounding_unit,
        cast(base_count as bigint) as base_count,
        cast(base_rounding_unit as double precision) as base_rounding_unit,
        estimated_count,
        estimated_count_low,
        estimated_count_high,
        document_id,
        source_line

    from shares

)

select * from final
