-- Published figures with the reviewed corrections applied: `effective_value` is the figure the
-- marts use (the correction where a maintainer reviewed a misprint, otherwise as published);
-- `published_value` is always the number as printed, `corrected_value` the correction or null.
with

figures as (

    select * from {{ ref('stg_kerncijfers__published_figures') }}

),

corrections as (

    select * from {{ ref('stg_reviewed__corrections') }}

),

corrected as (

    select
        figures.document_id,
        figures.figure_seq,
        figures.family_code,
        figures.figure_code,
        figures.population_code,
        figures.window_type,
        figures.period_start,
        figures.period_end,
        figures.subject_type,
        figures.subject_code,
        figures.subject_label_nl,
        figures.published_value,
        corrections.corrected_value,
        coalesce(corrections.corrected_value, figures.published_value) as effective_value,
        corrections.corrected_value is not null as is_corrected,
        corrections.correction_reason,
        figures.unit,
        figures.is_approximate,
        figures.rounding_unit,
        figures.rounding_basis,
        figures.source_line,
        figures.source_text

    from figures
    left join corrections
        on
            figures.document_id = corrections.document_id
            and figures.figure_code = corrections.figure_code
            and figures.population_code = corrections.population_code
            and figures.window_type = corrections.window_type
            and figures.subject_code = corrections.subject_code

)

select * from corrected
