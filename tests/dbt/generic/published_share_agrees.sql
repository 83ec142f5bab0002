{#-
    A published percentage agrees with the one computed from the published counts: the interval
    the rounding of the counts allows ([low, high]) meets the published value ± half its rounding.
-#}
{% test published_share_agrees(model, column_name, low, high, rounding=1, describe='null') %}

select
    document_id,
    {{ describe }} as figure,
    {{ column_name }} as published_pct,
    {{ low }} as computed_low_pct,
    {{ high }} as computed_high_pct,
    'published ' || cast({{ column_name }} as varchar) || '% but the counts give '
    || cast({{ low }} as varchar) || '..' || cast({{ high }} as varchar) || '%' as violation

from {{ model }}
where
    {{ column_name }} + {{ rounding / 2 }} < {{ low }}
    or {{ column_name }} - {{ rounding / 2 }} > {{ high }}

{% endtest %}
