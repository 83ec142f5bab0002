with

figures as (

    select * from {{ ref('int_published_figures_ranked') }}

),

nationalities as (

    select * from {{ ref('stg_reference__nationalities') }}

),

purposes as (

    select * from {{ ref('stg_reference__permit_purposes') }}

),

final as (

    select
        figures.document_id,
        figures.figure_seq,
        figures.family_code,
        figures.figure_code,
        figures.population_code,
        figures.window_type,
        figures.period_start,
        figures.period_end,
        figures.reference_month,
        figures.subject_type,
        figures.subject_code,
        figures.subject_label_nl,
        -- A total is of every nationality (TOTAL in dim_nationalities), as the other marts name it.
        case
            when figures.subject_type = 'purpose' then purposes.purpose_name_en
            else nationalities.name_en
        end as subject_name_en,
        cast(figures.published_value as double precision) as published_value,
        cast(figures.corrected_value as double precision) as corrected_value,
        figures.is_corrected,
        figures.correction_reason,
        figures.unit,
        figures.is_approximate,
        cast(figures.rounding_unit as double precision) as rounding_unit,
        figures.rounding_basis,
        figures.vintage,
        figures.is_latest_for_figure,
        figures.valid_from,
        figures.valid_to,
        figures.source_line,
        figures.source_text

    from figures
    left join nationalities
        on
            figures.subject_type in ('total', 'nationality')
            and figures.subject_code = nationalities.nationality_code
    left join purposes
        on
            figures.subject_type = 'purpose'
            and figures.subject_code = purposes.purpose_code

)

select * from final
