with

source as (

    select * from {{ ref('raw_cbs_responses') }}

),

renamed as (

    select
        cast(response_sha256 as varchar) as response_sha256,
        cast(fetch_id as varchar) as fetch_id,
        cast(fetch_number as integer) as fetch_number,
        cast(url as varchar) as response_url,
        cast(retrieved_at as timestamp) as retrieved_at,
        cast(stored_path as varchar) as stored_path,
        cast(size_bytes as bigint) as size_bytes

    from source

)

select * from renamed
