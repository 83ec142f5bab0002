with

source as (

    select * from {{ ref('ref_nationality_labels') }}

),

renamed as (

    select
        cast(label_nl as varchar) as label_nl,
        -- The join key: publications vary in case and stray spaces, never in spelling.
        lower(trim(label_nl)) as label_key,
        cast(nationality_code as varchar) as nationality_code,
        cast(label_kind as varchar) as label_kind

    from source

)

select * from renamed
