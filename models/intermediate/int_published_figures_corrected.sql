-- Published figures with their codes and the reviewed corrections applied. Each figure gets its
-- family from the registry (ref_figure_families) and, for a nationality or purpose, the code of
-- its label: the label's key (the label rule of core/labels.py, which the ingest compares by)
-- joined on the keys of the reference seeds' labels. `effective_value` is the figure the marts
-- use (the correction where a maintainer reviewed a misprint, otherwise as published);
-- `published_value` is always the number as printed, `corrected_value` the correction or null.
-- A table, not a view: its tests (a key, labels with codes, figures with families) and
-- int_published_figures_ranked read it, and as a view each would key every label of every
-- figure again (at 1,200 publications 1.5-2 s each, four times per build).
{{ config(materialized='table') }}
with

figures as (

    select * from {{ ref('stg_kerncijfers__published_figures') }}

),

families as (

    select * from {{ ref('stg_reference__figure_families') }}

),

nationality_labels as (

    select * from {{ ref('stg_reference__nationality_labels') }}

),

purposes as (

    select * from {{ ref('stg_reference__permit_purposes') }}

),

corrections as (

    select * from {{ ref('stg_reviewed__corrections') }}

),

coded as (

    select
        {{ figure_columns('figures') }}
        families.family_code,
        case figures.subject_type
            when 'total' then 'TOTAL'
            when 'nationality' then nationality_labels.nationality_code
            when 'purpose' then purposes.purpose_code
        end as subject_code

    from figures
    left join families
        on
            figures.figure_code = families.figure_code
            and figures.population_code = families.population_code
            and figures.window_type = families.window_type
            and figures.subject_type = families.subject_type
            and figures.unit = families.unit
    left join nationality_labels
        on
            figures.subject_type = 'nationality'
            and figures.subject_label_key = nationality_labels.label_key
    left join purposes
        on
            figures.subject_type = 'purpose'
            and figures.subject_label_key = purposes.label_key

),

corrected as (

    select
        coded.*,
        corrections.corrected_value,
        coalesce(corrections.corrected_value, coded.published_value) as effective_value,
        corrections.corrected_value is not null as is_corrected,
        corrections.correction_reason

    from coded
    left join corrections
        on
            coded.document_id = corrections.document_id
            and coded.figure_code = corrections.figure_code
            and coded.population_code = corrections.population_code
            and coded.window_type = corrections.window_type
            and coded.subject_code = corrections.subject_code

)

select * from corrected
