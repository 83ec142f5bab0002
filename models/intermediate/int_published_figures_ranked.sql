-- Every published figure with the publication it came from, ranked among the vintages that
-- publish the same figure (same measure, population, window, period and subject). A later
-- publication wins: a higher reference month, then a higher vintage of the same month.
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
        figures.value,
        figures.is_corrected,
        figures.correction_reason,
        figures.unit,
        figures.is_approximate,
        figures.rounding_unit,
        figures.rounding_basis,
        figures.source_line,
        figures.source_text,
        documents.reference_month as document_reference_month,
        documents.vintage

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
            order by document_reference_month desc, vintage desc
        ) as vintage_rank

    from joined

),

final as (

    select
        *,
        vintage_rank = 1 as is_latest_vintage

    from ranked

)

select * from final
