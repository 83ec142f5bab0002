{#- Complementary shares (under supervision + on their own) add up to 100 within their rounding. -#}
{% test shares_sum_to_100(model, columns, rounding=1, describe='null') %}

{%- set total = columns | join(' + ') -%}
{%- set tolerance = rounding / 2 * (columns | length) -%}

select
    document_id,
    {{ describe }} as figure,
    {{ total }} as total_pct,
    '{{ total }} = ' || cast({{ total }} as varchar) || ', not 100 ± {{ tolerance }}' as violation

from {{ model }}
where abs({{ total }} - 100) > {{ tolerance }}

{% endtest %}
