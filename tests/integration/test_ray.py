"""Ray Data ingest, sharded serving and building on a real 2-shard Ray cluster, on loopback only.

The scenario (`ray_scenario.py`) runs in a subprocess inside a network namespace whose only
interface is loopback (`scripts/loopback-ns.sh`): Ray 2.x binds some listeners to every interface
whatever it is told, and no test may send traffic anywhere but loopback. About a minute on 2 cores.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NS = REPO / "scripts" / "loopback-ns.sh"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.ray,
    pytest.mark.skipif(
        importlib.util.find_spec("ray") is None, reason="Ray is not installed (pip install 'medcite[scale]')"
    ),
]


@pytest.fixture(scope="module")
def loopback_ns() -> Path:
    probe = subprocess.run([str(NS), "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a loopback-only network namespace for Ray here: {probe.stderr.strip()[:200]}")
    return NS


def test_ray_data_ingest_and_two_shards_on_ray_serve_answer_as_single_node_and_survive_a_replica_kill(
    loopback_ns, tmp_path
):
    run = subprocess.run(
        [str(loopback_ns), sys.executable, str(Path(__file__).with_name("ray_scenario.py")), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert run.returncode == 0 and lines, run.stderr[-3000:]
    found = json.loads(lines[-1])
    # Ray Data ingest: every chunk is in the catalogue with the vector one process gives its text.
    assert found["ingest"] == {"added": 30, "chunks": 30, "embedded": 30}, found
    catalogue = found["catalogue"]
    assert catalogue["chunks"] == 30 and catalogue["states"] == {"indexed": 30}, found
    assert catalogue["keys_match_text"] and catalogue["embeddings_equal_local"], found
    assert found["same_embeddings_as_single_node"], found
    # The shard snapshots it built search as one index ingested by one process.
    assert found["same_as_single_node"], found
    # Cached text is never embedded again; a run killed mid-embedding publishes nothing, and the next resumes.
    assert found["second_ingest"] == {"added": 2, "embedded": 1}, found
    crash = found["crash"]
    assert crash["raised"] and crash["version_unchanged"] and crash["pending"] == ["r:101"], found
    assert crash["old_snapshots_serve"], found
    assert crash["resumed_embedded"] == 1 and crash["found_after_resume"] and not crash["pending_after_resume"], found
    assert found["same_as_local"], found  # Ray Serve shards + router == the same snapshots read in-process
    assert found["new_doc_first"] and found["shards_moved"], found  # an ingest is served without restart
    outcomes = found["outcomes"]
    assert outcomes["wrong"] == 0 and outcomes["other"] == 0, found  # a kill fails over or is refused, never wrong
    assert outcomes["ok"] > 0, found
    assert found["replica_back"] and found["victim_gone"], found  # Serve replaced the killed replica
