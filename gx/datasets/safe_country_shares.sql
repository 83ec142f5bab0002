-- One row per month: the listed nationalities of first applicants that were safe countries of
-- origin that month (validity dates of dim_safe_countries), against the published share.
with

listed_safe as (

    select
        shares.reference_month,
        max(shares.document_id) as document_id,
        string_agg(shares.nationality_code, ', ' order by shares.nationality_code) as safe_nationalities,
        sum(shares.share_pct) as listed_safe_pct,
        sum(shares.share_rounding_unit) / 2 as tolerance_pct
    from marts.fct_nationality_shares as shares
    inner join marts.dim_safe_countries as safe
        on
            shares.nationality_code = safe.nationality_code
            and shares.period_start >= safe.valid_from
            and (safe.valid_to is null or shares.period_start < safe.valid_to)
            and not safe.is_suspended
    where shares.population = 'first_applicants' and shares.window_type = 'month'
    group by shares.reference_month

)

select
    listed_safe.document_id,
    'safe-country share' as family,
    cast(listed_safe.reference_month as varchar) as month,
    listed_safe.safe_nationalities,
    cast(listed_safe.listed_safe_pct as double) as listed_safe_pct,
    cast(monthly.safe_country_share_pct as double) as published_safe_pct,
    cast(
        listed_safe.listed_safe_pct - listed_safe.tolerance_pct - monthly.safe_country_share_pct - 0.5
        as double
    ) as excess_pct
from listed_safe
inner join marts.fct_asylum_inflow_monthly as monthly
    on listed_safe.reference_month = monthly.reference_month
