with

months as (

    select * from {{ ref('int_month_figures_pivoted') }}

),

final as (

    select
        reference_month,
        cast(first_applications as bigint) as first_applications,
        first_applications_rounding_unit,
        cast(family_reunification_arrivals as bigint) as family_reunification_arrivals,
        family_reunification_arrivals_rounding_unit,
        safe_country_share as safe_country_share_pct,
        document_id

    from months

)

select * from final
