{#-
    Counts estimated from a rounded share of a rounded total.

    A share published as s (rounded to r_s) lies in [s - r_s/2, s + r_s/2]; a total published as
    t (rounded to r_t, e.g. 10 for "afgerond op tientallen") lies in [t - r_t/2, t + r_t/2]. The
    true count is a whole number in [low, high] with
        low  = ceil(max(s - r_s/2, 0) * max(t - r_t/2, 0) / 100)
        high = floor(min(s + r_s/2, 100) * (t + r_t/2) / 100)
    and the point estimate is round(s * t / 100). Null when the total is unknown (greatest() and
    least() skip nulls, so the guard is explicit).
-#}
{% macro estimated_count(share, total) -%}
    cast(round({{ share }} * {{ total }} / 100, 0) as bigint)
{%- endmacro %}

{% macro estimated_count_low(share, share_rounding, total, total_rounding) -%}
    case when {{ share }} is not null and {{ total }} is not null then cast(ceil(
        greatest({{ share }} - {{ share_rounding }} / 2, 0)
        * greatest({{ total }} - {{ total_rounding }} / 2, 0) / 100
    ) as bigint) end
{%- endmacro %}

{% macro estimated_count_high(share, share_rounding, total, total_rounding) -%}
    case when {{ share }} is not null and {{ total }} is not null then cast(floor(
        least({{ share }} + {{ share_rounding }} / 2, 100)
        * ({{ total }} + {{ total_rounding }} / 2) / 100
    ) as bigint) end
{%- endmacro %}
