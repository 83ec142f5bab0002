with

grant_rates as (

    select * from {{ ref('int_published_figures_ranked') }}
    where is_latest_for_figure and figure_code = 'grant_rate'

),

nationalities as (

    select * from {{ ref('stg_reference__nationalities') }}

),

final as (

    select
        grant_rates.period_start,
        grant_rates.period_end,
        grant_rates.reference_month,
        grant_rates.subject_code as nationality_code,
        -- The rate of all nationalities stands in a sentence, not as a list item, so the document
        -- prints no label for it: it gets the Dutch name of TOTAL ("Alle nationaliteiten").
        case
            when grant_rates.subject_code = 'TOTAL' then nationalities.name_nl
            else grant_rates.subject_label_nl
        end as nationality_label_nl,
        nationalities.name_en as nationality_name_en,
        -- As the document prints the window's rates: the sentence with all nationalities, then
        -- the list. Per document: a list is one document's.
        row_number() over (
            partition by grant_rates.document_id, grant_rates.period_start, grant_rates.period_end
            order by grant_rates.figure_seq asc
        ) as printed_order,
        cast(grant_rates.effective_value as double precision) as grant_rate_pct,
        grant_rates.is_approximate,
        cast(grant_rates.rounding_unit as double precision) as rounding_unit,
        grant_rates.document_id,
        grant_rates.source_line

    from grant_rates
    left join nationalities
        on grant_rates.subject_code = nationalities.nationality_code

)

select * from final
