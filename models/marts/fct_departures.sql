with

departures as (

    select * from {{ ref('int_departures_split') }}

),

final as (

    select
        reference_month,
        population_code as population,
        cast(departed_ytd as bigint) as departed_ytd,
        cast(departed_in_month as bigint) as departed_in_month,
        departed_rounding_unit,
        supervised_share_pct,
        unsupervised_share_pct,
        supervised_estimated_ytd,
        supervised_estimated_ytd_low,
        supervised_estimated_ytd_high,
        unsupervised_estimated_ytd,
        unsupervised_estimated_ytd_low,
        unsupervised_estimated_ytd_high,
        document_id

    from departures

)

select * from final
