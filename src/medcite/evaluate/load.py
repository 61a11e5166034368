"""A bounded loopback load test of a running `medcite serve`.

    run_load_test("http://127.0.0.1:8000", clients=20, seconds=60) -> dict

Bounded on purpose: a fixed number of concurrent clients, a fixed duration, and loopback
addresses only (it refuses any other host), so it can never turn into a load generator
pointed at someone else's server. Not part of the unit suite.

Workload, per client, round-robin: `POST /api/ask` (questions from the open-medicine evaluation
set, rotating through the three audiences), `GET /api/search`, and `GET /answers/{id}` (the
answer page of an answer this client received). Repeated questions are served from the answer
store, as they are in real use; the first asking of each is computed. All clients share one
address, so start the server with the per-client ask limit off
(`MEDCITE_SERVER__RATE_LIMIT_ASK= medcite serve`), or most asks are refused with 429.

The result (JSON-serialisable):

    base_url, clients, seconds        what was asked for
    elapsed_s                         wall time actually spent
    requests, errors, error_rate      errors = transport failures and HTTP status >= 400
    throughput_rps                    completed requests per second of elapsed time
    latency_ms: {p50, p95, p99, max, mean}              over every request
    by_endpoint: {"POST /api/ask": {requests, errors, p50_ms, p95_ms}, ...}
    status_counts: {"200": n, ...}
    first_errors: up to 5 error descriptions
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import httpx

from medcite.errors import InvalidInput

MAX_CLIENTS = 200
MAX_SECONDS = 600
FALLBACK_QUESTIONS = [
    "What is the first-line treatment for an acute gout flare?",
    "Which vasopressor is first-line in septic shock?",
    "What empiric antibiotics are recommended for outpatient community-acquired pneumonia?",
    "What blood pressure target is recommended for adults with hypertension?",
]
AUDIENCES = ("clinician", "patient", "student")


def _check_loopback(base_url: str) -> None:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise InvalidInput(
        f"refusing to load-test {host or base_url!r}: loopback addresses only",
        hint="start `medcite serve` locally and use http://127.0.0.1:8000",
    )


def load_questions() -> list[str]:
    """The open-medicine evaluation questions shipped with medcite (fallback: a short fixed list)."""
    try:
        text = (resources.files("medcite.evaluate") / "questions" / "open_medicine.jsonl").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return FALLBACK_QUESTIONS
    questions = [json.loads(line)["question"] for line in text.splitlines() if line.strip()]
    return questions or FALLBACK_QUESTIONS


@dataclass
class _Record:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    first_errors: list[str] = field(default_factory=list)

    def add(self, endpoint: str, ms: float, status: int | None, problem: str | None) -> None:
        self.latencies.setdefault(endpoint, []).append(ms)
        self.statuses[str(status) if status is not None else "transport_error"] += 1
        if problem is not None:
            self.errors[endpoint] += 1
            if len(self.first_errors) < 5:
                self.first_errors.append(f"{endpoint}: {problem}")


async def _client(http: httpx.AsyncClient, n: int, deadline: float, questions: list[str], rec: _Record) -> None:
    i, answer_ids = n, list[str]()
    while time.perf_counter() < deadline:
        q = questions[i % len(questions)]
        audience = AUDIENCES[(i // len(questions)) % len(AUDIENCES)]
        step = i % 3
        if step == 0 or (step == 2 and not answer_ids):
            body = {"question": q, "audience": audience}
            endpoint, call = "POST /api/ask", http.post("/api/ask", json=body)
        elif step == 1:
            endpoint, call = "GET /api/search", http.get("/api/search", params={"q": q, "k": 10})
        else:
            endpoint, call = "GET /answers/{id}", http.get(f"/answers/{answer_ids[i % len(answer_ids)]}")
        t = time.perf_counter()
        status, problem = None, None
        try:
            response = await call
            status = response.status_code
            if status >= 400:
                problem = f"HTTP {status}: {response.text[:200]}"
            elif endpoint == "POST /api/ask":
                answer_ids.append(response.json()["id"])
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        rec.add(endpoint, (time.perf_counter() - t) * 1000, status, problem)
        i += 1


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[k], 1)


def _summary(base_url: str, clients: int, seconds: float, elapsed: float, rec: _Record) -> dict[str, Any]:
    every = [ms for values in rec.latencies.values() for ms in values]
    errors = sum(rec.errors.values())
    return {
        "base_url": base_url,
        "clients": clients,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 2),
        "requests": len(every),
        "errors": errors,
        "error_rate": round(errors / len(every), 4) if every else 0.0,
        "throughput_rps": round(len(every) / elapsed, 2) if elapsed else 0.0,
        "latency_ms": {
            "p50": _percentile(every, 50),
            "p95": _percentile(every, 95),
            "p99": _percentile(every, 99),
            "max": round(max(every, default=0.0), 1),
            "mean": round(sum(every) / len(every), 1) if every else 0.0,
        },
        "by_endpoint": {
            ep: {
                "requests": len(v),
                "errors": rec.errors[ep],
                "p50_ms": _percentile(v, 50),
                "p95_ms": _percentile(v, 95),
            }
            for ep, v in sorted(rec.latencies.items())
        },
        "status_counts": dict(rec.statuses),
        "first_errors": rec.first_errors,
    }


async def _run(base_url: str, clients: int, seconds: float) -> dict[str, Any]:
    questions, rec = load_questions(), _Record()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=120.0, limits=limits) as http:
        (await http.get("/healthz")).raise_for_status()  # fail fast when nothing is listening
        start = time.perf_counter()
        deadline = start + seconds
        await asyncio.gather(*(_client(http, n, deadline, questions, rec) for n in range(clients)))
        elapsed = time.perf_counter() - start
    return _summary(base_url, clients, seconds, elapsed, rec)


def run_load_test(base_url: str, clients: int = 20, seconds: float = 60) -> dict[str, Any]:
    """Drive `clients` concurrent clients against a loopback medcite server for `seconds` seconds.

    Each client sends its next request as soon as the previous one returns. Raises InvalidInput
    for a non-loopback URL or limits beyond MAX_CLIENTS/MAX_SECONDS. See the module docstring
    for the result's keys.
    """
    _check_loopback(base_url)
    if not 1 <= clients <= MAX_CLIENTS or not 0 < seconds <= MAX_SECONDS:
        raise InvalidInput(
            f"clients must be 1..{MAX_CLIENTS} and seconds 0..{MAX_SECONDS}", hint="the load test is bounded on purpose"
        )
    return asyncio.run(_run(base_url.rstrip("/"), clients, seconds))


def format_report(result: dict[str, Any]) -> str:
    """One Markdown table row set for docs/benchmarks.md."""
    lat = result["latency_ms"]
    lines = [
        f"{result['clients']} clients × {result['seconds']} s against {result['base_url']}: "
        f"{result['requests']} requests, {result['errors']} errors, {result['throughput_rps']} req/s, "
        f"p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, max {lat['max']} ms",
        "",
        "| endpoint | requests | errors | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| `{ep}` | {v['requests']} | {v['errors']} | {v['p50_ms']} | {v['p95_ms']} |"
        for ep, v in result["by_endpoint"].items()
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m medcite.evaluate.load http://127.0.0.1:8000 [clients] [seconds]
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = run_load_test(
        url, int(sys.argv[2]) if len(sys.argv) > 2 else 20, float(sys.argv[3]) if len(sys.argv) > 3 else 60
    )
    print(json.dumps(out, indent=2))
    print(format_report(out), file=sys.stderr)
