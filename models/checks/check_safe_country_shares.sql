-- One row per month: the listed nationalities of first applicants that were safe countries of
-- origin that month (by the validity dates of dim_safe_countries), against the published
-- safe-country share, and how far they exceed it beyond the rounding of all the shares.
with

shares as (

    select * from {{ ref('fct_nationality_shares') }}
    where population_code = 'first_applicants' and window_type = 'month'

),

safe_countries as (

    select * from {{ ref('dim_safe_countries') }}
    where not is_suspended

),

months as (

    select * from {{ ref('fct_asylum_inflow_monthly') }}

),

listed_safe as (

    select
        shares.reference_month,
        max(shares.document_id) as document_id,
        string_agg(shares.nationality_code, ', ' order by shares.nationality_code) as safe_nationalities,
        sum(shares.share_pct) as listed_safe_pct,
        sum(shares.share_rounding_unit) / 2 as tolerance_pct

    from shares
    inner join safe_countries
        on
            shares.nationality_code = safe_countries.nationality_code
            and shares.period_start >= safe_countries.valid_from
            and (safe_countries.valid_to is null or shares.period_start < safe_countries.valid_to)
    group by shares.reference_month

),

final as (

    select
        listed_safe.document_id,
        'safe_country_share' as family_code,
        cast(listed_safe.reference_month as varchar) as subject,
        listed_safe.safe_nationalities,
        cast(listed_safe.listed_safe_pct as double precision) as listed_safe_pct,
        cast(months.safe_country_share_pct as double precision) as published_safe_pct,
        cast(
            listed_safe.listed_safe_pct - listed_safe.tolerance_pct - months.safe_country_share_pct - 0.5
            as double precision
        ) as excess_pct

    from listed_safe
    inner join months
        on listed_safe.reference_month = months.reference_month

)

select * from final
