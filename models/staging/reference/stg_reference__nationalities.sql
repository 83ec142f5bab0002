with

source as (

    select * from {{ ref('ref_nationalities') }}

),

renamed as (

    select
        nationality_code,
        iso2_code,
        name_en,
        name_nl,
        is_country,
        source as source_note

    from source

)

select * from renamed
