with

source as (

    select * from {{ ref('raw_source_documents') }}

),

renamed as (

    select
        document_id,
        reference_month,
        vintage,
        title,
        publisher,
        source_url,
        published_on,
        sha256,
        size_bytes,
        media_type,
        stored_path,
        parser_version,
        ingested_at

    from source

)

select * from renamed
