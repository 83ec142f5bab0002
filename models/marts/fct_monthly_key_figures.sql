-- One row per month with the headline figures, for dashboards that want a single table.
with

months as (

    select * from {{ ref('int_month_figures_pivoted') }}

),

year_to_date as (

    select * from {{ ref('int_year_to_date_differenced') }}

),

shares as (

    select * from {{ ref('int_nationality_shares_estimated') }}
    where
        population_code = 'first_applicants'
        and window_type = 'month'
        and not is_residual

),

top_nationality as (

    select
        reference_month,
        nationality_code,
        share_pct,
        row_number() over (
            partition by reference_month order by share_pct desc, nationality_code asc
        ) as share_rank

    from shares

),

year_to_date_pivoted as (

    select
        reference_month,
        sum(case when figure_code = 'permits_granted' then value_ytd end)
            as regular_permits_granted_ytd,
        max(case when figure_code = 'departures' and population_code = 'all_aliens' then value_ytd end)
            as departures_ytd,
        max(
            case when figure_code = 'departures' and population_code = 'all_aliens' then value_in_month end
        ) as departures_in_month,
        max(
            case when figure_code = 'departures' and population_code = 'criminal_aliens' then value_ytd end
        ) as criminal_departures_ytd

    from year_to_date
    group by reference_month

),

final as (

    select
        months.reference_month,
        cast(months.first_applications as bigint) as first_applications,
        cast(months.family_reunification_arrivals as bigint) as family_reunification_arrivals,
        months.safe_country_share as safe_country_share_pct,
        top_nationality.nationality_code as top_nationality_code,
        top_nationality.share_pct as top_nationality_share_pct,
        months.grant_rate as grant_rate_12m_pct,
        cast(months.dublin_handled as bigint) as dublin_handled,
        cast(months.dublin_rejected as bigint) as dublin_rejected,
        cast(months.dublin_dublin_rejected as bigint) as dublin_dublin_rejected,
        months.dublin_share as published_dublin_share_pct,
        cast(year_to_date_pivoted.regular_permits_granted_ytd as bigint) as regular_permits_granted_ytd,
        cast(year_to_date_pivoted.departures_ytd as bigint) as departures_ytd,
        cast(year_to_date_pivoted.departures_in_month as bigint) as departures_in_month,
        cast(year_to_date_pivoted.criminal_departures_ytd as bigint) as criminal_departures_ytd,
        months.document_id

    from months
    left join top_nationality
        on
            months.reference_month = top_nationality.reference_month
            and top_nationality.share_rank = 1
    left join year_to_date_pivoted
        on months.reference_month = year_to_date_pivoted.reference_month

)

select * from final
