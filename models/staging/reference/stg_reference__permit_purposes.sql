with

source as (

    select * from {{ ref('ref_permit_purposes') }}

),

renamed as (

    select
        purpose_code,
        label_nl as purpose_label_nl,
        {{ label_key('label_nl') }} as label_key,
        name_en as purpose_name_en,
        description as purpose_description

    from source

)

select * from renamed
