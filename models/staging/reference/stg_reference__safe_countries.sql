with

source as (

    select * from {{ ref('ref_safe_countries') }}

),

renamed as (

    select
        cast(nationality_code as varchar) as nationality_code,
        cast(valid_from as date) as valid_from,
        -- Exclusive end; null while the designation is still in force.
        cast(valid_to as date) as valid_to,
        cast(is_suspended as boolean) as is_suspended,
        cast(basis as varchar) as basis,
        cast(source_note as varchar) as source_note

    from source

)

select * from renamed
