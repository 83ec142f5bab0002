#!/usr/bin/env bash
# A PostgreSQL server of your own for the `postgres` target, without sudo: `make postgres`.
#
# Needs PostgreSQL's programs (initdb, pg_ctl, psql; Debian: apt install postgresql, or any
# distribution's package) but no system service. It creates a cluster in FOLDER (default
# warehouse/postgres), listening on 127.0.0.1 and a socket in FOLDER only, on $KERNCIJFERS_PG_PORT
# (default 5433), starts it, creates the build role, the read-only BI role and the database
# (profiles/postgres-setup.sql) with fresh random passwords, and writes the KERNCIJFERS_PG_*
# variables to FOLDER/env (readable by you alone). Then:
#
#   source warehouse/postgres/env && .venv/bin/kerncijfers build --target postgres
#
# Run again, it starts the cluster if it is stopped and makes new passwords. It says how to stop it.
#
# As an ordinary user the cluster is yours. As root (initdb and pg_ctl refuse root) the server
# runs as an unprivileged system user, found, never added: the owner of an existing cluster in
# FOLDER, else `postgres` (Debian's package creates it), else `nobody`. That user owns FOLDER/data,
# which holds the server's socket and log too; FOLDER and FOLDER/env stay root's, so root never
# sources a file the server's user could write.
set -euo pipefail

folder=$(realpath -m "${1:-warehouse/postgres}")
port="${KERNCIJFERS_PG_PORT:-5433}"
setup="$(cd "$(dirname "$0")" && pwd)/postgres-setup.sql"

say() { echo "postgres: $*"; }
fail() { echo "postgres: $*" >&2; exit 1; }

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
if [[ $(id -u) -ne 0 ]]; then
    server_user=""
    sockets=$folder
    log=$folder/server.log
    as_server() { "$@"; }
else
    if [[ -e "$folder" && $(stat -c %u "$folder") -ne 0 ]]; then
        fail "$folder belongs to $(stat -c %U "$folder"): run make postgres as that user, or remove the folder (root does not source a file another user could rewrite)"
    fi
    if [[ -d "$data" ]]; then
        server_user=$(stat -c %U "$data")
        [[ $(stat -c %u "$data") -ne 0 ]] || fail "$data belongs to root, and PostgreSQL does not run as root: remove it and run make postgres again"
    elif id -u postgres >/dev/null 2>&1; then
        server_user=postgres
    else
        server_user=nobody
    fi
    # From /: the server's user may not enter root's working directory.
    as_server() { (cd / && runuser -u "$server_user" -- "$@"); }
    # The server's user must pass through every folder above its data: find the first it may not
    # enter (/root, say) before creating anything in it.
    mkdir -p "$(dirname "$folder")"
    way=""
    IFS=/ read -ra parts <<<"${folder#/}"
    for part in "${parts[@]}"; do
        way="$way/$part"
        [[ "$way" != "$folder" ]] || break
        as_server test -x "$way" \
            || fail "the server runs as user $server_user, who cannot enter $way: allow it (chmod o+x $way) or give the cluster a folder it can reach: bash profiles/postgres-local.sh /srv/kerncijfers-postgres"
    done
    # The server's socket and log in its own folder: FOLDER stays root's.
    sockets=$data
    log=$data/server.log
fi
mkdir -p "$(dirname "$folder")"  # the warehouse folder, as a build makes it (umask 077 comes after)
# Every file it writes from here (logs, env) is the invoking user's alone.
umask 077
mkdir -p "$folder"
if [[ -z "$server_user" ]]; then
    chmod 700 "$folder"
else
    chmod 711 "$folder"  # root's: the server's user only passes through to its data
    if [[ ! -d "$data" ]]; then
        mkdir "$data"
        chown "$server_user:" "$data"
    fi
fi

if [[ ! -f "$data/PG_VERSION" ]]; then
    say "creating a cluster in $data${server_user:+, run by user $server_user}"
    # Only the server's user (and root) may reach the socket, where connecting needs no password;
    # TCP needs a password.
    as_server "$bindir/initdb" --pgdata "$data" --username postgres --auth-local trust --auth-host scram-sha-256 \
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
    chown --reference="$hba" "$hba.new"
    chmod 600 "$hba.new"
    mv "$hba.new" "$hba"
    hba_written=yes
fi
pg_ctl=("$bindir/pg_ctl" --pgdata "$data")
if as_server "${pg_ctl[@]}" status >/dev/null 2>&1; then
    [[ -z "$hba_written" ]] || as_server "${pg_ctl[@]}" reload >/dev/null
else
    say "starting it on 127.0.0.1:$port (log: $log)"
    as_server "${pg_ctl[@]}" --log "$log" --wait \
        --options "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$sockets'" start >/dev/null \
        || { tail -n 20 "$log" >&2; fail "the server did not start"; }
fi

random_password() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
owner_password=$(random_password)
bi_password=$(random_password)
# The passwords go in on stdin, never on a command line (`ps` would show them).
{
    printf '\\set %s %s\n' owner kerncijfers owner_password "$owner_password" \
        bi_user kerncijfers_bi bi_password "$bi_password" dbname kerncijfers
    cat "$setup"
} | "$bindir/psql" --quiet --no-psqlrc --host "$sockets" --port "$port" --username postgres --dbname postgres >/dev/null

cat >"$folder/env.new" <<EOF
export KERNCIJFERS_PG_HOST=127.0.0.1
export KERNCIJFERS_PG_PORT=$port
export KERNCIJFERS_PG_DBNAME=kerncijfers
export KERNCIJFERS_PG_USER=kerncijfers
export KERNCIJFERS_PG_PASSWORD=$owner_password
export KERNCIJFERS_PG_BI_USER=kerncijfers_bi
export KERNCIJFERS_PG_BI_PASSWORD=$bi_password
EOF
mv "$folder/env.new" "$folder/env"
say "stop it with: ${server_user:+runuser -u $server_user -- }${pg_ctl[*]} stop"
say "ready: source $folder/env, then .venv/bin/kerncijfers build --target postgres"
