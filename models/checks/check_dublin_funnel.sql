-- One row per month of the Dublin funnel: the three counts, and the gap between the published
-- Dublin percentage (± half its rounding) and the range the rounded counts allow (0 when they
-- meet).
with

funnel as (

    select * from {{ ref('fct_dublin_funnel') }}

),

final as (

    select
        document_id,
        'dublin_share' as family_code,
        cast(reference_month as varchar) as subject,
        handled_count,
        rejected_count,
        dublin_rejected_count,
        cast(published_dublin_share_pct as double precision) as published_pct,
        cast(dublin_share_of_handled_low_pct as double precision) as computed_low_pct,
        cast(dublin_share_of_handled_high_pct as double precision) as computed_high_pct,
        cast(greatest(
            dublin_share_of_handled_low_pct - (published_dublin_share_pct + 0.5),
            (published_dublin_share_pct - 0.5) - dublin_share_of_handled_high_pct,
            0
        ) as double precision) as published_gap_pct

    from funnel

)

select * from final
