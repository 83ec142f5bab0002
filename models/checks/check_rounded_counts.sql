-- Every count published under a stated rounding ("afgerond op tientallen"), every vintage, with
-- the remainder after dividing it by its rounding unit.
with

figures as (

    select * from {{ ref('fct_published_figures') }}
    where unit = 'count' and rounding_basis = 'stated'

),

final as (

    select
        document_id,
        family_code,
        coalesce(subject_code, subject_label_nl, 'TOTAL') as subject,
        figure_seq,
        source_line,
        published_value as value,
        rounding_unit,
        published_value - floor(published_value / rounding_unit) * rounding_unit as remainder

    from figures

)

select * from final
