with

source as (

    select * from {{ ref('ref_populations') }}

),

renamed as (

    select
        cast(population_code as varchar) as population_code,
        cast(label_nl as varchar) as population_label_nl,
        cast(name_en as varchar) as population_name_en,
        cast(description as varchar) as population_description

    from source

)

select * from renamed
