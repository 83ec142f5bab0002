"""`kerncijfers build --target postgres`: the same write–audit–publish on a PostgreSQL server.

dbt builds every layer into candidate schemas (`marts__candidate`, ... : KERNCIJFERS_SCHEMA_SUFFIX,
macros/generate_schema_name.sql), which the BI role cannot read. The audit worker judges
`checks__candidate` with the same suites as on DuckDB. Only when nothing critical is found are the
candidate schemas swapped in, in one transaction: each published schema is renamed aside, its
candidate renamed into its place, and the BI role granted `marts` — readers see the old release or
the new one, never a mix, and never a candidate. The old schemas are dropped afterwards. A BI
session that holds one open (a dashboard left idle in a transaction) does not hold up the build:
after a short lock timeout the old schema is left, numbered (`marts__old`, `marts__old2`, ...),
the summary names the session that holds it, and the next build drops it. A failed candidate is
kept as `<schema>__rejected`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from core.errors import WarehouseError
from core.project import Project
from kerncijfers.checks.suites import CHECKS_SCHEMA
from kerncijfers.pipeline.stages import Stages, build_and_audit
from kerncijfers.pipeline.summary import summary
from kerncijfers.postgres_connection import WHERE, owner_connection
from kerncijfers.warehouse import Warehouse

SCHEMA_SUFFIX_ENV = "KERNCIJFERS_SCHEMA_SUFFIX"
CANDIDATE = "__candidate"
OLD = "__old"
REJECTED = "__rejected"
# How long the swap waits for a lock a reader holds before it gives up and says who holds it.
LOCK_TIMEOUT = "10s"
# How long dropping an old schema waits: a schema a reader holds is left for the next build.
DROP_LOCK_TIMEOUT = "2s"


def _schemas(cursor: Any, suffix: str) -> list[str]:
    """The schemas whose names end in `suffix`, without it."""
    cursor.execute(
        "select nspname from pg_namespace where right(nspname, %s) = %s order by nspname",
        (len(suffix), suffix),
    )
    return [name[: -len(suffix)] for (name,) in cursor.fetchall()]


def _drop(con: Any, suffix: str) -> list[str]:
    """Drop the schemas ending in `suffix` or in `suffix` and a number (a swap numbers an old
    schema a reader still holds: `marts__old`, `marts__old2`, ...); returns those a reader kept
    from being dropped, each with the sessions that hold it."""
    import psycopg2

    kept = []
    with con.cursor() as cursor:
        cursor.execute(
            "select nspname from pg_namespace where nspname ~ %s order by nspname", (suffix + "[0-9]*$",)
        )
        for (name,) in cursor.fetchall():
            try:
                cursor.execute(f"set lock_timeout = '{DROP_LOCK_TIMEOUT}'")
                cursor.execute(f'drop schema "{name}" cascade')
                con.commit()
            except psycopg2.errors.LockNotAvailable:
                con.rollback()
                kept.append(f"{name} ({_blockers(con, name)})")
    return kept


def build_postgres(project: Project, target: str | None, stages: Stages) -> int:
    with owner_connection() as con:
        _drop(con, CANDIDATE)
        _drop(con, OLD)
    log = Warehouse.of(project).folder / "logs" / "dbt-postgres.log"
    where = {"postgres_schema": CHECKS_SCHEMA + CANDIDATE}
    run, status, report = build_and_audit(
        project, stages, log, where, target=target, env={SCHEMA_SUFFIX_ENV: CANDIDATE}
    )
    if report is None:
        _reject(f"dbt build failed (exit status {status})")
        return 1
    if report.critical:
        _reject(f"{len(report.critical)} critical finding(s) above")
        return 1
    with owner_connection() as con:
        swapped = _swap(con)
        kept = _drop(con, OLD)
    stages.done("publish", f"schemas {', '.join(swapped)} swapped in; marts granted to the BI role")
    extra = []
    if kept:
        extra.append(f"  left over : {'; '.join(kept)} — the next build drops it")
    print()
    print(summary(project, run.results(), extra, WHERE))
    return 0


def _reject(why: str) -> None:
    with owner_connection() as con:
        _drop(con, REJECTED)
        with con.cursor() as cursor:
            for schema in _schemas(cursor, CANDIDATE):
                cursor.execute(f'alter schema "{schema}{CANDIDATE}" rename to "{schema}{REJECTED}"')
        con.commit()
    print(f"Not published: {why}; the candidate is kept as the schemas *{REJECTED}.", file=sys.stderr)
    print("The published schemas are unchanged.", file=sys.stderr)


def _swap(con: Any) -> list[str]:
    """Rename every candidate schema into place and grant marts to the BI role, in one transaction."""
    import psycopg2

    bi_role = os.environ.get("KERNCIJFERS_PG_BI_USER", "kerncijfers_bi")
    with con.cursor() as cursor:
        try:
            cursor.execute(f"set local lock_timeout = '{LOCK_TIMEOUT}'")
            schemas = _schemas(cursor, CANDIDATE)
            cursor.execute("select nspname from pg_namespace")
            existing = {name for (name,) in cursor.fetchall()}
            for schema in schemas:
                if schema in existing:
                    # An old schema a reader still holds keeps its name: this one takes the next.
                    aside, number = f"{schema}{OLD}", 1
                    while aside in existing:
                        number += 1
                        aside = f"{schema}{OLD}{number}"
                    cursor.execute(f'alter schema "{schema}" rename to "{aside}"')
                cursor.execute(f'alter schema "{schema}{CANDIDATE}" rename to "{schema}"')
            cursor.execute("select exists (select from pg_roles where rolname = %s)", (bi_role,))
            row = cursor.fetchone()
            if row and row[0] and "marts" in schemas:
                # The same grants as macros/grant_read_only_access.sql gives a plain `dbt build`.
                role = '"' + bi_role.replace('"', '""') + '"'
                cursor.execute(f"grant usage on schema marts to {role}")
                cursor.execute(f"grant select on all tables in schema marts to {role}")
                cursor.execute(f"alter default privileges in schema marts grant select on tables to {role}")
            con.commit()
        except psycopg2.errors.LockNotAvailable:
            con.rollback()
            raise WarehouseError(
                WHERE, f"the swap waited {LOCK_TIMEOUT} for a lock: {_blockers(con)}"
            ) from None
    return schemas


def _blockers(con: Any, schema: str | None = None) -> str:
    """Who holds locks on the published schemas (or on `schema`): the sessions a maintainer may end."""
    with con.cursor() as cursor:
        # pg_stat_activity shows a session's state (and backend type, query ...) only to its role,
        # to the roles that have its privileges (the setup makes the owner a member of the BI
        # role) and to pg_read_all_stats: for any other session they are null, and so is the
        # state of a background worker. Say what is known (pg_locks is readable by every role)
        # rather than print "None".
        cursor.execute(
            "select a.pid, a.usename, a.application_name, a.state, a.backend_type,"
            " string_agg(distinct l.mode, ', ' order by l.mode), current_user"
            " from pg_locks l join pg_stat_activity a on a.pid = l.pid"
            " join pg_class c on c.oid = l.relation join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname not like 'pg\\_%%' and a.pid <> pg_backend_pid()"
            " and (%s::text is null or n.nspname = %s)"
            " group by a.pid, a.usename, a.application_name, a.state, a.backend_type order by a.pid",
            (schema, schema),
        )
        sessions = [_session(*row) for row in cursor]
    con.rollback()
    if not sessions:
        return "a session holds the published schemas; try again when it ends"
    return (
        "held by "
        + "; ".join(sessions)
        + " — end it with pg_terminate_backend(pid) or wait, then build again"
    )


def _session(
    pid: int, user: str | None, app: str | None, state: str | None, kind: str | None, locks: str, me: str
) -> str:
    """One session holding a lock, as far as pg_stat_activity lets the owner see it."""
    if kind is None:  # another role's session, hidden from the owner
        return (
            f"pid {pid} ({user or 'another role'}, {app or 'no application name'}, holds {locks}; its "
            f"state is hidden from {me}: only its role's members and pg_read_all_stats see it)"
        )
    return f"pid {pid} ({user or kind}, {app or 'no application name'}, {state or kind})"
