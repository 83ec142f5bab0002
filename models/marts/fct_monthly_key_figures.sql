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
            as permits_granted_ytd_listed_purposes,
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
        months.first_applications_is_approximate,
        cast(months.family_reunification_arrivals as bigint) as family_reunification_arrivals,
        months.family_reunification_arrivals_is_approximate,
        cast(months.safe_country_share as double precision) as safe_country_share_pct,
        top_nationality.nationality_code as top_nationality_code,
        cast(top_nationality.share_pct as double precision) as top_nationality_share_pct,
        cast(months.grant_rate as double precision) as grant_rate_12m_pct,
        cast(months.first_applications_handled as bigint) as handled_count,
        cast(months.first_applications_rejected as bigint) as rejected_count,
        cast(months.first_applications_rejected_dublin as bigint) as dublin_rejected_count,
        months.first_applications_handled_is_approximate as dublin_counts_are_approximate,
        cast(months.dublin_share as double precision) as published_dublin_share_pct,
        cast(year_to_date_pivoted.permits_granted_ytd_listed_purposes as bigint)
            as permits_granted_ytd_listed_purposes,
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
