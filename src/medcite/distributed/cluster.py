"""Connecting to Ray. A cluster started here ('local') listens on 127.0.0.1 only, as far as Ray lets it.

Ray binds most of its servers to every interface by default. `connect("local")` pins the node to
127.0.0.1 (`_node_ip_address`), starts no dashboard, and installs `pin_loopback` in every worker,
which makes Ray Serve's inter-replica gRPC server (hard-coded to `[::]:0` in Ray 2.x) bind
127.0.0.1. Some of Ray's own processes (raylet, GCS, agents) still bind all interfaces in Ray 2.60:
the tests and benchmarks therefore run Ray inside a network namespace that has only a loopback
interface (`scripts/loopback-ns.sh`), so no traffic can leave the machine whatever Ray binds.
"""

from __future__ import annotations

import os
from typing import Any

from medcite.errors import ModelUnavailable

LOOPBACK = "127.0.0.1"
INSTALL_HINT = "pip install 'medcite[scale]'"


def require_ray() -> Any:
    """The `ray` module, or ModelUnavailable with the install command."""
    try:
        import ray
    except ImportError as exc:
        raise ModelUnavailable("Ray is not installed (sharded serving and ingest need it)", hint=INSTALL_HINT) from exc
    return ray


def connect(address: str, *, num_cpus: int | None = None) -> Any:
    """Join the Ray cluster at `address` ('HOST:PORT'), or start one on this machine ('local').

    Idempotent in a process. Returns the `ray` module."""
    ray = require_ray()
    if ray.is_initialized():
        return ray
    env = {"worker_process_setup_hook": "medcite.distributed.cluster.pin_loopback"}
    if address == "local":
        ray.init(
            _node_ip_address=LOOPBACK,
            include_dashboard=False,
            # Logical CPUs are scheduling tokens: shard replicas sit mostly idle between searches, so a
            # local cluster offers twice the cores, leaving room for builds while replicas serve.
            num_cpus=num_cpus or 2 * (os.cpu_count() or 1),
            log_to_driver=False,
            runtime_env=env,
            configure_logging=False,
        )
    else:
        host = address.removeprefix("ray://").rsplit(":", 1)[0]
        extra = {"_node_ip_address": LOOPBACK} if host in {LOOPBACK, "localhost"} else {}
        ray.init(address=address, log_to_driver=False, runtime_env=env, configure_logging=False, **extra)
    return ray


def pin_loopback() -> None:
    """Worker setup hook: Ray Serve replicas bind their gRPC server to 127.0.0.1 when the node is on it."""
    try:
        import ray
        import ray.serve._private.replica as replica
    except ImportError:  # not a Serve-capable install: nothing to pin
        return
    if ray.util.get_node_ip_address() != LOOPBACK:
        return
    original = replica.add_port_to_grpc_server
    if getattr(original, "_medcite_pinned", False):
        return

    def bind_loopback(server: Any, address: str) -> int:
        host, _, port = address.rpartition(":")
        if host in {"[::]", "0.0.0.0", ""}:
            address = f"{LOOPBACK}:{port}"
        return int(original(server, address))

    bind_loopback._medcite_pinned = True  # type: ignore[attr-defined]
    replica.add_port_to_grpc_server = bind_loopback


def shutdown() -> None:
    ray = require_ray()
    if ray.is_initialized():
        ray.shutdown()
