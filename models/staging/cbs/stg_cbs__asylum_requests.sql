with

source as (

    select * from {{ ref('raw_cbs_asylum_requests') }}

),

renamed as (

    select
        fetch_id,
        reference_month,
        nationality_key,
        nationality_title,
        -- Matched on the reference seed's labels by the label rule (core/labels.py).
        {{ label_key('nationality_title') }} as nationality_title_key,
        is_total,
        measure_code,
        value as cbs_value,
        response_sha256

    from source

)

select * from renamed
