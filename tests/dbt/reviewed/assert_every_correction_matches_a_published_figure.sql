-- Every reviewed correction names exactly one published figure. A correction that matches none
-- (a typo in its codes, or a document that was never ingested) would silently change nothing.
-- The corrections that match nothing are kept (schema test_failures) for the maintainer to see.
{{ config(store_failures=true, schema='test_failures') }}
with

corrections as (

    select * from {{ ref('stg_reviewed__corrections') }}

),

figures as (

    select * from {{ ref('int_published_figures_corrected') }}

),

matches as (

    select
        corrections.document_id,
        corrections.figure_code,
        corrections.population_code,
        corrections.window_type,
        corrections.subject_code,
        count(figures.figure_seq) as matching_figures

    from corrections
    left join figures
        on
            corrections.document_id = figures.document_id
            and corrections.figure_code = figures.figure_code
            and corrections.population_code = figures.population_code
            and corrections.window_type = figures.window_type
            and corrections.subject_code = figures.subject_code
    group by
        corrections.document_id,
        corrections.figure_code,
        corrections.population_code,
        corrections.window_type,
        corrections.subject_code

)

select * from matches
where matching_figures <> 1
