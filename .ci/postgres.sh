# Sourced by .ci/run (as root): a PostgreSQL server on loopback for the `postgres` target's tests.
# Installs Debian's postgresql when it is missing, starts its cluster, creates the build role, the
# read-only BI role and the database (profiles/postgres-setup.sql) and exports KERNCIJFERS_PG_*
# for the test suite. Run again it reuses the running cluster and updates the roles; the
# passwords are made afresh on each run, so none is ever written down.

if [[ -n "${KERNCIJFERS_PG_HOST:-}" ]]; then
    # A developer's own server, configured with KERNCIJFERS_PG_* (README): leave it as it is.
    echo "ci: using the PostgreSQL server at $KERNCIJFERS_PG_HOST (KERNCIJFERS_PG_HOST is set)"
    return 0
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
    echo "ci: installing PostgreSQL (Debian's postgresql package)"
    apt-get update -qq
    # The install creates the cluster; C.UTF-8 gives it UTF-8 and Unicode case rules (lower()).
    LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

pg_version=$(basename "$(dirname "$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/postgres" | sort -V | tail -n 1)")")")
# Debian creates the cluster `main` on install, unless its createcluster.conf says otherwise.
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    pg_createcluster --locale C.UTF-8 "$pg_version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }'; then
    # Debian's default listen_addresses is 'localhost': the server is reachable on loopback only.
    pg_ctlcluster "$pg_version" main start
fi

random_password() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

export KERNCIJFERS_PG_HOST=127.0.0.1
export KERNCIJFERS_PG_PORT
KERNCIJFERS_PG_PORT=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" { print $3 }')
export KERNCIJFERS_PG_USER=kerncijfers
export KERNCIJFERS_PG_DBNAME=kerncijfers
export KERNCIJFERS_PG_BI_USER=kerncijfers_bi
export KERNCIJFERS_PG_PASSWORD KERNCIJFERS_PG_BI_PASSWORD
KERNCIJFERS_PG_PASSWORD=$(random_password)
KERNCIJFERS_PG_BI_PASSWORD=$(random_password)

# The script and its variables come in on stdin: the postgres user may not be able to read the
# clone, and passwords on a command line would show in `ps`.
{
    printf '\\set %s %s\n' owner "$KERNCIJFERS_PG_USER" owner_password "$KERNCIJFERS_PG_PASSWORD" \
        bi_user "$KERNCIJFERS_PG_BI_USER" bi_password "$KERNCIJFERS_PG_BI_PASSWORD" \
        dbname "$KERNCIJFERS_PG_DBNAME"
    cat profiles/postgres-setup.sql
} | runuser -u postgres -- psql --quiet --no-psqlrc --port "$KERNCIJFERS_PG_PORT" --dbname postgres >/dev/null
# The BI role reaches the warehouse databases, not the server's own: every role may connect to
# `postgres` and `template1` (PUBLIC has CONNECT there, and revoking it would lock out every other
# user of a shared server), so pg_hba.conf rejects the BI role there, before any rule that would
# accept it. Written once, above the cluster's own rules; the reload applies it.
hba_file=$(runuser -u postgres -- psql --quiet --no-psqlrc --tuples-only --no-align \
    --port "$KERNCIJFERS_PG_PORT" --dbname postgres --command 'show hba_file')
if ! grep -q '^# kerncijfers: BI role' "$hba_file"; then
    {
        echo "# kerncijfers: BI role only in the warehouse databases (.ci/postgres.sh)"
        printf 'local  postgres,template1  %s  reject\n' "$KERNCIJFERS_PG_BI_USER"
        printf 'host   postgres,template1  %s  all  reject\n' "$KERNCIJFERS_PG_BI_USER"
        cat "$hba_file"
    } > "$hba_file.new"
    chown --reference="$hba_file" "$hba_file.new"
    chmod --reference="$hba_file" "$hba_file.new"
    mv "$hba_file.new" "$hba_file"
    pg_ctlcluster "$pg_version" main reload
fi
echo "ci: PostgreSQL $pg_version on $KERNCIJFERS_PG_HOST:$KERNCIJFERS_PG_PORT, database $KERNCIJFERS_PG_DBNAME"
