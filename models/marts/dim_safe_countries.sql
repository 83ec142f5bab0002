with

safe_countries as (

    select * from {{ ref('stg_reference__safe_countries') }}

),

nationalities as (

    select * from {{ ref('stg_reference__nationalities') }}

),

final as (

    select
        safe_countries.nationality_code,
        nationalities.name_en,
        nationalities.name_nl,
        safe_countries.valid_from,
        safe_countries.valid_to,
        safe_countries.is_suspended,
        safe_countries.basis,
        safe_countries.source_note

    from safe_countries
    left join nationalities
        on safe_countries.nationality_code = nationalities.nationality_code

)

select * from final
