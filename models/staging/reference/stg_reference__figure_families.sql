with

source as (

    select * from {{ ref('ref_figure_families') }}

),

renamed as (

    select
        family_code,
        figure_code,
        population_code,
        window_type,
        window_end_offset_months,
        subject_type,
        unit,
        min_value,
        max_value,
        share_of_family_code,
        in_monthly_pivot as is_in_monthly_pivot,
        is_required,
        required_from,
        required_to,
        name_en as family_name_en,
        description as family_description

    from source

)

select * from renamed
