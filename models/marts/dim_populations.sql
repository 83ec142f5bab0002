with

populations as (

    select * from {{ ref('stg_reference__populations') }}

),

final as (

    select
        population_code,
        population_name_en as name_en,
        population_label_nl as label_nl,
        population_description as description

    from populations

)

select * from final
