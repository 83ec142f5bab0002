{#-
    Seeds on DuckDB, read by DuckDB itself.

    dbt's seed materialization first parses the whole CSV in Python (agate) to count its rows and
    guess its columns, even where dbt-duckdb then loads it with COPY: 4.4 s for the figures of
    1,200 publications, against 0.2 s for DuckDB's read_csv. Every seed of this project declares
    its column types (dbt_project.yml), so this reads the file as text and casts each declared
    column, keeping the file's column order. Empty fields are null, as with dbt's own seeds.
    PostgreSQL keeps dbt's seed materialization.
-#}
{% materialization seed, adapter='duckdb' %}

    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set column_types = config.get('column_types') or {} -%}
    {%- set path = adapter.get_seed_file_path(model) | replace("'", "''") -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% do adapter.create_schema(target_relation) %}
    {% call statement('load') %}
        create or replace table {{ target_relation }} as
        select *
        {%- if column_types %} replace (
            {%- for column, type in column_types.items() %}
            cast({{ adapter.quote(column) }} as {{ type }}) as {{ adapter.quote(column) }}
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        )
        {%- endif %}
        from read_csv('{{ path }}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')
    {% endcall %}

    {%- set rows = run_query('select count(*) from ' ~ target_relation).columns[0].values()[0] -%}
    {%- do store_result('agate_table', response='OK', agate_table=run_query('select 1 as loaded where false')) -%}
    {% call noop_statement('main', 'INSERT ' ~ rows, 'INSERT', rows) %}
        -- loaded {{ path }} with read_csv
    {% endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
