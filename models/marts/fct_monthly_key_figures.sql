-- One row per month with the headline figures, for dashboards that want a single table: read from
-- the marts that publish each of them, so that every value here is the one they publish.
with

inflow as (

    select * from {{ ref('fct_asylum_inflow_monthly') }}

),

dublin as (

    select * from {{ ref('fct_dublin_funnel') }}

),

grant_rates as (

    select * from {{ ref('fct_grant_rates') }}
    where nationality_code = 'TOTAL'

),

top_nationality as (

    select * from {{ ref('fct_nationality_shares') }}
    where
        population_code = 'first_applicants'
        and window_type = 'month'
        and not is_residual
        and share_rank = 1

),

permits as (

    select
        reference_month,
        sum(granted_ytd) as permits_granted_ytd_listed_purposes

    from {{ ref('fct_regular_permits') }}
    group by reference_month

),

departures as (

    select
        reference_month,
        max(case when population_code = 'all_aliens' then departed_ytd end) as departures_ytd,
        max(case when population_code = 'all_aliens' then departed_in_month end) as departures_in_month,
        max(case when population_code = 'criminal_aliens' then departed_ytd end) as criminal_departures_ytd

    from {{ ref('fct_departures') }}
    group by reference_month

),

final as (

    select
        inflow.reference_month,
        inflow.first_applications,
        inflow.first_applications_is_approximate,
        inflow.family_reunification_arrivals,
        inflow.family_reunification_arrivals_is_approximate,
        inflow.safe_country_share_pct,
        top_nationality.nationality_code as top_nationality_code,
        top_nationality.share_pct as top_nationality_share_pct,
        grant_rates.grant_rate_pct as grant_rate_12m_pct,
        dublin.handled_count,
        dublin.rejected_count,
        dublin.dublin_rejected_count,
        dublin.counts_are_approximate as dublin_counts_are_approximate,
        dublin.published_dublin_share_pct,
        cast(permits.permits_granted_ytd_listed_purposes as bigint) as permits_granted_ytd_listed_purposes,
        departures.departures_ytd,
        departures.departures_in_month,
        departures.criminal_departures_ytd,
        inflow.document_id

    from inflow
    left join top_nationality
        on inflow.reference_month = top_nationality.reference_month
    left join grant_rates
        on inflow.reference_month = grant_rates.reference_month
    left join dublin
        on inflow.reference_month = dublin.reference_month
    left join permits
        on inflow.reference_month = permits.reference_month
    left join departures
        on inflow.reference_month = departures.reference_month

)

select * from final
