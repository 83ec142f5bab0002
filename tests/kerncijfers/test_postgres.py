"""The same project on PostgreSQL (the `postgres` target): it builds and passes its dbt tests, its
marts hold what the DuckDB marts hold, and the read-only BI role can read the marts and nothing
else. Needs a server: set KERNCIJFERS_PG_* as .ci/run does (README, "BI tools, exports and
PostgreSQL")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import psycopg2
import pytest
from psycopg2 import errors

from tests.conftest import TEST_DOCUMENTS
from tests.postgres_build import NOT_CONFIGURED, PostgresBuild, configured

if not configured():
    pytest.skip(NOT_CONFIGURED, allow_module_level=True)

pytestmark = pytest.mark.xdist_group("postgres")


def test_the_project_builds_and_passes_its_tests_on_postgres(postgres_build: PostgresBuild) -> None:
    assert postgres_build.returncode == 0, postgres_build.output[-4000:]
    assert "Registered adapter: postgres" in postgres_build.log
    assert "ERROR=0" in postgres_build.log and "SKIP=0" in postgres_build.log
    assert "audit    16 checks: 0 critical, 2 warning(s)" in postgres_build.output
    assert re.search(
        r"publish  schemas checks, intermediate, marts, raw, .* swapped in", postgres_build.output
    )
    # The candidate was built in schemas of its own and swapped in whole: none is left over.
    assert postgres_build.query("select nspname from pg_namespace where nspname like '%\\_\\_%'") == []


def test_january_2023_marts_on_postgres(postgres_build: PostgresBuild) -> None:
    assert postgres_build.query(
        "select reference_month, handled_count, rejected_count, dublin_rejected_count, published_dublin_share_pct,"
        " rejection_rate_pct, dublin_share_of_handled_pct, dublin_share_of_rejected_pct"
        " from marts.fct_dublin_funnel"
    ) == [(date(2023, 1, 1), 2180, 990, 660, 30.0, 45.4, 30.3, 66.7)]
    assert postgres_build.query(
        "select first_applications, family_reunification_arrivals, safe_country_share_pct"
        " from marts.fct_asylum_inflow_monthly"
    ) == [(2490, 390, 9.0)]
    assert postgres_build.query(
        "select estimated_count, estimated_count_low, estimated_count_high from marts.fct_nationality_shares"
        " where population_code = 'first_applicants' and window_type = 'month' and nationality_code = 'SYR'"
    ) == [(647, 634, 661)]


def test_postgres_marts_hold_what_the_duckdb_marts_hold(
    postgres_build: PostgresBuild, built_project: tuple[Path, Path, str]
) -> None:
    _, warehouse, _ = built_project
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        assert marts == [
            row[0]
            for row in postgres_build.query(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            )
        ]
        for mart in marts:
            in_duckdb = con.execute(f"select * from marts.{mart}")
            columns = [column[0] for column in in_duckdb.description]
            rows = Counter(in_duckdb.fetchall())
            assert columns == [
                row[0]
                for row in postgres_build.query(
                    "select column_name from information_schema.columns"
                    f" where table_schema = 'marts' and table_name = '{mart}' order by ordinal_position"
                )
            ], mart
            # Rows as a multiset: the engines sort text by different collations.
            assert Counter(postgres_build.query(f"select * from marts.{mart}")) == rows, mart
    finally:
        con.close()


def test_descriptions_are_comments_on_postgres(postgres_build: PostgresBuild) -> None:
    [(table, column)] = postgres_build.query(
        "select obj_description(attrelid, 'pg_class'), col_description(attrelid, attnum)"
        " from pg_attribute"
        " where attrelid = 'marts.fct_dublin_funnel'::regclass and attname = 'dublin_rejected_count'"
    )
    assert table.startswith("One row per month: first applications handled")
    assert column == "Of the rejected, those rejected under the Dublin Regulation."


# --- the read-only role for BI tools -----------------------------------------------------------

OTHER_LAYERS = [
    "raw.raw_published_figures",
    "reference.ref_nationalities",
    "staging.stg_kerncijfers__published_figures",
    "intermediate.int_published_figures_ranked",
    "checks.check_nationality_breakdowns",
]
WRITES = [
    "create table marts.bi_scratch (x integer)",
    "create table public.bi_scratch (x integer)",
    "create table raw.bi_scratch (x integer)",
    "create schema bi_scratch",
    "create view marts.bi_scratch as select 1 as x",
    "insert into marts.fct_dublin_funnel (reference_month) values (date '2000-01-01')",
    "update marts.fct_dublin_funnel set handled_count = 0",
    "delete from marts.fct_dublin_funnel",
    "truncate marts.fct_dublin_funnel",
    "drop table marts.fct_dublin_funnel",
    "alter table marts.fct_dublin_funnel add column x integer",
    "comment on table marts.fct_dublin_funnel is 'changed'",
]


def test_bi_role_reads_every_mart(bi, postgres_build: PostgresBuild) -> None:
    marts = [
        row[0]
        for row in postgres_build.query(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    ]
    assert "fct_dublin_funnel" in marts
    with bi.cursor() as cursor:
        for mart in marts:
            cursor.execute(f"select count(*) from marts.{mart}")
            assert cursor.fetchone()[0] > 0, mart
        cursor.execute(
            "select handled_count, rejected_count, dublin_rejected_count from marts.fct_dublin_funnel"
        )
        assert cursor.fetchall() == [(2180, 990, 660)]


@pytest.mark.parametrize("relation", OTHER_LAYERS)
def test_bi_role_cannot_read_other_layers(bi, postgres_build: PostgresBuild, relation: str) -> None:
    # The relation exists (the owner reads it), so the refusal is about privileges, not a typo.
    assert postgres_build.query(f"select count(*) from {relation}")
    with bi.cursor() as cursor, pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        cursor.execute(f"select * from {relation} limit 1")


@pytest.mark.parametrize("statement", WRITES, ids=[" ".join(w.split()[:3]) for w in WRITES])
def test_bi_role_cannot_write(bi, statement: str) -> None:
    with bi.cursor() as cursor, pytest.raises(errors.InsufficientPrivilege):
        cursor.execute(statement)


def test_a_reader_idle_in_a_transaction_holds_up_no_publish(
    postgres_build: PostgresBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dashboard left idle in a transaction on a published schema: two publishes in a row go
    through (the second used to fail on `marts__old` already existing), the schema it holds is
    left over with the session named, and dropped once the session ends."""
    from kerncijfers.pipeline import postgres
    from kerncijfers.postgres_connection import owner_connection

    monkeypatch.setenv("KERNCIJFERS_PG_DBNAME", postgres_build.dbname)

    def publish(value: int) -> tuple[list[str], float]:
        with owner_connection() as con:
            with con.cursor() as cursor:
                cursor.execute(
                    f"create schema probe__candidate; create table probe__candidate.t as select {value} as x"
                )
            con.commit()
            started = time.monotonic()
            assert postgres._swap(con) == ["probe"]
            kept = postgres._drop(con, postgres.OLD)
            return kept, time.monotonic() - started

    publish(1)
    reader = psycopg2.connect(
        host=os.environ["KERNCIJFERS_PG_HOST"],
        port=os.environ.get("KERNCIJFERS_PG_PORT", "5432"),
        user=os.environ["KERNCIJFERS_PG_USER"],
        password=os.environ["KERNCIJFERS_PG_PASSWORD"],
        dbname=postgres_build.dbname,
        application_name="dashboard-left-open",
    )
    try:
        with reader.cursor() as cursor:  # psycopg2 opens a transaction and keeps it open
            cursor.execute("select x from probe.t")
        pid = reader.get_backend_pid()
        for value in (2, 3):
            kept, seconds = publish(value)
            assert len(kept) == 1 and kept[0].startswith("probe__old ")
            assert f"pid {pid} (" in kept[0] and "dashboard-left-open, idle in transaction" in kept[0]
            assert seconds < 8, f"a publish waited {seconds:.1f} s for an idle reader"
            assert postgres_build.query("select x from probe.t") == [(value,)]
    finally:
        reader.close()
    try:
        assert publish(4)[0] == []
        schemas = postgres_build.query(
            "select nspname from pg_namespace where nspname like 'probe%' order by 1"
        )
        assert schemas == [("probe",)]
    finally:
        with owner_connection() as con:
            with con.cursor() as cursor:
                cursor.execute("drop schema if exists probe cascade")
            con.commit()


def test_a_plain_dbt_build_writes_candidate_schemas_not_what_the_bi_role_reads(
    postgres_build: PostgresBuild, bi
) -> None:
    """What a CI job runs: `dbt build --target postgres`. It builds `marts__candidate` (and the
    other layers' candidates) and grants the BI role nothing; `marts` stays as published."""
    before = postgres_build.query("select * from marts.fct_asylum_inflow_monthly")
    dbt = Path(sys.executable).with_name("dbt")
    env = {key: value for key, value in postgres_build.env.items() if key != "KERNCIJFERS_SCHEMA_SUFFIX"}
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--target",
            "postgres",
            "--profiles-dir",
            "profiles",
            "--exclude",
            "resource_type:unit_test",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=postgres_build.project,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert postgres_build.query("select * from marts.fct_asylum_inflow_monthly") == before
    assert postgres_build.query("select count(*) from marts__candidate.fct_asylum_inflow_monthly") == [(1,)]
    with bi.cursor() as cursor, pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        cursor.execute("select * from marts__candidate.fct_asylum_inflow_monthly")
    bi.rollback()


def test_a_build_failing_its_audit_changes_nothing_the_bi_role_sees(
    postgres_build: PostgresBuild, bi, tmp_path: Path
) -> None:
    """Runs last: it adds a month whose top-five list sums to 115 % to the same database."""
    december = (TEST_DOCUMENTS / "kerncijfers-2023-12.txt").read_text(encoding="utf-8")
    bad = tmp_path / "kerncijfers-2023-12-bad.txt"
    bad.write_text(december.replace("o 31% uit Syrië;", "o 84% uit Syrië;"), encoding="utf-8")
    ingest = [
        sys.executable,
        "-m",
        "kerncijfers",
        "--project-dir",
        str(postgres_build.project),
        "ingest",
        str(bad),
    ]
    assert subprocess.run(ingest, env=postgres_build.env, capture_output=True).returncode == 0
    before = postgres_build.query("select * from marts.fct_asylum_inflow_monthly")
    failed = postgres_build.build()
    assert failed.returncode == 1
    assert "CRITICAL breakdown_sums_to_at_most_100: kerncijfers-2023-12-" in failed.stdout
    assert "the candidate is kept as the schemas *__rejected" in failed.stderr
    assert postgres_build.query("select * from marts.fct_asylum_inflow_monthly") == before
    assert postgres_build.query("select count(*) from marts__rejected.fct_asylum_inflow_monthly") == [(2,)]
    with bi.cursor() as cursor, pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        cursor.execute("select * from marts__rejected.fct_asylum_inflow_monthly")
