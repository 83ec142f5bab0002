"""The published DuckDB file as BI tools open it: through SQLAlchemy and duckdb-engine, inspected
the way Superset inspects a database (schemas, tables, columns with their comments, keys, indexes)
and queried with the URI and engine parameters the README gives. And the keys a BI tool reads to
know each mart's grain and how the marts join: declared as dbt contract constraints, present in
the published DuckDB file and, through SQLAlchemy's inspector, on PostgreSQL.

The versions are pinned in pyproject.toml: with SQLAlchemy 2.1 duckdb-engine fails to list columns
(`pg_catalog.pg_collation` does not exist), with 2.0 the key lookups fail (`REGCLASS`); 1.4 works.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import inspect, text

from kerncijfers.warehouse import Warehouse
from tests.conftest import ROOT
from tests.dbt_yml import mart_specs

pytestmark = pytest.mark.xdist_group("postgres")


def _declared_keys() -> dict[str, list[str]]:
    """Each published mart's primary key, as its yml declares it (the primary_key constraint)."""
    keys = {}
    for model in mart_specs().values():
        for constraint in model.get("constraints") or []:
            if constraint["type"] == "primary_key":
                keys[model["name"]] = constraint["columns"]
    return keys


KEYS = _declared_keys()
# The joins a BI tool offers: each fact's nationality and document to their dimensions.
JOINS = {
    ("fct_nationality_shares", "nationality_code"): "dim_nationalities",
    ("fct_grant_rates", "nationality_code"): "dim_nationalities",
    ("fct_source_reconciliation", "nationality_code"): "dim_nationalities",
    ("fct_nationality_shares", "document_id"): "dim_source_documents",
    ("fct_asylum_inflow_monthly", "document_id"): "dim_source_documents",
    ("fct_dublin_funnel", "document_id"): "dim_source_documents",
    ("fct_published_figures", "document_id"): "dim_source_documents",
}


@pytest.fixture(scope="module")
def engine(built_project: tuple[Path, Path, str]):  # -> sqlalchemy Engine
    _, warehouse, _ = built_project
    # The README's recipe, word for word: the URI and the engine parameters.
    engine = sqlalchemy.create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
    yield engine
    engine.dispose()


def test_the_readme_gives_this_recipe() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "duckdb:////absolute/path/to/warehouse/kerncijfers.duckdb" in readme
    assert '{"connect_args": {"read_only": true}}' in readme
    pins = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"sqlalchemy=={sqlalchemy.__version__}"' in pins.lower()


# duckdb-engine answers get_indexes with an empty list and this warning: DuckDB files have no
# indexes to reflect. Superset carries on the same way.
@pytest.mark.filterwarnings("ignore:duckdb-engine doesn't yet support reflection on indices")
def test_superset_inspects_schemas_tables_and_columns_with_comments(
    engine, built_project: tuple[Path, Path, str]
) -> None:
    inspector = inspect(engine)
    # duckdb-engine names schemas with their database (the file's name): what Superset lists.
    database = built_project[1].stem
    assert {f"{database}.marts", f"{database}.semantic"} <= set(inspector.get_schema_names())
    marts = f"{database}.marts"
    tables = inspector.get_table_names(schema=marts)
    assert inspector.get_table_names(schema="marts") == tables
    assert {"fct_asylum_inflow_monthly", "fct_dublin_funnel", "dim_nationalities"} <= set(tables)
    inspector.get_view_names(schema="marts")
    for table in tables:
        columns = inspector.get_columns(table, schema=marts)
        assert columns, table
        undocumented = [c["name"] for c in columns if not (c.get("comment") or "").strip()]
        assert undocumented == [], f"marts.{table}: columns without a comment: {undocumented}"
        assert (inspector.get_table_comment(table, schema=marts)["text"] or "").strip(), table
        # What Superset asks next when a table is added as a dataset: none of these may fail.
        inspector.get_pk_constraint(table, schema=marts)
        inspector.get_foreign_keys(table, schema=marts)
        inspector.get_indexes(table, schema=marts)
    inflow = {c["name"]: c for c in inspector.get_columns("fct_asylum_inflow_monthly", schema=marts)}
    assert str(inflow["first_applications"]["type"]).upper() == "BIGINT"


def test_a_chart_query_runs_read_only(engine) -> None:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "select reference_month, first_applications from marts.fct_asylum_inflow_monthly "
                "order by reference_month"
            )
        ).fetchall()
        assert [(str(month), count) for month, count in rows] == [("2023-01-01", 2490)]
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
            connection.execute(text("create table marts.scratch (x integer)"))


def test_every_published_mart_declares_its_key(engine) -> None:
    """In the published file: every mart's primary key (the columns its yml names, not null),
    and the foreign keys from facts to dimensions."""
    with engine.connect() as con:
        constraints = con.execute(
            text(
                "select table_name, constraint_type, constraint_column_names, referenced_table "
                "from duckdb_constraints() where schema_name = 'marts' "
                "and constraint_type in ('PRIMARY KEY', 'FOREIGN KEY')"
            )
        ).fetchall()
        nullable = set(
            con.execute(
                text(
                    "select table_name, column_name from duckdb_columns() where schema_name = 'marts' and is_nullable"
                )
            ).fetchall()
        )
        tables = {
            row[0]
            for row in con.execute(
                text("select table_name from duckdb_tables() where schema_name = 'marts'")
            ).fetchall()
        }
    primary = {table: columns for table, kind, columns, _ in constraints if kind == "PRIMARY KEY"}
    assert primary == {table: KEYS[table] for table in tables}
    for table, columns in primary.items():
        assert not {(table, column) for column in columns} & nullable, table
    foreign = {
        (table, columns[0]): referenced
        for table, kind, columns, referenced in constraints
        if kind == "FOREIGN KEY"
    }
    assert JOINS.items() <= foreign.items()


def test_the_keys_are_enforced_as_a_build_writes(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """No data test repeats a mart's key or its references: the engine refuses a duplicate key,
    a null in it and a dangling reference while a mart is written (as dbt writes it: created with
    its constraints, then filled)."""
    import duckdb

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(Warehouse(built_project[1]).full_build, copy)
    con = duckdb.connect(str(copy))
    try:
        for sql in (
            "insert into marts.fct_dublin_funnel select * from marts.fct_dublin_funnel",
            "insert into marts.dim_nationalities (nationality_code) values (null)",
            "insert into marts.fct_published_figures select * replace ('no-such-document' as document_id, "
            "-1 as figure_seq) from marts.fct_published_figures limit 1",
            "update marts.fct_nationality_shares set nationality_code = 'NOPE' where true",
        ):
            with pytest.raises(duckdb.ConstraintException):
                con.execute(sql)
    finally:
        con.close()


def test_what_duckdb_engine_tells_of_the_keys(engine) -> None:
    """duckdb-engine 0.17's inspector answers key lookups without failing but with no columns, even
    for declared keys (upstream Mause/duckdb_engine#594): a BI tool reading the DuckDB file through
    SQLAlchemy sees no keys. The PostgreSQL route shows them (below); in DuckDB itself,
    `duckdb_constraints()` lists them (README)."""
    inspector = inspect(engine)
    database = engine.url.database.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    key = inspector.get_pk_constraint("fct_asylum_inflow_monthly", schema=f"{database}.marts")
    assert key["constrained_columns"] == []
    assert inspector.get_foreign_keys("fct_asylum_inflow_monthly", schema=f"{database}.marts") == []


def test_postgres_shows_keys_and_joins_to_a_bi_tool(postgres_build) -> None:
    """As Superset or Metabase inspect the PostgreSQL marts, as the BI role: every mart's primary
    key, and the joins from facts to dim_nationalities and dim_source_documents."""
    assert postgres_build.returncode == 0, postgres_build.output[-3000:]
    engine = _bi_engine(postgres_build.dbname)
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names(schema="marts"))
        assert tables == set(KEYS) - {"metricflow_time_spine"}
        for table in tables:
            assert inspector.get_pk_constraint(table, schema="marts")["constrained_columns"] == KEYS[table], (
                table
            )
        joins = {
            (table, key["constrained_columns"][0]): key["referred_table"]
            for table in tables
            for key in inspector.get_foreign_keys(table, schema="marts")
        }
        assert JOINS.items() <= joins.items()
        assert all(
            key["referred_schema"] in (None, "marts")
            for table in tables
            for key in inspector.get_foreign_keys(table, schema="marts")
        )
    finally:
        engine.dispose()


def _bi_engine(dbname: str):  # -> sqlalchemy Engine
    """The PostgreSQL warehouse as a BI tool connects to it through SQLAlchemy: as the BI role."""
    url = sqlalchemy.engine.URL.create(
        "postgresql+psycopg2",
        username=os.environ["KERNCIJFERS_PG_BI_USER"],
        password=os.environ["KERNCIJFERS_PG_BI_PASSWORD"],
        host=os.environ["KERNCIJFERS_PG_HOST"],
        port=int(os.environ.get("KERNCIJFERS_PG_PORT", "5432")),
        database=dbname,
    )
    return sqlalchemy.create_engine(url)


# The schemas of a published build besides marts: every layer dbt builds, and dbt's store of
# failing test rows.
OTHER_SCHEMAS = {
    "raw",
    "reference",
    "reviewed",
    "staging",
    "intermediate",
    "checks",
    "semantic",
    "test_failures",
}


def test_the_bi_role_lists_every_schema_and_reads_only_marts(postgres_build) -> None:
    """PostgreSQL cannot hide a schema's name from a role: pg_namespace (what SQLAlchemy's
    inspector, and so Superset, and Metabase's JDBC driver list) is readable by every role, and a
    system catalog takes no row-level security. So the BI role lists every schema, and this is
    what it can do with them: read every relation of marts, and nothing in any other schema, each
    refused as permission denied. information_schema.schemata (the SQL standard's view) shows it
    only marts and public (empty). The README says how to keep Superset and Metabase to marts."""
    assert postgres_build.returncode == 0, postgres_build.output[-3000:]
    engine = _bi_engine(postgres_build.dbname)
    try:
        listed = set(inspect(engine).get_schema_names())
        assert OTHER_SCHEMAS | {"marts", "public", "information_schema"} <= listed
        relations = {
            schema: [
                name
                for (name,) in postgres_build.query(
                    "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    f" where n.nspname = '{schema}' and c.relkind in ('r', 'v', 'm', 'p', 'f') order by 1"
                )
            ]
            for schema in listed - {"information_schema"}
        }
        assert relations["public"] == []
        assert all(relations[schema] for schema in OTHER_SCHEMAS | {"marts"})
        read, refused = set(), set()
        with engine.connect() as connection:
            for schema, names in relations.items():
                for name in names:
                    try:
                        with connection.begin():
                            connection.execute(text(f'select * from "{schema}"."{name}" limit 1'))
                        read.add((schema, name))
                    except sqlalchemy.exc.ProgrammingError as error:
                        assert f"permission denied for schema {schema}" in str(error.orig), error.orig
                        refused.add((schema, name))
            schemata = {
                name
                for (name,) in connection.execute(text("select schema_name from information_schema.schemata"))
                if not name.startswith("pg_") and name != "information_schema"
            }
        assert read == {("marts", name) for name in relations["marts"]}
        assert {schema for schema, _ in refused} == {s for s, names in relations.items() if names} - {"marts"}
        assert schemata == {"marts", "public"}
    finally:
        engine.dispose()


def _connect_as_bi(dbname: str, application_name: str = "kerncijfers-tests"):  # -> psycopg2 connection
    import psycopg2

    return psycopg2.connect(
        host=os.environ["KERNCIJFERS_PG_HOST"],
        port=os.environ.get("KERNCIJFERS_PG_PORT", "5432"),
        user=os.environ["KERNCIJFERS_PG_BI_USER"],
        password=os.environ["KERNCIJFERS_PG_BI_PASSWORD"],
        dbname=dbname,
        application_name=application_name,
        connect_timeout=10,
    )


def test_the_bi_role_reaches_the_warehouse_not_the_servers_own_database(postgres_build) -> None:
    """The BI login opens the warehouse database, and is refused the server's `postgres` database
    (pg_hba.conf, as .ci/postgres.sh and profiles/postgres-setup.sql describe)."""
    import psycopg2

    _connect_as_bi(postgres_build.dbname).close()
    for database in ("postgres", "template1"):
        with pytest.raises(psycopg2.OperationalError) as refused:
            _connect_as_bi(database).close()
        said = str(refused.value)
        assert "pg_hba.conf rejects connection" in said and f'database "{database}"' in said, said
        assert f'user "{os.environ["KERNCIJFERS_PG_BI_USER"]}"' in said, said


def test_a_dashboard_holding_a_schema_is_named_with_its_application_and_state(
    postgres_build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A BI session (another role than the build's) idle in a transaction on a schema: the build's
    left-over message names it with its application and its state, never `None` (the owner used
    not to see another role's state in pg_stat_activity)."""
    from kerncijfers.pipeline import postgres
    from kerncijfers.postgres_connection import owner_connection

    monkeypatch.setenv("KERNCIJFERS_PG_DBNAME", postgres_build.dbname)
    bi_user = os.environ["KERNCIJFERS_PG_BI_USER"]
    with owner_connection() as con:
        with con.cursor() as cursor:
            cursor.execute(
                "create schema probe_bi; create table probe_bi.t as select 1 as x;"
                f' grant usage on schema probe_bi to "{bi_user}"; grant select on probe_bi.t to "{bi_user}"'
            )
        con.commit()
    reader = _connect_as_bi(postgres_build.dbname, application_name="superset")
    try:
        with reader.cursor() as cursor:  # psycopg2 opens a transaction and keeps it open
            cursor.execute("select x from probe_bi.t")
        pid = reader.get_backend_pid()
        with owner_connection() as con:
            said = postgres._blockers(con, "probe_bi")
        assert said == (
            f"held by pid {pid} ({bi_user}, superset, idle in transaction)"
            " — end it with pg_terminate_backend(pid) or wait, then build again"
        )
    finally:
        reader.close()
        with owner_connection() as con:
            with con.cursor() as cursor:
                cursor.execute("drop schema if exists probe_bi cascade")
            con.commit()


def test_a_session_hidden_from_the_owner_is_described_not_printed_as_none() -> None:
    """Where pg_stat_activity hides a session (another role's, without membership or
    pg_read_all_stats) its state and backend type are null: say that, and the lock it holds."""
    from kerncijfers.pipeline.postgres import _session

    said = _session(4242, "someone", "superset", None, None, "AccessShareLock", "kerncijfers")
    assert said == (
        "pid 4242 (someone, superset, holds AccessShareLock; its state is hidden from "
        "kerncijfers: only its role's members and pg_read_all_stats see it)"
    )
    assert _session(77, None, "", None, "autovacuum worker", "ShareUpdateExclusiveLock", "k") == (
        "pid 77 (autovacuum worker, no application name, autovacuum worker)"
    )
