# Sourced by .ci/run (as root): a PostgreSQL server on loopback for the `postgres` target's tests.
# Installs Debian's postgresql when it is missing, starts its cluster (`main`, or
# $KERNCIJFERS_PG_CLUSTER), creates the build role, the read-only BI role and the database
# (profiles/postgres-setup.sql) and exports KERNCIJFERS_PG_* for the test suite.
#
# That server is the machine's, shared with whoever else uses it: run again, it changes nothing
# that works. Roles whose passwords are in the environment (KERNCIJFERS_PG_PASSWORD,
# KERNCIJFERS_PG_BI_PASSWORD) and open them are kept as they are. A role that exists but that no
# password in the environment opens would need a new password, which locks out every other
# session and tool that uses the old one: that is done only when asked, by
# KERNCIJFERS_PG_RENEW_PASSWORDS=yes or by CI=true (what CI services set: an unattended run on a
# machine of its own), and said on stderr, naming the server and the roles, before it is done.
# Otherwise it says so and returns 1. New passwords are random and written nowhere.

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
pg_cluster=${KERNCIJFERS_PG_CLUSTER:-main}
# Debian creates the cluster `main` on install, unless its createcluster.conf says otherwise.
if ! pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    echo "ci: creating PostgreSQL cluster $pg_version/$pg_cluster" >&2
    pg_createcluster --locale C.UTF-8 "$pg_version" "$pg_cluster" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; then
    # Debian's default listen_addresses is 'localhost': the server is reachable on loopback only.
    pg_ctlcluster "$pg_version" "$pg_cluster" start
fi

export KERNCIJFERS_PG_HOST=127.0.0.1
export KERNCIJFERS_PG_PORT
KERNCIJFERS_PG_PORT=$(pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c { print $3 }')
export KERNCIJFERS_PG_USER=kerncijfers
export KERNCIJFERS_PG_DBNAME=kerncijfers
export KERNCIJFERS_PG_BI_USER=kerncijfers_bi
export KERNCIJFERS_PG_PASSWORD KERNCIJFERS_PG_BI_PASSWORD
pg_server="PostgreSQL $pg_version, cluster $pg_cluster, on $KERNCIJFERS_PG_HOST:$KERNCIJFERS_PG_PORT (this machine's, shared with its other users)"

pg_superuser() { runuser -u postgres -- psql --quiet --no-psqlrc --port "$KERNCIJFERS_PG_PORT" "$@"; }
random_password() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
# Does this password open this role, in the warehouse database? Over TCP, as a BI tool connects;
# the password in the environment of psql, never on its command line.
pg_opens() {
    [[ -n "$2" ]] && PGPASSWORD=$2 PGCONNECT_TIMEOUT=10 psql --no-psqlrc --quiet --host "$KERNCIJFERS_PG_HOST" \
        --port "$KERNCIJFERS_PG_PORT" --username "$1" --dbname "$KERNCIJFERS_PG_DBNAME" --command 'select' \
        >/dev/null 2>&1 </dev/null
}

# Each role: kept when the environment's password opens it, created when missing (with the
# environment's password, else a new one), otherwise renewed, if allowed.
pg_created=() pg_renewed=()
for pg_role in KERNCIJFERS_PG_USER:KERNCIJFERS_PG_PASSWORD KERNCIJFERS_PG_BI_USER:KERNCIJFERS_PG_BI_PASSWORD; do
    pg_name_variable=${pg_role%:*}
    pg_password_variable=${pg_role#*:}
    if [[ -z $(pg_superuser --tuples-only --no-align --dbname postgres \
        --command "select 1 from pg_roles where rolname = '${!pg_name_variable}'") ]]; then
        pg_created+=("${!pg_name_variable}")
        [[ -n "${!pg_password_variable:-}" ]] || printf -v "$pg_password_variable" %s "$(random_password)"
    elif ! pg_opens "${!pg_name_variable}" "${!pg_password_variable:-}"; then
        pg_renewed+=("$pg_role")
    fi
done
if [[ ${#pg_renewed[@]} -gt 0 ]]; then
    pg_names=""
    for pg_role in "${pg_renewed[@]}"; do
        pg_name_variable=${pg_role%:*}
        pg_names="${pg_names:+$pg_names, }${!pg_name_variable}"
    done
    if [[ "${KERNCIJFERS_PG_RENEW_PASSWORDS:-}" == yes ]]; then
        pg_asked="KERNCIJFERS_PG_RENEW_PASSWORDS=yes"
    elif [[ "${CI:-}" == true ]]; then
        pg_asked="CI=true"
    else
        echo "ci: no password in the environment opens role(s) $pg_names on $pg_server;" \
            "new passwords would lock out every other session and tool using them: set" \
            "KERNCIJFERS_PG_PASSWORD and KERNCIJFERS_PG_BI_PASSWORD to theirs, or renew them with" \
            "KERNCIJFERS_PG_RENEW_PASSWORDS=yes source .ci/postgres.sh" >&2
        # Nothing was changed; a shell that sourced this is left without a server to test against.
        unset KERNCIJFERS_PG_HOST
        return 1
    fi
    echo "ci: warning: renewing the passwords of role(s) $pg_names on $pg_server:" \
        "sessions and tools that log in with the old ones will be refused (asked for by $pg_asked)" >&2
    for pg_role in "${pg_renewed[@]}"; do
        printf -v "${pg_role#*:}" %s "$(random_password)"
    done
fi
if [[ ${#pg_created[@]} -gt 0 ]]; then
    echo "ci: creating role(s) ${pg_created[*]} on $pg_server" >&2
fi

# The script and its variables come in on stdin: the postgres user may not be able to read the
# clone, and passwords on a command line would show in `ps`. Run again with the same passwords it
# changes nothing a client notices.
{
    printf '\\set %s %s\n' owner "$KERNCIJFERS_PG_USER" owner_password "$KERNCIJFERS_PG_PASSWORD" \
        bi_user "$KERNCIJFERS_PG_BI_USER" bi_password "$KERNCIJFERS_PG_BI_PASSWORD" \
        dbname "$KERNCIJFERS_PG_DBNAME"
    cat profiles/postgres-setup.sql
} | pg_superuser --dbname postgres >/dev/null
# The BI role reaches the warehouse databases, not the server's own: every role may connect to
# `postgres` and `template1` (PUBLIC has CONNECT there, and revoking it would lock out every other
# user of a shared server), so pg_hba.conf rejects the BI role there, before any rule that would
# accept it. Written once, above the cluster's own rules; the reload applies it.
hba_file=$(pg_superuser --tuples-only --no-align --dbname postgres --command 'show hba_file')
if ! grep -q '^# kerncijfers: BI role' "$hba_file"; then
    echo "ci: adding to $hba_file (the server's configuration): $KERNCIJFERS_PG_BI_USER is refused the databases postgres and template1" >&2
    {
        echo "# kerncijfers: BI role only in the warehouse databases (.ci/postgres.sh)"
        printf 'local  postgres,template1  %s  reject\n' "$KERNCIJFERS_PG_BI_USER"
        printf 'host   postgres,template1  %s  all  reject\n' "$KERNCIJFERS_PG_BI_USER"
        cat "$hba_file"
    } > "$hba_file.new"
    chown --reference="$hba_file" "$hba_file.new"
    chmod --reference="$hba_file" "$hba_file.new"
    mv "$hba_file.new" "$hba_file"
    pg_ctlcluster "$pg_version" "$pg_cluster" reload
fi
echo "ci: PostgreSQL $pg_version on $KERNCIJFERS_PG_HOST:$KERNCIJFERS_PG_PORT, database $KERNCIJFERS_PG_DBNAME"
