with

figures as (

    select * from {{ ref('int_published_figures_ranked') }}

),

final as (

    select
        document_id,
        figure_seq,
        family_code,
        figure_code,
        population_code,
        window_type,
        period_start,
        period_end,
        reference_month,
        subject_type,
        subject_code,
        subject_label_nl,
        cast(published_value as double precision) as published_value,
        cast(corrected_value as double precision) as corrected_value,
        is_corrected,
        correction_reason,
        unit,
        is_approximate,
        cast(rounding_unit as double precision) as rounding_unit,
        rounding_basis,
        vintage,
        is_latest_for_figure,
        valid_from,
        valid_to,
        source_line,
        source_text

    from figures

)

select * from final
