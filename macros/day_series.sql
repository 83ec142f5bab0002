{#-
    One row per day from start_date up to, not including, end_date, as column `day`: DuckDB's
    range() and PostgreSQL's generate_series() give it in one step, where dbt.date_spine builds it
    from a cross join of powers of two (ten times slower here).
-#}
{% macro day_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_series', 'kerncijfers')(start_date, end_date)) }}
{%- endmacro %}

{% macro duckdb__day_series(start_date, end_date) -%}
    select range as day from range(date '{{ start_date }}', date '{{ end_date }}', interval 1 day)
{%- endmacro %}

{% macro default__day_series(start_date, end_date) -%}
    select series.day
    from generate_series(date '{{ start_date }}', date '{{ end_date }}' - 1, interval '1 day') as series (day)
{%- endmacro %}
