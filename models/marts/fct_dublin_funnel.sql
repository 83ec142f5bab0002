-- The rates are computed from the rounded counts; published_dublin_share_pct is the publication's
-- own percentage beside them. The interval gives the share of handled applications rejected under
-- Dublin that the rounding of both counts allows.
with

months as (

    select * from {{ ref('int_month_figures_pivoted') }}
    where dublin_handled is not null

),

final as (

    select
        reference_month,
        cast(dublin_handled as bigint) as handled,
        cast(dublin_rejected as bigint) as rejected,
        cast(dublin_dublin_rejected as bigint) as dublin_rejected,
        dublin_handled_rounding_unit as count_rounding_unit,
        cast(round(100.0 * dublin_rejected / nullif(dublin_handled, 0), 1) as decimal(5, 1))
            as rejection_rate_pct,
        cast(
            round(100.0 * dublin_dublin_rejected / nullif(dublin_handled, 0), 1) as decimal(5, 1)
        ) as dublin_share_of_handled_pct,
        cast(
            round(100.0 * dublin_dublin_rejected / nullif(dublin_rejected, 0), 1) as decimal(5, 1)
        ) as dublin_share_of_rejected_pct,
        dublin_share as published_dublin_share_pct,
        cast(round(
            100.0 * greatest(dublin_dublin_rejected - dublin_dublin_rejected_rounding_unit / 2, 0)
            / nullif(dublin_handled + dublin_handled_rounding_unit / 2, 0),
            1
        ) as decimal(5, 1)) as dublin_share_of_handled_low_pct,
        cast(round(
            100.0 * (dublin_dublin_rejected + dublin_dublin_rejected_rounding_unit / 2)
            / nullif(dublin_handled - dublin_handled_rounding_unit / 2, 0),
            1
        ) as decimal(5, 1)) as dublin_share_of_handled_high_pct,
        document_id

    from months

)

select * from final
