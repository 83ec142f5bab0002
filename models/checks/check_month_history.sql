-- A month's figures against what can be expected of them. Against its history: every figure of a
-- month that is no nationality share — counts, percentages, rates, permits per purpose — beside
-- the mean of the same figure in the (up to twelve) latest months the warehouse holds before it,
-- however far back; a year-to-date count is taken per month of its year so far (value / month),
-- so that January and December compare, and judged against the same month a year before where the
-- warehouse holds it (it is seasonal). First applications and nareizigers are judged so only
-- where no second source gives the month (those judge it instead). Within the month: first
-- applications handled against first applications lodged, and a nationality's share of the month
-- against its share of the twelve months ending with it. Each row has one factor (the larger of
-- value / reference and reference / value); the checks (gx/expectations/check_month_history.json)
-- set how far it may go.
with

published as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure

),

reconciliation as (

    select * from {{ ref('fct_source_reconciliation') }}
    where nationality_code = 'TOTAL'

),

figures as (

    select
        reference_month,
        family_code,
        figure_code,
        subject_code,
        document_id,
        effective_value as value,
        window_type = 'year_to_date' and unit = 'count' as is_year_to_date_count,
        case
            when window_type = 'year_to_date' and unit = 'count'
                then effective_value / extract(month from reference_month)
            else effective_value
        end as value_per_month

    from published
    where subject_type in ('total', 'purpose')

),

counts as (

    select * from figures
    where family_code in ('first_applications', 'first_applications_handled')

),

earlier_months as (

    select
        later_month.reference_month,
        later_month.family_code,
        later_month.subject_code,
        earlier_month.value_per_month,
        row_number() over (
            partition by later_month.reference_month, later_month.family_code, later_month.subject_code
            order by earlier_month.reference_month desc
        ) as months_back

    from figures as later_month
    inner join figures as earlier_month
        on
            later_month.family_code = earlier_month.family_code
            and later_month.subject_code = earlier_month.subject_code
            and later_month.reference_month > earlier_month.reference_month

),

history as (

    select
        reference_month,
        family_code,
        subject_code,
        avg(value_per_month) as reference_value

    from earlier_months
    where months_back <= 12
    group by reference_month, family_code, subject_code

),

year_ago as (

    -- A year-to-date count is seasonal (study permits are granted in late summer): it is judged
    -- against the same month a year before where the warehouse holds it.
    select
        later_month.reference_month,
        later_month.family_code,
        later_month.subject_code,
        earlier_month.value_per_month as reference_value

    from figures as later_month
    inner join figures as earlier_month
        on
            later_month.family_code = earlier_month.family_code
            and later_month.subject_code = earlier_month.subject_code
            and earlier_month.reference_month
            = cast({{ dbt.dateadd('month', -12, 'later_month.reference_month') }} as date)
    where later_month.is_year_to_date_count

),

references_chosen as (

    select
        history.reference_month,
        history.family_code,
        history.subject_code,
        coalesce(year_ago.reference_value, history.reference_value) as reference_value

    from history
    left join year_ago
        on
            history.reference_month = year_ago.reference_month
            and history.family_code = year_ago.family_code
            and history.subject_code = year_ago.subject_code

),

against_history as (

    select
        figures.document_id,
        figures.family_code,
        'history ' || figures.subject_code || ' ' || cast(figures.reference_month as varchar) as subject,
        figures.value_per_month as value,
        history.reference_value,
        case
            when coalesce(reconciliation.verdict, 'no_second_source') = 'no_second_source'
                then greatest(
                    figures.value_per_month / nullif(history.reference_value, 0),
                    history.reference_value / nullif(figures.value_per_month, 0)
                )
        end as history_factor,
        cast(null as double precision) as handled_factor,
        cast(null as double precision) as twelve_month_factor

    from figures
    inner join references_chosen as history
        on
            figures.reference_month = history.reference_month
            and figures.family_code = history.family_code
            and figures.subject_code = history.subject_code
    left join reconciliation
        on
            figures.reference_month = reconciliation.reference_month
            and figures.figure_code = reconciliation.measure_code
            and figures.subject_code = 'TOTAL'

),

handled_against_lodged as (

    select
        handled.document_id,
        handled.family_code,
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
        month_share.family_code,
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
        family_code,
        subject,
        cast(value as double precision) as value,
        cast(reference_value as double precision) as reference_value,
        cast(history_factor as double precision) as history_factor,
        cast(handled_factor as double precision) as handled_factor,
        cast(twelve_month_factor as double precision) as twelve_month_factor

    from unioned

)

select * from final
