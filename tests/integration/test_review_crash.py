"""`kill -9` in the middle of a transition leaves the old state or the new one, never half.

A child process runs one workflow step against the store (SQLite file or PostgreSQL). The store's
crash hook (MEDCITE_STORE_CRASH_HOOK) makes it announce and sleep *inside* the open transaction,
after the answer row and the new version are written and before the audit event; the parent then
kills it with SIGKILL. Other runs are killed at a random moment (before, during or after the
step), or left to finish. After every run the stored answer, its versions and its audit trail
must agree with each other and be exactly the old or exactly the new state.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from medcite.records import Answer, AnswerStatus
from medcite.review import Workflow
from medcite.store import SQLStore, User
from medcite.store.db import CRASH_HOOK_ENV

pytest_plugins = ["store_fixtures"]
pytestmark = pytest.mark.integration

CHILD = r"""
import sys
from pathlib import Path
from medcite.review import Workflow
url, answer_id, action, actor = sys.argv[1:5]
if url.startswith("sqlite:///"):
    from medcite.store.sqlite import SQLiteStore
    store = SQLiteStore(Path(url.removeprefix("sqlite:///")))
else:
    from medcite.store.postgres import PostgresStore
    store = PostgresStore(url)
print("ready", file=sys.stderr, flush=True)
wf = Workflow(store)
user = store.get_user(actor)
if action == "approve":
    wf.approve(answer_id, user, comment="looks right")
else:
    wf.edit(answer_id, user, remove=["1.1"], note="shorter")
print("done", file=sys.stderr, flush=True)
"""
RUNS_PER_ACTION = 12


def _stderr_lines(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], marker: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    seen = []
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(line)
        if marker in line:
            return
    raise AssertionError(f"child never reached {marker!r}: {''.join(seen)[-2000:]}")


def run_child(url: str, answer_id: str, action: str, actor: str, mode: str, rng: random.Random) -> str:
    """Run one step in a child; returns how it ended ('killed-in-tx', 'killed', 'finished')."""
    env = dict(os.environ)
    env.pop(CRASH_HOOK_ENV, None)
    if mode == "in-transaction":
        env[CRASH_HOOK_ENV] = "transition:30"
    elif mode == "random":  # a short pause inside the transaction widens the window a kill can hit
        env[CRASH_HOOK_ENV] = f"transition:{rng.uniform(0, 0.1):.3f}"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, answer_id, action, actor],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines = _stderr_lines(proc)
    try:
        if mode == "in-transaction":
            _wait_for(lines, "crash-point transition reached")
            time.sleep(rng.uniform(0, 0.05))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return "killed-in-tx"
        if mode == "random":
            _wait_for(lines, "ready")
            time.sleep(rng.uniform(0, 0.15))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return "killed" if proc.returncode == -signal.SIGKILL else "finished"
        assert proc.wait(timeout=60) == 0
        return "finished"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def observe(store: SQLStore, answer_id: str, action: str) -> str:
    """'old' or 'new' when answer row, versions, comments and audit agree; anything else fails."""
    saved = store.get_answer(answer_id)
    versions = store.versions(answer_id)
    done = [e for e in store.history(answer_id) if e.action == action and e.allowed]
    comments = store.comments(answer_id)
    assert len(done) <= 1
    if action == "approve":
        old = saved.status == AnswerStatus.UNDER_REVIEW and saved.approved_version is None and not done and not comments
        new = (
            saved.status == AnswerStatus.APPROVED
            and saved.approved_version == 1
            and len(done) == 1
            and [c.body for c in comments] == ["looks right"]
            and done[0].actor == "dr-rev"
        )
    else:
        old = saved.current_version == 1 and len(versions) == 1 and not done
        new = (
            saved.current_version == 2
            and [v.version for v in versions] == [1, 2]
            and len(done) == 1
            and versions[1].reason == "edited: removed 1.1; editor's note"
            and saved.answer.notes == ["Editor's note (ed): shorter"]
        )
    assert old != new, f"half state: {saved.model_dump(exclude={'answer'})}, {len(versions)} versions, {done}"
    return "old" if old else "new"


@pytest.mark.parametrize("action", ["approve", "edit"])
def test_kill_9_mid_transition_leaves_old_or_new_state(
    action: str, store: SQLStore, store_url: str, users: dict[str, User], make_answer: Callable[..., Answer]
) -> None:
    rng = random.Random(f"medcite-crash-{action}")
    wf = Workflow(store)
    modes = ["in-transaction", "random", "finished"] * (RUNS_PER_ACTION // 3)
    outcomes: list[tuple[str, str]] = []
    for i, mode in enumerate(modes):
        saved = wf.save(make_answer(f"Crash question {i}?"), users["editor"])
        if action == "approve":
            wf.submit(saved.id, users["editor"])
            wf.assign(saved.id, users["admin"], "dr-rev")
        actor = "dr-rev" if action == "approve" else "ed"
        ended = run_child(store_url, saved.id, action, actor, mode, rng)
        state = observe(store, saved.id, action)
        if ended == "killed-in-tx":
            assert state == "old", "a transaction killed before COMMIT must leave nothing behind"
        if ended == "finished":
            assert state == "new"
        outcomes.append((ended, state))
        if state == "old":  # the store is usable again at once: no stale lock, no half-written rows
            retry: Any = (
                wf.approve(saved.id, users["reviewer"], comment="looks right")
                if action == "approve"
                else wf.edit(saved.id, users["editor"], remove=["1.1"], note="shorter")
            )
            assert retry.current_version >= 1 and observe(store, saved.id, action) == "new"
    assert {s for _, s in outcomes} == {"old", "new"}, outcomes
    assert any(e == "killed-in-tx" for e, _ in outcomes)
