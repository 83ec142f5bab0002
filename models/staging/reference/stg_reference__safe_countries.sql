with

source as (

    select * from {{ ref('ref_safe_countries') }}

),

renamed as (

    select
        nationality_code,
        valid_from,
        -- Exclusive end; null while the designation is still in force.
        valid_to,
        is_suspended,
        basis,
        source_note

    from source

)

select * from renamed
