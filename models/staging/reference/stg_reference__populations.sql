with

source as (

    select * from {{ ref('ref_populations') }}

),

renamed as (

    select
        population_code,
        label_nl as population_label_nl,
        name_en as population_name_en,
        description as population_description

    from source

)

select * from renamed
