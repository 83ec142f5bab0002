-- Every count published under a stated rounding ("afgerond op tientallen"), every vintage,
-- with the remainder after dividing by its rounding unit.
select
    document_id,
    figure_code as family,
    coalesce(subject_label_nl, '') as subject,
    source_line,
    cast(value as double) as value,
    cast(rounding_unit as double) as rounding_unit,
    cast(value - floor(value / rounding_unit) * rounding_unit as double) as remainder
from marts.fct_published_figures
where unit = 'count' and rounding_basis = 'stated'
