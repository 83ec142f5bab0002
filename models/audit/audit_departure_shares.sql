-- One row per month and population of departures: the shares that left under supervision and
-- on their own, and how far their sum is from 100.
with

departures as (

    select * from {{ ref('fct_departures') }}

),

final as (

    select
        document_id,
        'departures of ' || population_code as family,
        cast(reference_month as varchar) as subject,
        cast(supervised_share_pct as double precision) as supervised_pct,
        cast(unsupervised_share_pct as double precision) as unsupervised_pct,
        cast(abs(supervised_share_pct + unsupervised_share_pct - 100) as double precision) as deviation_from_100_pct

    from departures

)

select * from final
