{#-
    On DuckDB, dbt's persist_docs writes one comment statement per column of every mart on every
    build (more than a second here). Only readers need the descriptions, and they read the
    published file, so the publish step writes them there from dbt's manifest, in one go
    (kerncijfers/pipeline/publish.py). PostgreSQL, whose marts readers use directly, keeps dbt's
    own persist_docs.
-#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
{%- endmacro %}
