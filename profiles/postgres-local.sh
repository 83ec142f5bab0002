#!/usr/bin/env bash
# A PostgreSQL server of your own for the `postgres` target, without sudo: `make postgres`.
#
# Needs PostgreSQL's programs (initdb, pg_ctl, psql; Debian: apt install postgresql, or any
# distribution's package) but no root and no system service. It creates a cluster owned by you in
# FOLDER (default warehouse/postgres), listening on 127.0.0.1 and a socket in FOLDER only, on
# $KERNCIJFERS_PG_PORT (default 5433), starts it, creates the build role, the read-only BI role and
# the database (profiles/postgres-setup.sql) with fresh random passwords, and writes the
# KERNCIJFERS_PG_* variables to FOLDER/env (readable by you alone). Then:
#
#   source warehouse/postgres/env && .venv/bin/kerncijfers build --target postgres
#
# Run again, it starts the cluster if it is stopped and makes new passwords. Stop it with
# `pg_ctl -D warehouse/postgres/data stop`. As root use .ci/postgres.sh (initdb refuses root).
set -euo pipefail

folder=$(realpath -m "${1:-warehouse/postgres}")
port="${KERNCIJFERS_PG_PORT:-5433}"
setup="$(cd "$(dirname "$0")" && pwd)/postgres-setup.sql"

say() { echo "postgres: $*"; }
fail() { echo "postgres: $*" >&2; exit 1; }

if [[ $(id -u) -eq 0 ]]; then
    fail "initdb does not run as root; as root, use .ci/postgres.sh (Debian's cluster) instead"
fi
# The folder that holds initdb, pg_ctl and psql together: Debian's (not on PATH), else PATH's.
bindir=""
for candidate in $(compgen -G "/usr/lib/postgresql/*/bin" | sort -rV) $(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)"); do
    if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" && -x "$candidate/psql" ]]; then
        bindir=$candidate
        break
    fi
done
[[ -n "$bindir" ]] || fail "PostgreSQL's programs (initdb, pg_ctl, psql) are not installed: install your distribution's postgresql package"

data="$folder/data"
mkdir -p "$folder"
chmod 700 "$folder"
if [[ ! -f "$data/PG_VERSION" ]]; then
    say "creating a cluster in $data"
    # Only you may connect over the socket without a password; TCP needs a password.
    "$bindir/initdb" --pgdata "$data" --username postgres --auth-local trust --auth-host scram-sha-256 \
        --encoding UTF8 --locale C.UTF-8 >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; fail "initdb failed"; }
fi
# The BI role reaches the warehouse database, not the server's own `postgres` and `template1`
# (every role may connect there): rejected in pg_hba.conf above the cluster's own rules, as
# .ci/postgres.sh does; written once, applied by the start or by a reload.
hba="$data/pg_hba.conf"
hba_written=""
if ! grep -q '^# kerncijfers: BI role' "$hba"; then
    {
        echo "# kerncijfers: BI role only in the warehouse databases (profiles/postgres-local.sh)"
        printf 'local  postgres,template1  kerncijfers_bi  reject\n'
        printf 'host   postgres,template1  kerncijfers_bi  all  reject\n'
        cat "$hba"
    } >"$hba.new"
    chmod 600 "$hba.new"
    mv "$hba.new" "$hba"
    hba_written=yes
fi
if "$bindir/pg_ctl" --pgdata "$data" status >/dev/null 2>&1; then
    [[ -z "$hba_written" ]] || "$bindir/pg_ctl" --pgdata "$data" reload >/dev/null
else
    say "starting it on 127.0.0.1:$port (log: $folder/server.log)"
    "$bindir/pg_ctl" --pgdata "$data" --log "$folder/server.log" --wait \
        --options "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$folder'" start >/dev/null \
        || { tail -n 20 "$folder/server.log" >&2; fail "the server did not start"; }
fi

random_password() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
owner_password=$(random_password)
bi_password=$(random_password)
# The passwords go in on stdin, never on a command line (`ps` would show them).
{
    printf '\\set %s %s\n' owner kerncijfers owner_password "$owner_password" \
        bi_user kerncijfers_bi bi_password "$bi_password" dbname kerncijfers
    cat "$setup"
} | "$bindir/psql" --quiet --no-psqlrc --host "$folder" --port "$port" --username postgres --dbname postgres >/dev/null

umask 077
cat >"$folder/env" <<EOF
export KERNCIJFERS_PG_HOST=127.0.0.1
export KERNCIJFERS_PG_PORT=$port
export KERNCIJFERS_PG_DBNAME=kerncijfers
export KERNCIJFERS_PG_USER=kerncijfers
export KERNCIJFERS_PG_PASSWORD=$owner_password
export KERNCIJFERS_PG_BI_USER=kerncijfers_bi
export KERNCIJFERS_PG_BI_PASSWORD=$bi_password
EOF
say "ready: source $folder/env, then .venv/bin/kerncijfers build --target postgres"
