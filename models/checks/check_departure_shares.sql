-- One row per month and population of departures: the shares that left under supervision and
-- on their own, and how far their sum is from 100. The row belongs to the family of the
-- supervised share of its population (the registry's code).
with

departures as (

    select * from {{ ref('fct_departures') }}

),

families as (

    select * from {{ ref('dim_figure_families') }}
    where figure_code = 'departures_supervised_share'

),

final as (

    select
        departures.document_id,
        families.family_code,
        cast(departures.reference_month as varchar) as subject,
        cast(departures.supervised_share_pct as double precision) as supervised_pct,
        cast(departures.unsupervised_share_pct as double precision) as unsupervised_pct,
        cast(
            abs(departures.supervised_share_pct + departures.unsupervised_share_pct - 100) as double precision
        ) as deviation_from_100_pct

    from departures
    inner join families
        on departures.population_code = families.population_code

)

select * from final
