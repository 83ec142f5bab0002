with

source as (

    select * from {{ ref('ref_nationality_labels') }}

),

renamed as (

    select
        cast(label_nl as varchar) as label_nl,
        -- The join key: the label rule the ingest compares labels by (core/labels.py).
        {{ label_key('label_nl') }} as label_key,
        cast(nationality_code as varchar) as nationality_code,
        cast(label_kind as varchar) as label_kind

    from source

)

select * from renamed
