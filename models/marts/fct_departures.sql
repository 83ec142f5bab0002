with

departures as (

    select * from {{ ref('int_departures_split') }}

),

final as (

    select
        reference_month,
        population_code,
        cast(departed_ytd as bigint) as departed_ytd,
        cast(departed_in_month as bigint) as departed_in_month,
        departed_is_approximate,
        cast(departed_rounding_unit as double precision) as departed_rounding_unit,
        cast(supervised_share_pct as double precision) as supervised_share_pct,
        cast(unsupervised_share_pct as double precision) as unsupervised_share_pct,
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
