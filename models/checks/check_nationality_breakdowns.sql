-- One row per nationality breakdown (population, window, period) with the sum of its listed
-- shares. Each share is rounded, so the tolerance is half a rounding unit per listed item. How
-- far a breakdown sums above 100, and how far one that includes the residual ("Overige
-- nationaliteit") falls short of it, beyond the tolerance: 0 or less when it is consistent.
with

shares as (

    select * from {{ ref('fct_nationality_shares') }}

),

families as (

    select * from {{ ref('dim_figure_families') }}
    where figure_code = 'nationality_share'

),

breakdowns as (

    select
        shares.document_id,
        families.family_code,
        shares.population_code || ' ' || shares.window_type || ' ' || cast(shares.period_start as varchar) || '..'
        || cast(shares.period_end as varchar) as subject,
        count(*) as listed_items,
        cast(sum(shares.share_pct) as double precision) as total_pct,
        cast(sum(shares.share_rounding_unit) / 2 as double precision) as tolerance_pct,
        bool_or(shares.is_residual) as has_residual

    from shares
    inner join families
        on
            shares.population_code = families.population_code
            and shares.window_type = families.window_type
    group by
        shares.document_id,
        families.family_code,
        shares.population_code,
        shares.window_type,
        shares.period_start,
        shares.period_end

),

final as (

    select
        *,
        total_pct - 100 - tolerance_pct as excess_pct,
        case when has_residual then 100 - tolerance_pct - total_pct end as shortfall_pct

    from breakdowns

)

select * from final
