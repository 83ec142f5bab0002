"""`.ci/postgres.sh`, which `.ci/run` sources as root: it sets up the machine's Debian PostgreSQL
cluster for the tests, a server other users of the machine share. It keeps roles whose passwords
the environment has, renews a password only when asked (KERNCIJFERS_PG_RENEW_PASSWORDS=yes, or
CI=true as CI runs it) and then says so on stderr first, naming the server and the roles; unasked,
it refuses and changes nothing. Tried on a throwaway cluster of its own, never the shared one."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import ROOT

SCRIPT = 'set -euo pipefail; source .ci/postgres.sh; printf "%s\\n" "$KERNCIJFERS_PG_PASSWORD" "$KERNCIJFERS_PG_BI_PASSWORD"'


@pytest.fixture
def cluster() -> Iterator[tuple[str, str, str]]:
    """(version, name, port) of a new cluster of Debian's, dropped afterwards."""
    if os.geteuid() != 0 or not shutil.which("pg_createcluster") or not shutil.which("runuser"):
        pytest.skip("needs root and Debian's PostgreSQL (pg_createcluster)")
    version = sorted((p.name for p in Path("/usr/lib/postgresql").iterdir()), key=int)[-1]
    name, port = f"kerncijfers_test_{os.getpid()}", str(59000 + os.getpid() % 1000)
    made = subprocess.run(
        ["pg_createcluster", "--locale", "C.UTF-8", "--port", port, "--start", version, name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    try:
        yield version, name, port
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True, check=False)


def _source(cluster: str, **env: str) -> tuple[int, list[str], list[str]]:
    """Source the script in bash as .ci/run does: (exit status, stderr lines, the two passwords)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KERNCIJFERS_PG_") and k != "CI"}
    result = subprocess.run(
        ["bash", "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "KERNCIJFERS_PG_CLUSTER": cluster, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result.returncode, result.stderr.splitlines(), result.stdout.splitlines()[-2:]


def _opens(port: str, user: str, password: str) -> bool:
    try:
        psycopg2.connect(
            host="127.0.0.1", port=port, dbname="kerncijfers", user=user, password=password
        ).close()
    except psycopg2.OperationalError as refused:
        assert "password authentication failed" in str(refused), refused
        return False
    return True


def test_ci_postgres_keeps_working_passwords_and_renews_only_when_asked(
    cluster: tuple[str, str, str],
) -> None:
    version, name, port = cluster
    server = f"PostgreSQL {version}, cluster {name}, on 127.0.0.1:{port} (this machine's, shared with its other users)"

    # A server without the roles: created, with new passwords, and said.
    status, said, (owner, bi) = _source(name)
    assert status == 0
    assert said[0] == f"ci: creating role(s) kerncijfers kerncijfers_bi on {server}"
    assert _opens(port, "kerncijfers", owner) and _opens(port, "kerncijfers_bi", bi)

    # Again, with the passwords in the environment: kept, and not a word on stderr.
    status, said, passwords = _source(name, KERNCIJFERS_PG_PASSWORD=owner, KERNCIJFERS_PG_BI_PASSWORD=bi)
    assert (status, said, passwords) == (0, [], [owner, bi])
    assert _opens(port, "kerncijfers", owner) and _opens(port, "kerncijfers_bi", bi)

    # Without them, unasked: refused, naming the server, the roles and what to do; nothing renewed.
    status, said, _ = _source(name)
    assert status == 1
    assert said == [
        f"ci: no password in the environment opens role(s) kerncijfers, kerncijfers_bi on {server}; new "
        "passwords would lock out every other session and tool using them: set KERNCIJFERS_PG_PASSWORD "
        "and KERNCIJFERS_PG_BI_PASSWORD to theirs, or renew them with "
        "KERNCIJFERS_PG_RENEW_PASSWORDS=yes source .ci/postgres.sh"
    ]
    assert _opens(port, "kerncijfers", owner) and _opens(port, "kerncijfers_bi", bi)

    # Asked, with the build role's password only: the BI role alone is renewed, with a warning.
    status, said, (kept, renewed) = _source(
        name, KERNCIJFERS_PG_PASSWORD=owner, KERNCIJFERS_PG_RENEW_PASSWORDS="yes"
    )
    assert status == 0
    assert said == [
        f"ci: warning: renewing the passwords of role(s) kerncijfers_bi on {server}: sessions and tools "
        "that log in with the old ones will be refused (asked for by KERNCIJFERS_PG_RENEW_PASSWORDS=yes)"
    ]
    assert kept == owner and renewed != bi
    assert _opens(port, "kerncijfers", owner) and _opens(port, "kerncijfers_bi", renewed)
    assert not _opens(port, "kerncijfers_bi", bi)

    # As CI runs it (CI=true, no passwords, unattended): both renewed, with the warning.
    status, said, (owner_now, bi_now) = _source(name, CI="true")
    assert status == 0
    assert said == [
        f"ci: warning: renewing the passwords of role(s) kerncijfers, kerncijfers_bi on {server}: sessions "
        "and tools that log in with the old ones will be refused (asked for by CI=true)"
    ]
    assert _opens(port, "kerncijfers", owner_now) and not _opens(port, "kerncijfers", owner)
    assert _opens(port, "kerncijfers_bi", bi_now)
