with

families as (

    select * from {{ ref('stg_reference__figure_families') }}

),

final as (

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
        family_name_en as name_en,
        family_description as description,
        is_required,
        required_from,
        required_to

    from families

)

select * from final
