#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster on loopback for the workflow suite, idempotently.
#
#   url=$(.ci/postgres.sh)   # installs Debian's postgresql if missing, initdb if missing,
#                            # starts the server, creates the database, prints its URL.
#
# Settings (environment): PGPORT_TEST (54329), PGDATA_TEST (/tmp/medcite-pgdata),
# PGDB_TEST (medcite_test). The server runs as the `postgres` user (CI runs as root),
# listens on 127.0.0.1 only, and trusts local connections: it is for tests, never for data.
set -euo pipefail

PORT="${PGPORT_TEST:-54329}"
DATA="${PGDATA_TEST:-/tmp/medcite-pgdata}"
DB="${PGDB_TEST:-medcite_test}"
SOCK=/tmp
LOG="$DATA.log"

log() { echo "postgres.sh: $*" >&2; }

as_pg() {
    if [ "$(id -un)" = postgres ]; then bash -c "$1"; else su postgres -s /bin/bash -c "$1"; fi
}

bin_dir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

BIN=$(bin_dir || true)
if [ -z "$BIN" ]; then
    log "installing postgresql from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN=$(bin_dir)
fi

if [ ! -s "$DATA/PG_VERSION" ]; then
    log "initdb $DATA"
    mkdir -p "$DATA"
    chown postgres: "$DATA" 2>/dev/null || true
    chmod 700 "$DATA"
    as_pg "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null"
fi

if ! as_pg "'$BIN/pg_ctl' -D '$DATA' status >/dev/null 2>&1"; then
    log "starting on 127.0.0.1:$PORT"
    touch "$LOG" && chown postgres: "$LOG" 2>/dev/null || true
    as_pg "'$BIN/pg_ctl' -D '$DATA' -o \"-k $SOCK -h 127.0.0.1 -p $PORT\" -l '$LOG' -w -t 60 start >/dev/null"
fi

for _ in $(seq 1 60); do
    as_pg "'$BIN/pg_isready' -q -h 127.0.0.1 -p $PORT" && break
    sleep 0.5
done

exists=$(as_pg "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")
if [ "$exists" != 1 ]; then
    log "creating database $DB"
    as_pg "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres '$DB'"
fi

echo "postgresql://postgres@127.0.0.1:$PORT/$DB"
