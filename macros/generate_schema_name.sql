{#-
    Use a model's custom schema as the schema name itself (`marts`, `staging`, `raw`), not
    `<target schema>_<custom>`: BI users and the public contract refer to schema `marts`.

    On PostgreSQL every build goes into candidate schemas (`marts__candidate`, ...): a plain
    `dbt build --target postgres` (CI) as much as `kerncijfers build`, which audits them and only
    then swaps them in (kerncijfers/pipeline/postgres.py). So nothing but that swap writes the
    schemas the BI role reads. KERNCIJFERS_SCHEMA_SUFFIX names another suffix. DuckDB builds a
    candidate file instead and ignores it.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set base = target.schema if custom_schema_name is none else custom_schema_name | trim -%}
    {{ base }}{{ schema_suffix() }}
{%- endmacro %}

{% macro schema_suffix() -%}
    {%- if target.type == 'postgres' -%}
        {{ env_var('KERNCIJFERS_SCHEMA_SUFFIX', '__candidate') or '__candidate' }}
    {%- endif -%}
{%- endmacro %}
