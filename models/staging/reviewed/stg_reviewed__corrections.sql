with

source as (

    select * from {{ ref('reviewed_corrections') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(figure_code as varchar) as figure_code,
        cast(population_code as varchar) as population_code,
        cast(window_type as varchar) as window_type,
        cast(subject_code as varchar) as subject_code,
        cast(corrected_value as decimal(18, 4)) as corrected_value,
        cast(reason as varchar) as correction_reason,
        cast(reviewed_on as date) as reviewed_on

    from source

)

select * from renamed
