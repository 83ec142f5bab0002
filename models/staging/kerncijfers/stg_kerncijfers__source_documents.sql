with

source as (

    select * from {{ ref('raw_source_documents') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(reference_month as date) as reference_month,
        cast(vintage as integer) as vintage,
        cast(title as varchar) as title,
        cast(publisher as varchar) as publisher,
        cast(source_url as varchar) as source_url,
        cast(published_on as date) as published_on,
        cast(sha256 as varchar) as sha256,
        cast(size_bytes as bigint) as size_bytes,
        cast(media_type as varchar) as media_type,
        cast(stored_path as varchar) as stored_path,
        cast(parser_version as varchar) as parser_version,
        cast(ingested_at as timestamp) as ingested_at

    from source

)

select * from renamed
