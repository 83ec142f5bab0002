-- Every published figure with the publication it came from, ranked among the publications that
-- give the same figure (same measure, population, window, period and subject). The one published
-- last wins: by publication date where the maintainer gave it (`--published-on`), otherwise by
-- the day it was ingested; then the later reference month; then the later vintage (ingest order).
with

figures as (

    select * from {{ ref('int_published_figures_corrected') }}

),

documents as (

    select * from {{ ref('stg_kerncijfers__source_documents') }}

),

joined as (

    select
        figures.document_id,
        figures.figure_seq,
        figures.family_code,
        figures.figure_code,
        figures.population_code,
        figures.window_type,
        figures.period_start,
        figures.period_end,
        cast({{ dbt.date_trunc('month', 'figures.period_end') }} as date) as reference_month,
        figures.subject_type,
        figures.subject_code,
        figures.subject_label_nl,
        figures.published_value,
        figures.corrected_value,
        figures.effective_value,
        figures.is_corrected,
        figures.correction_reason,
        figures.unit,
        figures.is_approximate,
        figures.rounding_unit,
        figures.rounding_basis,
        figures.source_line,
        figures.source_text,
        documents.reference_month as document_reference_month,
        documents.vintage,
        coalesce(documents.published_on, cast(documents.ingested_at as date)) as published_or_ingested_on

    from figures
    inner join documents
        on figures.document_id = documents.document_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by
                figure_code,
                coalesce(population_code, ''),
                window_type,
                period_start,
                period_end,
                coalesce(subject_code, subject_label_nl, '')
            order by published_or_ingested_on desc, document_reference_month desc, vintage desc
        ) as vintage_rank

    from joined

),

final as (

    select
        *,
        vintage_rank = 1 as is_latest_for_figure

    from ranked

)

select * from final
