with

shares as (

    select * from {{ ref('int_nationality_shares_estimated') }}

),

nationalities as (

    select * from {{ ref('stg_reference__nationalities') }}

),

final as (

    select
        shares.population_code,
        shares.window_type,
        shares.period_start,
        shares.period_end,
        shares.reference_month,
        shares.nationality_code,
        shares.nationality_label_nl,
        nationalities.name_en as nationality_name_en,
        shares.is_residual,
        -- The order of the list, largest share first; equal shares by nationality code, so that
        -- every query ranks ties the same way (the residual last).
        row_number() over (
            partition by shares.population_code, shares.window_type, shares.period_start, shares.period_end
            order by shares.is_residual asc, shares.share_pct desc, shares.nationality_code asc
        ) as share_rank,
        -- The order the document prints its list in (the ministry's own order of equal shares).
        -- Per document too: a list is one document's, even where two publications meet in a window.
        row_number() over (
            partition by
                shares.document_id,
                shares.population_code,
                shares.window_type,
                shares.period_start,
                shares.period_end
            order by shares.figure_seq asc
        ) as printed_order,
        cast(shares.share_pct as double precision) as share_pct,
        shares.is_approximate,
        cast(shares.share_rounding_unit as double precision) as share_rounding_unit,
        cast(shares.base_count as bigint) as base_count,
        cast(shares.base_rounding_unit as double precision) as base_rounding_unit,
        shares.estimated_count,
        shares.estimated_count_low,
        shares.estimated_count_high,
        shares.document_id,
        shares.source_line

    from shares
    left join nationalities
        on shares.nationality_code = nationalities.nationality_code

)

select * from final
