with

months as (

    select * from {{ ref('int_month_figures_pivoted') }}

),

final as (

    select
        reference_month,
        cast(first_applications as bigint) as first_applications,
        first_applications_is_approximate,
        cast(first_applications_rounding_unit as double precision) as first_applications_rounding_unit,
        cast(family_reunification_arrivals as bigint) as family_reunification_arrivals,
        family_reunification_arrivals_is_approximate,
        cast(family_reunification_arrivals_rounding_unit as double precision)
            as family_reunification_arrivals_rounding_unit,
        cast(safe_country_share as double precision) as safe_country_share_pct,
        safe_country_share_is_approximate,
        document_id

    from months

)

select * from final
