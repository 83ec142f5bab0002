-- A month's counts against what can be expected of them where no second source judges them:
-- against the mean of the months before it (up to twelve, as the warehouse holds them), and
-- within the month, first applications handled against first applications lodged and a
-- nationality's share of the month against its share of the twelve months ending with it. Each
-- row has one factor (the larger of value / reference and reference / value); the rules
-- (gx/expectations/audit_month_history.json) set how far it may go.
with

published as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure

),

reconciliation as (

    select * from {{ ref('fct_source_reconciliation') }}
    where nationality_code = 'TOTAL'

),

counts as (

    select
        reference_month,
        family_code,
        figure_code,
        effective_value as value,
        document_id

    from published
    where
        window_type = 'month'
        and unit = 'count'
        and family_code in ('first_applications', 'family_reunification_arrivals', 'first_applications_handled')

),

history as (

    select
        current_month.reference_month,
        current_month.family_code,
        avg(previous_month.value) as reference_value,
        count(*) as months_before

    from counts as current_month
    inner join counts as previous_month
        on
            current_month.family_code = previous_month.family_code
            and current_month.reference_month > previous_month.reference_month
            and previous_month.reference_month
            >= cast({{ dbt.dateadd('month', -12, 'current_month.reference_month') }} as date)
    group by current_month.reference_month, current_month.family_code

),

against_history as (

    select
        counts.document_id,
        counts.family_code as family,
        'history ' || cast(counts.reference_month as varchar) as subject,
        counts.value,
        history.reference_value,
        -- Judged only where no second source gives the month's count (those judge it instead).
        case
            when coalesce(reconciliation.verdict, 'no_second_source') = 'no_second_source'
                then greatest(counts.value / history.reference_value, history.reference_value / counts.value)
        end as history_factor,
        cast(null as double precision) as handled_factor,
        cast(null as double precision) as twelve_month_factor

    from counts
    inner join history
        on
            counts.reference_month = history.reference_month
            and counts.family_code = history.family_code
    left join reconciliation
        on
            counts.reference_month = reconciliation.reference_month
            and counts.figure_code = reconciliation.measure_code

),

handled_against_lodged as (

    select
        handled.document_id,
        handled.family_code as family,
        'handled against first applications ' || cast(handled.reference_month as varchar) as subject,
        handled.value,
        lodged.value as reference_value,
        cast(null as double precision) as history_factor,
        greatest(handled.value / lodged.value, lodged.value / handled.value) as handled_factor,
        cast(null as double precision) as twelve_month_factor

    from counts as handled
    inner join counts as lodged
        on
            handled.reference_month = lodged.reference_month
            and lodged.family_code = 'first_applications'
    where handled.family_code = 'first_applications_handled'

),

shares as (

    select * from published
    where figure_code = 'nationality_share' and subject_code <> 'OTHER'

),

month_against_twelve_months as (

    select
        month_share.document_id,
        month_share.family_code as family,
        month_share.population_code || ' ' || month_share.subject_code || ' '
        || cast(month_share.reference_month as varchar) as subject,
        month_share.effective_value as value,
        twelve_months.effective_value as reference_value,
        cast(null as double precision) as history_factor,
        cast(null as double precision) as handled_factor,
        greatest(
            month_share.effective_value / twelve_months.effective_value,
            twelve_months.effective_value / month_share.effective_value
        ) as twelve_month_factor

    from shares as month_share
    inner join shares as twelve_months
        on
            month_share.population_code = twelve_months.population_code
            and month_share.subject_code = twelve_months.subject_code
            and month_share.period_end = twelve_months.period_end
            and twelve_months.window_type = 'rolling_12m'
    where
        month_share.window_type = 'month'
        and month_share.effective_value > 0
        and twelve_months.effective_value > 0

),

unioned as (

    select * from against_history
    union all
    select * from handled_against_lodged
    union all
    select * from month_against_twelve_months

),

final as (

    select
        document_id,
        family,
        subject,
        cast(value as double precision) as value,
        cast(reference_value as double precision) as reference_value,
        cast(history_factor as double precision) as history_factor,
        cast(handled_factor as double precision) as handled_factor,
        cast(twelve_month_factor as double precision) as twelve_month_factor

    from unioned

)

select * from final
