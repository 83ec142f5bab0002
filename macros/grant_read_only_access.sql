{#-
    The read-only role for BI tools (on-run-end hook in dbt_project.yml): on PostgreSQL, after
    every dbt command, the role named by KERNCIJFERS_PG_BI_USER (default kerncijfers_bi) may use
    schema marts and select from its tables, including tables built later by the same owner. It
    gets nothing else: raw, reference, staging, intermediate and audit stay closed to it, and it
    cannot create, insert, update or delete anywhere. The role itself is created once by a
    superuser (profiles/postgres-setup.sql); when it does not exist the build says so and goes on.
    DuckDB has no roles: BI tools open the file read-only instead (README).

    The role still sees the names of every schema and table (raw, checks, the candidates ...):
    pg_namespace and pg_class, which SQLAlchemy's inspector (Superset) and JDBC's getSchemas
    (Metabase) read, are readable by every role, and a system catalog takes no row-level security.
    It reads nothing in them (tests/kerncijfers/test_bi_connections.py); the README says how to keep Superset
    and Metabase to marts.

    Every dbt build on PostgreSQL goes into candidate schemas (macros/generate_schema_name.sql), so
    here it grants nothing: the BI role must not read a build before it has passed its audit. The
    same three grants are given in the transaction that swaps the candidate in
    (kerncijfers/pipeline/postgres.py).
-#}
{% macro grant_read_only_access(role=none, schema='marts') %}
    {%- if target.type != 'postgres' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- if schema_suffix() | trim -%}
        {{ return('') }}
    {%- endif -%}
    {%- set role = role or env_var('KERNCIJFERS_PG_BI_USER', 'kerncijfers_bi') -%}
    {%- set found = run_query(
        "select exists (select from pg_roles where rolname = '" ~ role | replace("'", "''") ~ "'),"
        ~ " exists (select from pg_namespace where nspname = '" ~ schema ~ "')"
    ).rows[0] -%}
    {%- if not found[0] -%}
        {{ log("No role " ~ role ~ ": schema " ~ schema ~ " is not granted to a BI role "
               ~ "(create it with profiles/postgres-setup.sql).", info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- if not found[1] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set grantee = adapter.quote(role) -%}
    grant usage on schema {{ schema }} to {{ grantee }};
    grant select on all tables in schema {{ schema }} to {{ grantee }};
    -- dbt replaces a table on every build; the new one is readable from the moment it exists.
    alter default privileges in schema {{ schema }} grant select on tables to {{ grantee }};
{%- endmacro %}
