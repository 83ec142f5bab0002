-- Every published figure with the publication it came from. One publication wins a month, whole:
-- the marts use the figures of the publication ranked first among those of its reference month
-- (int_source_documents_ordered) and no other, so a figure the winner does not print is absent,
-- never filled in from an older vintage. Where two winning publications of different months give
-- the same figure (only a family whose window ends before its publication's month could), the
-- later month's wins. Each figure carries its publication's `valid_from` / `valid_to`.
-- A table, not a view: every fact and most intermediate models read it, and a view would run the
-- chain below it (labels keyed and coded, corrections, the order of vintages) once for each.
{{ config(materialized='table') }}
with

figures as (

    select * from {{ ref('int_published_figures_corrected') }}

),

documents as (

    select * from {{ ref('int_source_documents_ordered') }}

),

joined as (

    select
        {{ figure_columns('figures', corrected=true) }}
        cast({{ dbt.date_trunc('month', 'figures.period_end') }} as date) as reference_month,
        documents.reference_month as document_reference_month,
        documents.vintage,
        documents.published_on,
        documents.publication_rank,
        documents.is_latest_for_month,
        documents.valid_from,
        documents.valid_to

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
            order by
                case when is_latest_for_month then 0 else 1 end asc,
                document_reference_month desc,
                publication_rank asc
        ) as figure_rank

    from joined

),

final as (

    select
        *,
        is_latest_for_month and figure_rank = 1 as is_latest_for_figure

    from ranked

)

select * from final
