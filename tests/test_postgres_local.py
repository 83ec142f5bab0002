"""`make postgres` (profiles/postgres-local.sh): a PostgreSQL server of one's own, set up without
sudo — a cluster in a folder, the two roles and the database — whose variables file lets the
build role build and the BI role read. Run as an ordinary user (as `nobody` when the suite runs as
root, as in CI: initdb refuses root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import ROOT


def _postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_user(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", "env", *(f"{k}={v}" for k, v in env.items()), *command]
    else:
        command = ["env", *(f"{k}={v}" for k, v in env.items()), *command]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def _variables(env_file: Path) -> dict[str, str]:
    pairs = (line.removeprefix("export ").split("=", 1) for line in env_file.read_text().splitlines())
    return dict(pairs)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the other user may enter and write (pytest's own are private to root), with a
    copy of the script and its SQL (the checkout may be closed to that user too)."""
    folder = Path(tempfile.mkdtemp(prefix="kerncijfers-postgres-"))
    try:
        folder.chmod(0o777)
        for name in ("postgres-local.sh", "postgres-setup.sql"):
            shutil.copy(ROOT / "profiles" / name, folder / name)
            (folder / name).chmod(0o644)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_make_postgres_provisions_a_server_without_sudo(shared_folder: Path) -> None:
    bindir = _postgres_bin()
    if bindir is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("PostgreSQL's programs (initdb) are not installed here")
    folder = shared_folder / "postgres"
    script = shared_folder / "postgres-local.sh"
    port = str(56000 + os.getpid() % 1000)
    try:
        for _ in range(2):  # run again: starts nothing twice, makes new passwords
            result = _as_user(["bash", str(script), str(folder)], {"KERNCIJFERS_PG_PORT": port})
            assert result.returncode == 0, result.stdout + result.stderr
            assert result.stdout.rstrip().endswith(
                f"ready: source {folder}/env, then .venv/bin/kerncijfers build --target postgres"
            )
        assert oct((folder / "env").stat().st_mode & 0o777) == "0o600"
        variables = _variables(folder / "env")
        assert variables["KERNCIJFERS_PG_PORT"] == port

        def connect(user: str, password: str):  # -> psycopg2 connection
            return psycopg2.connect(
                host="127.0.0.1",
                port=port,
                dbname="kerncijfers",
                user=variables[user],
                password=variables[password],
            )

        owner = connect("KERNCIJFERS_PG_USER", "KERNCIJFERS_PG_PASSWORD")
        with owner, owner.cursor() as cursor:
            cursor.execute(
                "create schema marts; create table marts.t as select 1 as x; grant usage on schema marts to kerncijfers_bi; grant select on marts.t to kerncijfers_bi"
            )
        owner.close()
        bi = connect("KERNCIJFERS_PG_BI_USER", "KERNCIJFERS_PG_BI_PASSWORD")
        with bi.cursor() as cursor:
            cursor.execute("select x from t")  # its search_path is marts
            assert cursor.fetchall() == [(1,)]
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cursor.execute("create table marts.u (x integer)")
        bi.close()
    finally:
        if (folder / "data").exists():
            _as_user([str(bindir / "pg_ctl"), "--pgdata", str(folder / "data"), "stop", "--mode", "fast"], {})
