-- One row per nationality breakdown (population, window, period) with the sum of its listed
-- shares. Each share is rounded, so the tolerance is half a rounding unit per listed item. How
-- far a breakdown sums above 100, and how far one that includes the residual ("Overige
-- nationaliteit") falls short of it, beyond the tolerance: 0 or less when it is consistent.
with

shares as (

    select * from {{ ref('fct_nationality_shares') }}

),

breakdowns as (

    select
        document_id,
        'nationality_share' as family,
        population_code || ' ' || window_type || ' ' || cast(period_start as varchar) || '..'
        || cast(period_end as varchar) as subject,
        count(*) as listed_items,
        cast(sum(share_pct) as double precision) as total_pct,
        cast(sum(share_rounding_unit) / 2 as double precision) as tolerance_pct,
        bool_or(is_residual) as has_residual

    from shares
    group by document_id, population_code, window_type, period_start, period_end

),

final as (

    select
        *,
        total_pct - 100 - tolerance_pct as excess_pct,
        case when has_residual then 100 - tolerance_pct - total_pct end as shortfall_pct

    from breakdowns

)

select * from final
