#!/usr/bin/env bash
# Run a command in a network namespace of its own whose only interface is loopback (127.0.0.1):
# whatever Ray (or anything else) binds, no traffic can leave the machine.
#   scripts/loopback-ns.sh .venv/bin/pytest tests/integration/test_ray.py
# Needs util-linux `unshare` with unprivileged user namespaces (or root) and iproute2 `ip`.
set -euo pipefail
exec unshare --map-root-user --net sh -c 'ip link set lo up && exec "$@"' loopback-ns "$@"
