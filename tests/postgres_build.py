"""A PostgreSQL build of the project for the tests of the `postgres` target
(tests/kerncijfers/test_postgres.py) and of BI connections to it (tests/kerncijfers/test_bi_connections.py): one
database per test session, dropped afterwards. Needs a server: KERNCIJFERS_PG_* as .ci/run sets
them; without it the tests that ask for it are skipped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors

from tests.conftest import copy_project

REQUIRED = (
    "KERNCIJFERS_PG_HOST",
    "KERNCIJFERS_PG_USER",
    "KERNCIJFERS_PG_PASSWORD",
    "KERNCIJFERS_PG_BI_USER",
    "KERNCIJFERS_PG_BI_PASSWORD",
)
NOT_CONFIGURED = (
    "no PostgreSQL server configured: set " + ", ".join(REQUIRED) + " (and KERNCIJFERS_PG_PORT, "
    "KERNCIJFERS_PG_DBNAME) to build and test the postgres target; .ci/run starts one"
)


def configured() -> bool:
    return any(os.environ.get(name) for name in REQUIRED)


@dataclass
class PostgresBuild:
    """A build of the project in a database of its own, dropped when the session ends."""

    dbname: str
    returncode: int
    output: str
    project: Path
    env: dict[str, str]

    def build(self) -> subprocess.CompletedProcess[str]:
        """`kerncijfers build --target postgres` of the project, into this database."""
        command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(self.project), "build"]
        return subprocess.run(
            [*command, "--target", "postgres"], env=self.env, capture_output=True, text=True, cwd=self.project
        )

    @property
    def log(self) -> str:
        return (Path(self.env["KERNCIJFERS_WAREHOUSE"]).parent / "logs" / "dbt-postgres.log").read_text()

    def connect(self, user_variable: str, password_variable: str):  # -> psycopg2 connection
        return psycopg2.connect(
            host=os.environ["KERNCIJFERS_PG_HOST"],
            port=os.environ.get("KERNCIJFERS_PG_PORT", "5432"),
            user=os.environ[user_variable],
            password=os.environ[password_variable],
            dbname=self.dbname,
            connect_timeout=10,
        )

    def query(self, sql: str) -> list[tuple]:
        """Rows of a query as the owner (the role dbt builds with)."""
        con = self.connect("KERNCIJFERS_PG_USER", "KERNCIJFERS_PG_PASSWORD")
        try:
            with con.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            con.close()


@pytest.fixture(scope="session")
def postgres_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresBuild]:
    if not configured():
        pytest.skip(NOT_CONFIGURED)
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    assert not missing, f"PostgreSQL partly configured: set {', '.join(missing)} too"
    # A database per test run: the schemas are fixed names (raw, marts, ...), so runs that share
    # a server would otherwise overwrite each other's tables.
    dbname = f"kerncijfers_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(
        host=os.environ["KERNCIJFERS_PG_HOST"],
        port=os.environ.get("KERNCIJFERS_PG_PORT", "5432"),
        user=os.environ["KERNCIJFERS_PG_USER"],
        password=os.environ["KERNCIJFERS_PG_PASSWORD"],
        dbname=os.environ.get("KERNCIJFERS_PG_DBNAME", "kerncijfers"),
        connect_timeout=10,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"create database \"{dbname}\" encoding 'UTF8' template template0")
        folder = tmp_path_factory.mktemp("postgres")
        env = {
            **os.environ,
            "KERNCIJFERS_PG_DBNAME": dbname,
            # Nothing of this build may touch a DuckDB file outside the test's folder.
            "KERNCIJFERS_WAREHOUSE": str(folder / "unused.duckdb"),
        }
        build = PostgresBuild(dbname, 0, "", copy_project(folder / "project"), env)
        result = build.build()
        build.returncode, build.output = result.returncode, result.stdout + result.stderr
        yield build
    finally:
        # The BI role's last session may still be ending on the server, and only a superuser may
        # end another role's session: wait for it rather than force it.
        for attempt in range(20):
            try:
                with admin.cursor() as cursor:
                    cursor.execute(f'drop database if exists "{dbname}" with (force)')
                break
            except errors.InsufficientPrivilege:
                if attempt == 19:
                    raise
                time.sleep(0.5)
        admin.close()


@pytest.fixture
def bi(postgres_build: PostgresBuild):
    """A connection as the BI role, in one transaction that is rolled back."""
    assert postgres_build.returncode == 0, "the postgres build failed"
    con = postgres_build.connect("KERNCIJFERS_PG_BI_USER", "KERNCIJFERS_PG_BI_PASSWORD")
    yield con
    con.rollback()
    con.close()
