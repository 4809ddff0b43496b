#!/usr/bin/env bash
# Installs and starts the services the store and browser tests need, from Debian's packages:
# PostgreSQL (a throw-away role and database for the tests) and Chromium with its WebDriver.
# Idempotent: a second run finds everything in place and only prints the settings.
# Runs as root (CI does); PostgreSQL itself runs as the `postgres` user (it refuses root).
# Prints the environment to use, as shell assignments, on stdout; progress goes to stderr.
set -euo pipefail

PG_ROLE=${EVENTDESK_TEST_PG_ROLE:-eventdesk_test}
PG_PASS=${EVENTDESK_TEST_PG_PASSWORD:-eventdesk_test}
PG_DB=${EVENTDESK_TEST_PG_DB:-eventdesk_test}
PG_PORT=${EVENTDESK_TEST_PG_PORT:-5432}

log() { echo "setup-test-services: $*" >&2; }

need=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if ((${#need[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        log "missing Debian packages: ${need[*]}; run this script as root (or: sudo apt-get install ${need[*]})"
        exit 1
    fi
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# A cluster: the package normally creates `main`; create one if it did not (e.g. a policy-rc.d image).
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    log "creating PostgreSQL $version cluster main"
    pg_createcluster "$version" main --port "$PG_PORT" >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting PostgreSQL $version main on port $port"
    pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 50); do
    runuser -u postgres -- pg_isready -q -p "$port" && break
    sleep 0.2
done

psql_su() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ -z $(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'") ]]; then
    log "creating role $PG_ROLE"
    psql_su -c "CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASS' CREATEDB" >&2
fi
if [[ -z $(psql_su -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'") ]]; then
    log "creating database $PG_DB"
    psql_su -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE" >&2
fi

echo "EVENTDESK_TEST_PG_URL=postgresql+psycopg://$PG_ROLE:$PG_PASS@127.0.0.1:$port/$PG_DB"
echo "EVENTDESK_TEST_CHROMIUM=$(command -v chromium)"
echo "EVENTDESK_TEST_CHROMEDRIVER=$(command -v chromedriver)"
