-- One row per nationality breakdown (population, window, period) with the sum of its listed
-- shares. The tolerance is half a rounding unit per listed item. How far a breakdown that
-- includes the residual falls short of 100 is given in one of two columns (null in the other),
-- by whether a maintainer has reviewed it (seeds/reviewed/reviewed_findings.csv).
with

breakdowns as (

    select
        document_id,
        population || ' ' || window_type || ' ' || cast(period_start as varchar) || '..'
        || cast(period_end as varchar) as breakdown,
        count(*) as listed_items,
        cast(sum(share_pct) as double) as total_pct,
        cast(sum(share_rounding_unit) / 2 as double) as tolerance_pct,
        bool_or(is_residual) as has_residual
    from marts.fct_nationality_shares
    group by document_id, population, window_type, period_start, period_end

)

select
    breakdowns.*,
    breakdowns.total_pct - 100 - breakdowns.tolerance_pct as excess_pct,
    case
        when breakdowns.has_residual and reviewed.reason is null
            then 100 - breakdowns.tolerance_pct - breakdowns.total_pct
    end as unreviewed_shortfall_pct,
    case
        when breakdowns.has_residual and reviewed.reason is not null
            then 100 - breakdowns.tolerance_pct - breakdowns.total_pct
    end as reviewed_shortfall_pct
from breakdowns
left join reviewed.reviewed_findings as reviewed
    on
        reviewed.document_id = breakdowns.document_id
        and reviewed.check_name = 'complete_breakdown_sums_to_100'
        and reviewed.subject = breakdowns.breakdown
