{#-
    The families of the registry seed (ref_figure_families, through its staging model) that are a
    column of the monthly pivot, as a list of family codes in a stable order.

    Read when the model runs, from the relation passed in (the model also selects from it, so dbt
    builds it first). At parse time, and where the relation does not exist yet (sqlfluff's
    compile of a single file), the list is empty: the model then compiles to its fixed columns.
-#}
{% macro monthly_pivot_families(families_relation) -%}
    {%- if not execute or load_relation(families_relation) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        "select family_code from " ~ families_relation
        ~ " where is_in_monthly_pivot order by family_code"
    ) -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}
