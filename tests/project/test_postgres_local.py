"""`make postgres` (profiles/postgres-local.sh): a PostgreSQL server of one's own, set up without
sudo — a cluster in a folder, the two roles and the database — whose variables file lets the
build role build and the BI role read. Run as an ordinary user (as `nobody` when the suite runs as
root, as in CI), and as root: initdb refuses root, so the script runs the server as an unprivileged
system user and keeps the folder and the variables file root's."""

from __future__ import annotations

import os
import pwd
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
        _the_roles_work(_variables(folder / "env"), port)
    finally:
        if (folder / "data").exists():
            _as_user([str(bindir / "pg_ctl"), "--pgdata", str(folder / "data"), "stop", "--mode", "fast"], {})


def _the_roles_work(variables: dict[str, str], port: str) -> None:
    """The build role creates and grants; the BI role reads, unqualified, and cannot create."""
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
        cursor.execute("show listen_addresses")
        assert cursor.fetchone() == ("127.0.0.1",)
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


def _root_copy() -> Path:
    """The Makefile and profiles/ in a folder of their own that other users may enter (pytest's
    temporary folders are closed to them): where `make postgres` runs as root."""
    folder = Path(tempfile.mkdtemp(prefix="kerncijfers-make-postgres-"))
    folder.chmod(0o755)
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    shutil.copytree(ROOT / "profiles", folder / "profiles")
    return folder


def _needs_root() -> None:
    if os.geteuid() != 0 or _postgres_bin() is None or not shutil.which("make"):
        pytest.skip("needs root, make and PostgreSQL's programs (initdb)")


def _make_postgres(project: Path, port: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "postgres"],
        cwd=project,
        env={**os.environ, "KERNCIJFERS_PG_PORT": port},
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )


def test_make_postgres_as_root_runs_the_server_as_an_unprivileged_user() -> None:
    """As root, as CI and this project's machines run: `make postgres` works, the server runs as
    Debian's `postgres` user (else `nobody`), which owns the data, while the folder and the
    variables file stay root's; run again, it renews the passwords; the stop command it prints
    stops it."""
    _needs_root()
    server_user = "postgres" if _user_exists("postgres") else "nobody"
    project = _root_copy()
    folder = project / "warehouse" / "postgres"
    data = folder / "data"
    port = str(57000 + os.getpid() % 1000)
    stop = ""
    try:
        runs = []
        for run in range(2):
            result = _make_postgres(project, port)
            assert result.returncode == 0, result.stdout + result.stderr
            said = result.stdout.rstrip().splitlines()
            if run == 0:
                assert said[0] == f"postgres: creating a cluster in {data}, run by user {server_user}"
            assert said[-1] == (
                f"postgres: ready: source {folder}/env, then .venv/bin/kerncijfers build --target postgres"
            )
            stop = said[-2].removeprefix("postgres: stop it with: ")
            assert stop.startswith(f"runuser -u {server_user} -- ") and stop.endswith(f"--pgdata {data} stop")
            runs.append(_variables(folder / "env"))
        assert (pwd.getpwuid(data.stat().st_uid).pw_name, oct(data.stat().st_mode & 0o777)) == (
            server_user,
            "0o700",
        )
        server = Path("/proc") / (data / "postmaster.pid").read_text().split()[0]
        assert pwd.getpwuid(server.stat().st_uid).pw_name == server_user
        # Root's and closed: root sources env, so the server's user must not be able to rewrite it.
        for path, mode in ((folder, "0o711"), (folder / "env", "0o600")):
            assert (path.stat().st_uid, oct(path.stat().st_mode & 0o777)) == (0, mode), path
        first, second = runs
        assert first["KERNCIJFERS_PG_PASSWORD"] != second["KERNCIJFERS_PG_PASSWORD"]
        with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
            psycopg2.connect(
                host="127.0.0.1",
                port=port,
                dbname="kerncijfers",
                user="kerncijfers",
                password=first["KERNCIJFERS_PG_PASSWORD"],
            )
        _the_roles_work(second, port)
        stopped = subprocess.run(stop.split(), capture_output=True, text=True, check=False, timeout=120)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert not (data / "postmaster.pid").exists()
        with pytest.raises(psycopg2.OperationalError, match="Connection refused"):
            psycopg2.connect(host="127.0.0.1", port=port, dbname="kerncijfers", user="kerncijfers")
    finally:
        if (data / "postmaster.pid").exists():
            runuser = ["runuser", "-u", server_user, "--"]
            pg_ctl = [str(_postgres_bin() / "pg_ctl"), "--pgdata", str(data), "stop", "--mode", "fast"]
            subprocess.run([*runuser, *pg_ctl], capture_output=True, check=False, timeout=120)
        shutil.rmtree(project, ignore_errors=True)


def test_make_postgres_as_root_names_a_folder_the_server_cannot_enter() -> None:
    """A project under a folder closed to other users (root's home, say): refused before any
    cluster is made, naming that folder and what to do."""
    _needs_root()
    project = _root_copy()
    try:
        project.chmod(0o700)
        port = str(58000 + os.getpid() % 1000)
        result = _make_postgres(project, port)
        assert result.returncode != 0
        server_user = "postgres" if _user_exists("postgres") else "nobody"
        assert result.stderr.splitlines()[0] == (
            f"postgres: the server runs as user {server_user}, who cannot enter {project}: allow it "
            f"(chmod o+x {project}) or give the cluster a folder it can reach: "
            "bash profiles/postgres-local.sh /srv/kerncijfers-postgres"
        )
        assert not (project / "warehouse" / "postgres").exists()
    finally:
        shutil.rmtree(project, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
