with

documents as (

    select * from {{ ref('stg_kerncijfers__source_documents') }}

),

final as (

    select
        document_id,
        reference_month,
        vintage,
        vintage = max(vintage) over (partition by reference_month) as is_latest_vintage,
        title,
        publisher,
        published_on,
        sha256,
        size_bytes,
        media_type,
        stored_path,
        source_url,
        parser_version,
        ingested_at

    from documents

)

select * from final
