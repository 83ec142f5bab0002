with

documents as (

    select * from {{ ref('stg_kerncijfers__source_documents') }}

),

ordered as (

    select * from {{ ref('int_source_documents_ordered') }}

),

final as (

    select
        documents.document_id,
        documents.reference_month,
        documents.vintage,
        ordered.is_latest_for_month,
        ordered.publication_rank,
        ordered.replaced_by_document_id,
        ordered.valid_to,
        documents.title,
        documents.publisher,
        documents.published_on,
        documents.sha256,
        documents.size_bytes,
        documents.media_type,
        documents.stored_path,
        documents.source_url,
        documents.parser_version,
        documents.ingested_at

    from documents
    inner join ordered
        on documents.document_id = ordered.document_id

)

select * from final
