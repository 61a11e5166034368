"""`medcite eval retrieval|answers|privacy` and `medcite bench index|ask|load`.

Evaluations read ../shared/data (or MEDCITE_SHARED_DATA) and stop with a clear message when it
is absent. They print Markdown tables ready for docs/benchmarks.md and can write JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from medcite.cli import err, settings_of
from medcite.errors import InvalidInput

out = Console()
eval_app = typer.Typer(
    help="Evaluations on the shared corpora (retrieval quality, answer quality).", no_args_is_help=True
)
bench_app = typer.Typer(help="Benchmarks (timings, sizes, memory); not part of the test suite.", no_args_is_help=True)


def _need_shared(path: Path) -> Path:
    if not path.is_dir():
        raise InvalidInput(
            f"shared corpora not found at {path}", hint="set MEDCITE_SHARED_DATA to the folder holding ../shared/data"
        )
    return path


def _write(path: Path | None, payload: object) -> None:
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2, default=str))
        err.print(f"[dim]wrote {path}[/]")


@eval_app.command("retrieval")
def eval_retrieval(
    ctx: typer.Context,
    sets: str = typer.Option("ngc,uspstf,medquad,pubmedqa", help="Comma-separated question sets."),
    n: int = typer.Option(300, help="Questions sampled from each derived set (MedQuAD, PubMedQA)."),
    variants: str = typer.Option("bm25,dense,rrf,hybrid+rerank", help="Variants, side by side."),
    ingest: bool = typer.Option(True, help="First ingest the corpora the sets need (no-op when indexed)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write per-variant scores and misses here."),
) -> None:
    """Recall@1/5/10, MRR, nDCG@10 for BM25-only, dense-only, fused and reranked retrieval."""
    from medcite.evaluate.runner import retrieval_eval

    settings = settings_of(ctx)
    _need_shared(settings.shared_data)
    names = [s.strip() for s in sets.split(",") if s.strip()]
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("evaluating", total=None)
        tables, payload = retrieval_eval(
            settings,
            names,
            n=n,
            variants=variants.split(","),
            ingest=ingest,
            progress=lambda i: bar.update(task, completed=i),
        )
    out.print("\n\n".join(tables), markup=False)
    _write(json_out, payload)


@eval_app.command("answers")
def eval_answers(
    ctx: typer.Context,
    sets: str = typer.Option("ngc,uspstf,kqa,unanswerable,nonmedical,redflag", help="Comma-separated sets."),
    limit: int = typer.Option(0, help="At most this many questions per set (0 = all)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write per-question results here."),
) -> None:
    """Key-recommendation hit rate, citation recall/precision (ALCE), K-QA comprehensiveness and
    contradictions, abstention and red-flag rates, ask latency."""
    from medcite.evaluate.answers import answers_eval

    settings = settings_of(ctx)
    _need_shared(settings.shared_data)
    names = [s.strip() for s in sets.split(",") if s.strip()]
    tables, payload = answers_eval(settings, names, limit=limit, console=err)
    out.print("\n\n".join(tables), markup=False)
    _write(json_out, payload)


@eval_app.command("privacy")
def eval_privacy(
    json_out: Path | None = typer.Option(None, "--json", help="Write the scores and every miss here."),
) -> None:
    """Identifier recall and clinical words kept by the personal-data redaction (no corpus needed)."""
    from medcite.evaluate.privacy import format_report, privacy_eval

    result = privacy_eval()
    print(format_report(result))
    _write(json_out, result)


@bench_app.command("index")
def bench_index(
    ctx: typer.Context,
    scales: str = typer.Option("1", help="Chunk-count multiples to build, e.g. 1,10,100."),
    queries: int = typer.Option(1000, help="Search queries timed per scale."),
    json_out: Path | None = typer.Option(None, "--json"),
) -> None:
    """Ingest the full shared corpus into a fresh home; time, size, peak RSS, search p50/p95; then scaled copies."""
    from medcite.evaluate.bench import index_bench

    settings = settings_of(ctx)
    _need_shared(settings.shared_data)
    table, payload = index_bench(settings, [int(s) for s in scales.split(",")], queries=queries, console=err)
    out.print(table, markup=False)
    _write(json_out, payload)


@bench_app.command("ask")
def bench_ask(
    ctx: typer.Context,
    questions: int = typer.Option(100, help="Questions timed (warm, in-process)."),
    composer: str = typer.Option("extractive", help="Composer to time."),
    json_out: Path | None = typer.Option(None, "--json"),
) -> None:
    """Warm `ask` latency p50/p95 on the current index."""
    from medcite.evaluate.bench import ask_bench

    settings = settings_of(ctx)
    settings.answer.composer = composer
    table, payload = ask_bench(settings, questions)
    out.print(table, markup=False)
    _write(json_out, payload)


@bench_app.command("embed")
def bench_embed(
    ctx: typer.Context,
    passages: int = typer.Option(1500, help="Real chunks of the current index to embed."),
    json_out: Path | None = typer.Option(None, "--json"),
) -> None:
    """Embedding throughput (passages/s) on real chunks; compare settings, e.g. MEDCITE_EMBEDDING__MAX_TOKENS."""
    from medcite.evaluate.bench import embed_bench

    table, payload = embed_bench(settings_of(ctx), passages)
    out.print(table, markup=False)
    _write(json_out, payload)


@bench_app.command("load")
def bench_load(
    ctx: typer.Context,
    clients: int = typer.Option(20, help="Concurrent clients."),
    seconds: int = typer.Option(60, help="Duration."),
    json_out: Path | None = typer.Option(None, "--json"),
) -> None:
    """Start the server on loopback and drive it with concurrent clients (bounded in count and time)."""
    from medcite.evaluate.bench import serve_and_load

    payload = serve_and_load(settings_of(ctx), clients=clients, seconds=seconds)
    out.print_json(json.dumps(payload, default=str))
    _write(json_out, payload)


@bench_app.command("freshness")
def bench_freshness(
    ctx: typer.Context,
    trials: int = typer.Option(5, help="Documents added then removed through the CLI."),
    json_out: Path | None = typer.Option(None, "--json"),
) -> None:
    """Seconds until an open reader (as `medcite serve` holds) sees a CLI ingest and removal, per search mode."""
    from medcite.evaluate.freshness import measure

    payload = measure(settings_of(ctx), trials)
    out.print_json(json.dumps(payload))
    _write(json_out, payload)


@bench_app.command("shards")
def bench_shards(
    ctx: typer.Context,
    sets: str = typer.Option("uspstf,pubmedqa", help="`eval retrieval` question sets (their corpora must be indexed)."),
    n: int = typer.Option(100, help="Questions sampled from each derived set."),
    shards: str = typer.Option("2,4", help="Shard counts compared with the single-node index."),
    work: Path = typer.Option(..., "--work", help="Folder for the snapshot indexes built from the home's catalogue."),
    ray: str | None = typer.Option(
        None, "--ray", help="Also time searches through Ray Serve shards ('local': 127.0.0.1)."
    ),
    replicas: str = typer.Option("1,2", help="Replica counts per shard timed with --ray (0: in-process, no Ray)."),
    clients: int = typer.Option(4, help="Concurrent searching threads with --ray."),
    seconds: float = typer.Option(20, help="Seconds of load per replica count with --ray."),
    compare: bool = typer.Option(True, "--compare/--no-compare", help="Compare top-10s with the single node."),
    answers: str = typer.Option(
        "",
        "--answers",
        help="Also compare the answers to these `eval answers` sets (e.g. uspstf,redflag) with the single "
        "node's: bottom line, citations, every item (with --ray, also through Ray Serve at the first count).",
    ),
    reference: str = typer.Option(
        "home",
        "--reference",
        help="The single node compared with: 'home' (the home's own index) or 'rebuilt' (one shard built "
        "afresh from the same catalogue, so only what sharding changes remains).",
    ),
    json_out: Path | None = typer.Option(None, "--json"),
) -> None:
    """Sharded vs single-node top-10 (and answers) on the home's index; with --ray, throughput and p95
    by replicas (--replicas '' skips the load run)."""
    from medcite.evaluate.scaling import answer_equivalence, equivalence, ray_load

    settings = settings_of(ctx)
    names = [x.strip() for x in sets.split(",") if x.strip()]
    counts = [int(x) for x in shards.split(",")]
    answer_sets = [x.strip() for x in answers.split(",") if x.strip()]
    replica_counts = [int(x) for x in replicas.split(",") if x.strip()]
    payload: dict[str, object] = {}
    if reference not in ("home", "rebuilt"):
        raise InvalidInput(f"unknown --reference {reference!r}", hint="use 'home' or 'rebuilt'")
    rebuilt = reference == "rebuilt"
    if compare:
        payload["equivalence"] = equivalence(settings, names, n, counts, work, rebuilt=rebuilt)
    if answer_sets:
        payload["answers"] = answer_equivalence(settings, answer_sets, counts, work, ray=ray, rebuilt=rebuilt)
    if ray and replica_counts:
        settings.ray.address = ray
        payload["ray"] = ray_load(
            settings,
            names,
            n,
            work,
            shards=counts[0],
            replicas=replica_counts,
            clients=clients,
            seconds=seconds,
        )
    out.print_json(json.dumps(payload))
    _write(json_out, payload)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
    app.add_typer(bench_app, name="bench")


@eval_app.command("instructions")
def eval_instructions(
    ctx: typer.Context,
    sources: str = typer.Option("ngc,uspstf,open-medicine", help="Comma-separated sources to scan."),
    json_out: Path | None = typer.Option(None, "--json", help="Write the counts and examples here."),
) -> None:
    """False positives of the instruction-like-text rules: flagged sentences in real guideline corpora."""
    from medcite.evaluate.instructions import markdown, scan

    settings = settings_of(ctx)
    names = [s.strip() for s in sources.split(",") if s.strip()]
    if any(n != "open-medicine" for n in names):
        _need_shared(settings.shared_data)
    result = scan(names, settings)
    out.print(markdown(result), markup=False, highlight=False)
    _write(json_out, result)
