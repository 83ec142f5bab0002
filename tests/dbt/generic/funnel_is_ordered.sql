{#- Each stage of a funnel is at most the one before it, and none is negative
    (Dublin: handled >= rejected >= rejected under Dublin >= 0). -#}
{% test funnel_is_ordered(model, columns, describe='null') %}

select
    document_id,
    {{ describe }} as figure,
    {{ columns | join(', ') }},
    'expected {{ columns | join(' >= ') }} >= 0, got '
    || {% for column in columns %}cast({{ column }} as varchar){{ " || ', ' || " if not loop.last }}{% endfor %}
        as violation

from {{ model }}
where
    {{ columns[-1] }} < 0
    {%- for column in columns[1:] %}
    or {{ column }} > {{ columns[loop.index0] }}
    {%- endfor %}

{% endtest %}
