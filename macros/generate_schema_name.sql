{#-
    Use a model's custom schema as the schema name itself (`marts`, `staging`, `raw`), not
    `<target schema>_<custom>`: BI users and the public contract refer to schema `marts`.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
