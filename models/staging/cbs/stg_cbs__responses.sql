with

source as (

    select * from {{ ref('raw_cbs_responses') }}

),

renamed as (

    select
        response_sha256,
        fetch_id,
        fetch_number,
        url as response_url,
        retrieved_at,
        stored_path,
        size_bytes

    from source

)

select * from renamed
