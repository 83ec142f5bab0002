-- One-time setup of a PostgreSQL server for the `postgres` target, run by a superuser with psql:
--
--   psql -v owner=kerncijfers -v owner_password="$KERNCIJFERS_PG_PASSWORD" \
--        -v bi_user=kerncijfers_bi -v bi_password="$KERNCIJFERS_PG_BI_PASSWORD" \
--        -v dbname=kerncijfers -f profiles/postgres-setup.sql
--
-- It creates (or, run again, updates) two roles and the database:
--   owner    builds the warehouse with dbt and owns every schema in it. CREATEDB lets the test
--            suite build in a database of its own per run; a production owner can do without.
--   bi_user  the read-only login for BI tools. It gets no privilege here: every `dbt build`
--            grants it USAGE on schema marts and SELECT on its tables, and nothing else
--            (macros/grant_read_only_access.sql). Like every role it can list the names of all
--            schemas and tables (PostgreSQL cannot hide them), and read none but marts'.
--   The owner is made a member of bi_user: so it may see the state of the BI role's sessions in
--   pg_stat_activity (hidden from other roles), and a build can name a dashboard that holds a
--   published schema ("idle in transaction"). It gains no privilege it did not have.
-- The BI role may connect to every database PUBLIC may connect to, on PostgreSQL's defaults
-- `postgres` too; keep it to the warehouse in pg_hba.conf, above the rules that accept it:
--   local  postgres,template1  kerncijfers_bi  reject
--   host   postgres,template1  kerncijfers_bi  all  reject
-- (.ci/postgres.sh writes these lines for CI's server.)
-- Passwords are psql variables, so they come from the environment, never from a file.

\set ON_ERROR_STOP on

select format('create role %I', :'owner')
where not exists (select from pg_roles where rolname = :'owner') \gexec
alter role :"owner" with login createdb nosuperuser nocreaterole password :'owner_password';

select format('create role %I', :'bi_user')
where not exists (select from pg_roles where rolname = :'bi_user') \gexec
alter role :"bi_user" with login nosuperuser nocreatedb nocreaterole noinherit password :'bi_password';
-- BI tools list the marts first and unqualified names resolve there.
alter role :"bi_user" set search_path = marts;
-- See the comment at the top: the owner reads the BI sessions' state, nothing more.
select format('grant %I to %I', :'bi_user', :'owner')
where not pg_has_role(:'owner', :'bi_user', 'member') \gexec

-- UTF-8 whatever the server's default: the figures hold Dutch labels (Syrië) and × in sentences.
select format('create database %I owner %I encoding %L template template0', :'dbname', :'owner', 'UTF8')
where not exists (select from pg_database where datname = :'dbname') \gexec
