with

source as (

    select * from {{ ref('reviewed_corrections') }}

),

renamed as (

    select
        document_id,
        figure_code,
        population_code,
        window_type,
        subject_code,
        corrected_value,
        reason as correction_reason,
        reviewed_on

    from source

)

select * from renamed
