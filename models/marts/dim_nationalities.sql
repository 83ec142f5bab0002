with

nationalities as (

    select * from {{ ref('stg_reference__nationalities') }}

),

final as (

    select
        nationality_code,
        iso2_code,
        name_en,
        name_nl,
        is_country,
        source_note

    from nationalities

)

select * from final
