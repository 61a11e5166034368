#!/usr/bin/env bash
# Everything the test suite needs, from a fresh machine, then the suite itself.
#   scripts/test.sh [pytest args]
# Installs the venv (with dev extras), Debian's chromium (browser tests) and postgresql (the
# review workflow and the index catalogue run on SQLite and on a real PostgreSQL on loopback), then
# runs pytest (the 2-shard Ray test runs in a loopback-only network namespace, about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v ip >/dev/null 2>&1 || need+=(iproute2)  # scripts/loopback-ns.sh: the Ray test runs on loopback only
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -z "${MEDCITE_TEST_POSTGRES_URL:-}" ]; then
    if url=$(bash .ci/postgres.sh); then
        export MEDCITE_TEST_POSTGRES_URL="$url"
    else
        echo "test.sh: PostgreSQL could not be started; its workflow tests will be skipped" >&2
    fi
fi
export MEDCITE_SHARED_DATA="${MEDCITE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
exec .venv/bin/pytest "$@"
