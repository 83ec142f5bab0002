{#-
    A breakdown by nationality sums correctly. Each listed share is rounded, so it may be off by
    half its rounding unit; the tolerance is the sum of those halves.
    - A breakdown of only the top nationalities sums to at most 100 (+ tolerance).
    - A breakdown that includes the residual ("Overige nationaliteit") is complete: it sums to 100
      (± tolerance).
    One row per breakdown that does not, naming the document, the breakdown and the numbers.
-#}
{% test breakdown_sums_correctly(model, column_name, group_by, residual_flag, rounding_column) %}

with

breakdowns as (

    select
        {{ group_by | join(', ') }},
        max(document_id) as document_id,
        count(*) as listed_items,
        sum({{ column_name }}) as total_pct,
        sum({{ rounding_column }}) / 2 as tolerance_pct,
        max(case when {{ residual_flag }} then 1 else 0 end) = 1 as has_residual

    from {{ model }}
    group by {{ group_by | join(', ') }}

)

select
    breakdowns.*,
    {% for column in group_by -%}
    cast({{ column }} as varchar){{ " || ' ' || " if not loop.last }}
    {%- endfor %} as breakdown,
    case
        when has_residual
            then 'includes the residual, so it must sum to 100 ± '
        else 'lists the top items only, so it must sum to at most 100 + '
    end || cast(tolerance_pct as varchar) || ', but sums to ' || cast(total_pct as varchar)
        as violation

from breakdowns
where
    (has_residual and abs(total_pct - 100) > tolerance_pct)
    or (not has_residual and total_pct > 100 + tolerance_pct)

{% endtest %}
