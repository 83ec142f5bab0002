with

source as (

    select * from {{ ref('raw_cbs_asylum_requests') }}

),

renamed as (

    select
        cast(fetch_id as varchar) as fetch_id,
        cast(reference_month as date) as reference_month,
        cast(nationality_key as varchar) as nationality_key,
        cast(nationality_title as varchar) as nationality_title,
        cast(is_total as boolean) as is_total,
        cast(measure_code as varchar) as measure_code,
        cast(value as bigint) as cbs_value,
        cast(response_sha256 as varchar) as response_sha256

    from source

)

select * from renamed
