{#-
    None of the listed columns is null: one test for a whole table rather than one per column
    (each test is a node of its own in every build). Returns a row per null, naming the column.
-#}
{% test not_null_columns(model, columns) %}

{% for column in columns %}
select '{{ column }}' as null_column
from {{ model }}
where {{ column }} is null
{% if not loop.last %}union all{% endif %}
{% endfor %}

{% endtest %}
