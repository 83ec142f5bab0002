{#- A count published "afgerond op tientallen" is a multiple of ten (generally: of its stated
    rounding unit). -#}
{% test multiple_of_rounding_unit(model, column_name, rounding_column, where_clause='true') %}

select
    document_id,
    figure_code,
    source_line,
    {{ column_name }} as value,
    {{ rounding_column }} as rounding_unit,
    cast({{ column_name }} as varchar) || ' is said to be rounded to '
    || cast({{ rounding_column }} as varchar) || ' but is not a multiple of it' as violation

from {{ model }}
where
    ({{ where_clause }})
    and {{ rounding_column }} > 0
    and {{ column_name }} - floor({{ column_name }} / {{ rounding_column }}) * {{ rounding_column }} <> 0

{% endtest %}
