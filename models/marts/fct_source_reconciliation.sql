-- Each month's counts beside the second sources that count the same people: the Kerncijfers
-- value with the interval its rounding allows (for a nationality, the estimated-count interval of
-- its share), IND's value as first published and as last revised, and CBS's latest value, with a
-- verdict. Tolerances: IND counts exactly, so its value must lie inside the Kerncijfers interval;
-- CBS rounds to multiples of 5, so its value may lie 2.5 beyond either end. A count agrees with IND
-- when its first-published or its revised value lies inside (a corrected publication may print
-- the revision); agreeing with the first only is a warning (differs_from_revision). Where IND has
-- no page, CBS judges. A value only IND or
-- CBS gives (repeat applications, the total influx, nationalities the publication does not list)
-- is here too, so that a reader has the whole month.
with

published as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure

),

shares as (

    select * from {{ ref('int_nationality_shares_estimated') }}
    where window_type = 'month' and not is_residual

),

second_sources as (

    select * from {{ ref('int_second_source_counts_selected') }}

),

totals as (

    select
        reference_month,
        family_code as measure_code,
        'TOTAL' as nationality_code,
        cast(null as double precision) as kerncijfers_share_pct,
        cast(effective_value as bigint) as kerncijfers_count,
        cast(effective_value - rounding_unit / 2 as double precision) as kerncijfers_low,
        cast(effective_value + rounding_unit / 2 as double precision) as kerncijfers_high,
        document_id

    from published
    where
        window_type = 'month'
        and subject_code = 'TOTAL'
        and family_code in ('first_applications', 'family_reunification_arrivals')

),

nationalities as (

    -- A share is compared as part of the count it is a share of (the registry says which).
    select
        reference_month,
        base_family_code as measure_code,
        nationality_code,
        cast(share_pct as double precision) as kerncijfers_share_pct,
        cast(estimated_count as bigint) as kerncijfers_count,
        cast(estimated_count_low as double precision) as kerncijfers_low,
        cast(estimated_count_high as double precision) as kerncijfers_high,
        document_id

    from shares

),

kerncijfers as (

    select * from totals
    union all
    select * from nationalities

),

joined as (

    select
        coalesce(kerncijfers.reference_month, second_sources.reference_month) as reference_month,
        coalesce(kerncijfers.measure_code, second_sources.measure_code) as measure_code,
        coalesce(kerncijfers.nationality_code, second_sources.nationality_code) as nationality_code,
        kerncijfers.kerncijfers_share_pct,
        kerncijfers.kerncijfers_count,
        kerncijfers.kerncijfers_low,
        kerncijfers.kerncijfers_high,
        kerncijfers.document_id,
        second_sources.ind_first_value,
        second_sources.ind_first_page_url,
        second_sources.ind_first_page_updated_on,
        second_sources.ind_latest_value,
        second_sources.ind_latest_page_url,
        second_sources.cbs_value,
        second_sources.cbs_fetch_id,
        second_sources.cbs_retrieved_at

    from kerncijfers
    full outer join second_sources
        on
            kerncijfers.reference_month = second_sources.reference_month
            and kerncijfers.measure_code = second_sources.measure_code
            and kerncijfers.nationality_code = second_sources.nationality_code

),

compared as (

    select
        *,
        coalesce(ind_first_value between kerncijfers_low and kerncijfers_high, false) as ind_first_agrees,
        coalesce(ind_latest_value between kerncijfers_low and kerncijfers_high, false) as ind_latest_agrees,
        coalesce(cbs_value between kerncijfers_low - 2.5 and kerncijfers_high + 2.5, false) as cbs_agrees

    from joined

),

judged as (

    -- Which case a row is, decided once: the verdict and its reason are both read from it.
    select
        *,
        case
            when kerncijfers_count is null then 'second_source_only'
            when ind_first_value is not null and not ind_first_agrees and not ind_latest_agrees then 'ind_disagrees'
            when ind_first_value is not null and not ind_latest_agrees then 'ind_revised_away'
            when ind_first_value is not null and not ind_first_agrees then 'ind_revised_towards'
            when ind_first_value is not null and cbs_value is not null and not cbs_agrees then 'cbs_differs'
            when ind_first_value is not null then 'ind_agrees'
            when cbs_value is null then 'no_second_source'
            when cbs_agrees then 'cbs_agrees'
            else 'cbs_disagrees'
        end as outcome

    from compared

),

final as (

    select
        reference_month,
        measure_code,
        nationality_code,
        kerncijfers_share_pct,
        kerncijfers_count,
        kerncijfers_low,
        kerncijfers_high,
        document_id,
        ind_first_value,
        ind_first_page_url,
        ind_first_page_updated_on,
        ind_latest_value,
        ind_latest_page_url,
        cbs_value,
        cbs_fetch_id,
        cbs_retrieved_at,
        case
            when outcome in ('ind_disagrees', 'cbs_disagrees') then 'disagrees'
            when outcome in ('ind_revised_away', 'cbs_differs') then 'differs_from_revision'
            when outcome in ('ind_revised_towards', 'ind_agrees', 'cbs_agrees') then 'agrees'
            else outcome
        end as verdict,
        case outcome
            when 'second_source_only' then 'only a second source gives this count'
            when 'ind_disagrees'
                then
                    'IND gives ' || cast(ind_first_value as varchar)
                    || case
                        when ind_latest_value <> ind_first_value
                            then ' (revised to ' || cast(ind_latest_value as varchar) || ')'
                        else ''
                    end
                    || ', outside the interval the published figure allows'
            when 'ind_revised_away'
                then 'agrees with IND as first published; IND revised it to ' || cast(ind_latest_value as varchar)
            when 'ind_revised_towards'
                then
                    'agrees with IND as revised (' || cast(ind_latest_value as varchar) || '); first published '
                    || cast(ind_first_value as varchar)
            when 'cbs_differs' then 'agrees with IND; CBS gives ' || cast(cbs_value as varchar)
            when 'ind_agrees' then 'IND''s count lies inside the interval'
            when 'no_second_source' then 'neither IND nor CBS gives this month'
            when 'cbs_agrees' then 'CBS''s count lies inside the interval, given its rounding'
            else 'CBS gives ' || cast(cbs_value as varchar) || ', beyond the interval and CBS''s rounding'
        end as verdict_reason

    from judged

)

select * from final
