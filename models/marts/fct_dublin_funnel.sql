-- The rates are computed from the rounded counts; published_dublin_share_pct is the publication's
-- own percentage beside them. The interval gives the share of handled applications rejected under
-- Dublin that the rounding of both counts allows (null when a count is 0: no share to bound).
with

months as (

    select * from {{ ref('int_month_figures_pivoted') }}
    where first_applications_handled is not null

),

final as (

    select
        reference_month,
        cast(first_applications_handled as bigint) as handled_count,
        cast(first_applications_rejected as bigint) as rejected_count,
        cast(first_applications_rejected_dublin as bigint) as dublin_rejected_count,
        first_applications_handled_is_approximate
        or first_applications_rejected_is_approximate
        or first_applications_rejected_dublin_is_approximate as counts_are_approximate,
        cast(first_applications_handled_rounding_unit as double precision) as count_rounding_unit,
        cast(
            round(100.0 * first_applications_rejected / nullif(first_applications_handled, 0), 1)
            as double precision
        ) as rejection_rate_pct,
        cast(
            round(100.0 * first_applications_rejected_dublin / nullif(first_applications_handled, 0), 1)
            as double precision
        ) as dublin_share_of_handled_pct,
        cast(
            round(100.0 * first_applications_rejected_dublin / nullif(first_applications_rejected, 0), 1)
            as double precision
        ) as dublin_share_of_rejected_pct,
        cast(dublin_share as double precision) as published_dublin_share_pct,
        dublin_share_is_approximate as published_dublin_share_is_approximate,
        cast(round(
            100.0 * greatest(
                first_applications_rejected_dublin - first_applications_rejected_dublin_rounding_unit / 2, 0
            )
            / nullif(first_applications_handled + first_applications_handled_rounding_unit / 2, 0),
            1
        ) as double precision) as dublin_share_of_handled_low_pct,
        cast(round(
            100.0 * (first_applications_rejected_dublin + first_applications_rejected_dublin_rounding_unit / 2)
            / nullif(greatest(first_applications_handled - first_applications_handled_rounding_unit / 2, 0), 0),
            1
        ) as double precision) as dublin_share_of_handled_high_pct,
        document_id

    from months

)

select * from final
