with

source as (

    select * from {{ ref('ref_nationality_labels') }}

),

renamed as (

    select
        label_nl,
        -- The join key: the label rule the ingest compares labels by (core/labels.py).
        {{ label_key('label_nl') }} as label_key,
        nationality_code,
        label_kind

    from source

)

select * from renamed
