{#- Every share and rate lies in [0, 100]. Rows name the document and the figure. -#}
{% test percentage_in_range(model, column_name, describe='null') %}

select
    document_id,
    {{ describe }} as figure,
    {{ column_name }} as value_pct,
    '{{ column_name }} = ' || cast({{ column_name }} as varchar) || ' lies outside 0..100'
        as violation

from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 100

{% endtest %}
