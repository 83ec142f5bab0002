{#-
    The listed nationalities that were safe countries of origin in the month cannot add up to more
    than the published share of first applicants from a safe country (plus the rounding of the
    shares involved). Applies to the monthly first-applicant breakdown.
-#}
{% test safe_countries_within_safe_share(model, safe_countries, monthly) %}

with

listed_safe as (

    select
        shares.reference_month,
        max(shares.document_id) as document_id,
        sum(shares.share_pct) as listed_safe_pct,
        sum(shares.share_rounding_unit) / 2 as tolerance_pct,
        count(*) as listed_safe_items

    from {{ model }} as shares
    inner join {{ safe_countries }} as safe
        on
            shares.nationality_code = safe.nationality_code
            and shares.period_start >= safe.valid_from
            and (safe.valid_to is null or shares.period_start < safe.valid_to)
            and not safe.is_suspended
    where shares.population = 'first_applicants' and shares.window_type = 'month'
    group by shares.reference_month

)

select
    listed_safe.*,
    monthly.safe_country_share_pct,
    'nationalities that are safe countries add up to ' || cast(listed_safe.listed_safe_pct as varchar)
    || '%, more than the published safe-country share of '
    || cast(monthly.safe_country_share_pct as varchar) || '%' as violation

from listed_safe
inner join {{ monthly }} as monthly
    on listed_safe.reference_month = monthly.reference_month
where listed_safe.listed_safe_pct - listed_safe.tolerance_pct > monthly.safe_country_share_pct + 0.5

{% endtest %}
