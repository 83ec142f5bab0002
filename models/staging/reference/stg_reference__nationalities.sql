with

source as (

    select * from {{ ref('ref_nationalities') }}

),

renamed as (

    select
        cast(nationality_code as varchar) as nationality_code,
        cast(iso2_code as varchar) as iso2_code,
        cast(name_en as varchar) as name_en,
        cast(name_nl as varchar) as name_nl,
        cast(is_country as boolean) as is_country,
        cast(source as varchar) as source_note

    from source

)

select * from renamed
