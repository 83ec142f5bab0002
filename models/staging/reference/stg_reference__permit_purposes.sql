with

source as (

    select * from {{ ref('ref_permit_purposes') }}

),

renamed as (

    select
        cast(purpose_code as varchar) as purpose_code,
        cast(label_nl as varchar) as purpose_label_nl,
        {{ label_key('label_nl') }} as label_key,
        cast(name_en as varchar) as purpose_name_en,
        cast(description as varchar) as purpose_description

    from source

)

select * from renamed
