{#-
    Use a model's custom schema as the schema name itself (`marts`, `staging`, `raw`), not
    `<target schema>_<custom>`: BI users and the public contract refer to schema `marts`.

    On PostgreSQL, `kerncijfers build` builds into candidate schemas (`marts__candidate`, ...) by
    setting KERNCIJFERS_SCHEMA_SUFFIX, audits them, and only then swaps them in
    (kerncijfers/pipeline/postgres.py). DuckDB builds a candidate file instead and ignores it.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set base = target.schema if custom_schema_name is none else custom_schema_name | trim -%}
    {{ base }}{{ schema_suffix() }}
{%- endmacro %}

{% macro schema_suffix() -%}
    {%- if target.type == 'postgres' -%}
        {{ env_var('KERNCIJFERS_SCHEMA_SUFFIX', '') }}
    {%- endif -%}
{%- endmacro %}
