with

source as (

    select * from {{ ref('ref_figure_families') }}

),

renamed as (

    select
        cast(family_code as varchar) as family_code,
        cast(figure_code as varchar) as figure_code,
        cast(population_code as varchar) as population_code,
        cast(window_type as varchar) as window_type,
        cast(window_end_offset_months as integer) as window_end_offset_months,
        cast(subject_type as varchar) as subject_type,
        cast(unit as varchar) as unit,
        cast(min_value as double precision) as min_value,
        cast(max_value as double precision) as max_value,
        cast(share_of_family_code as varchar) as share_of_family_code,
        cast(in_monthly_pivot as boolean) as is_in_monthly_pivot,
        cast(is_required as boolean) as is_required,
        cast(required_from as date) as required_from,
        cast(required_to as date) as required_to,
        cast(name_en as varchar) as family_name_en,
        cast(description as varchar) as family_description

    from source

)

select * from renamed
