"""`medcite ingest | sources | search | remove | warm`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from medcite.cli import err, settings_of
from medcite.engine import Medcite, ProgressFn
from medcite.errors import InvalidInput, SourceError
from medcite.records import Audience, QueryFilters, SourceType
from medcite.settings import Settings

out = Console()


def _progress(counts: ProgressColumn) -> Progress:
    """A progress bar on stderr: spinner, label, bar, `counts`, elapsed time."""
    return Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), counts, TimeElapsedColumn(), console=err
    )


@contextmanager
def ingest_progress(label: str) -> Iterator[ProgressFn]:
    """A progress bar on stderr showing documents indexed and files that failed."""
    with _progress(TextColumn("{task.completed} documents · {task.fields[errors]} errors")) as bar:
        task = bar.add_task(label, total=None, errors=0)

        def update(done: int, errors: int) -> None:
            bar.update(task, completed=done, errors=errors)

        yield update


def ensure_index(mc: Medcite) -> None:
    """First run on a fresh machine: build the index from the embedded default corpus."""
    if mc.store.is_empty():
        err.print(
            f"[cyan]The index at {mc.settings.index_dir} is empty: building it from "
            f"'{mc.settings.index.default_corpus}' (first run only).[/]"
        )
        with ingest_progress(f"indexing {mc.settings.index.default_corpus}") as progress:
            mc.ensure_index(progress=progress)


def parse_filters(
    types: list[str] | None,
    source: list[str] | None,
    year_min: int | None,
    year_max: int | None,
    organisation: str | None,
    audience: str | None,
) -> QueryFilters:
    try:
        st = [SourceType(_type_alias(t)) for t in (types or [])]
        aud = Audience(audience) if audience else None
    except ValueError as exc:
        raise InvalidInput(str(exc), hint=f"types: {', '.join(t.value for t in SourceType)}") from exc
    try:
        return QueryFilters(
            source_types=st,
            sources=source or [],
            year_min=year_min,
            year_max=year_max,
            organisation=organisation,
            audience=aud,
        )
    except ValidationError as exc:  # out of the bounds in medcite.limits (years are four digits)
        where = ", ".join(".".join(str(p) for p in e["loc"]) + f": {e['msg']}" for e in exc.errors()[:3])
        raise InvalidInput(f"invalid filter ({where})", hint="years are 1-9999; names at most 200 characters") from exc


def _type_alias(value: str) -> str:
    v = value.strip().lower().replace("-", "_").replace(" ", "_")
    return {
        "trial": "randomised_trial",
        "rct": "randomised_trial",
        "consumer": "consumer_health",
        "sr": "systematic_review",
        "meta_analysis": "systematic_review",
        "label": "drug_label",
    }.get(v, v)


def apply_scale(settings: Settings, ray: str | None, shards: int | None, snapshots: Path | None) -> Settings:
    """`--ray ADDRESS`, `--shards N` and `--snapshots DIR` over the settings (ingest and serve share them)."""
    if snapshots is not None:
        settings.index.snapshot_dir = snapshots
    if shards is not None:
        if shards < 1:
            raise InvalidInput("--shards must be at least 1")
        settings.index.shards = shards
    if ray is not None:
        settings.ray.address = ray
    if (ray or shards) and settings.index.snapshot_dir is None:
        settings.index.snapshot_dir = settings.home / "snapshots"  # one machine; give a shared mount for many
    return settings


RAY_HELP = "Ray cluster ('HOST:PORT', or 'local' to start one bound to 127.0.0.1); needs medcite[scale]."
SHARDS_HELP = "Split the index into N shards by document id (snapshots; default: index.shards)."
SNAPSHOTS_HELP = "Snapshot folder shared by every replica (default: index.snapshot_dir, else <home>/snapshots)."


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        ctx: typer.Context,
        targets: list[str] = typer.Argument(
            None,
            help="Named sources (open-medicine, ngc, uspstf, medquad, pubmed, pubmedqa, evidence-inference, "
            "shared) or paths to files, folders and zip/tar archives. Default: open-medicine.",
        ),
        name: str | None = typer.Option(None, "--name", help="Collection name for your own files."),
        rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the derived indexes from the catalogue."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        ray: str | None = typer.Option(None, "--ray", help=RAY_HELP),
        shards: int | None = typer.Option(None, "--shards", help=SHARDS_HELP),
        snapshots: Path | None = typer.Option(None, "--snapshots", help=SNAPSHOTS_HELP),
    ) -> None:
        """Read sources and add them to the index (incremental, resumable)."""
        mc = Medcite(apply_scale(settings_of(ctx), ray, shards, snapshots))
        if rebuild:
            mc.rebuild()
            err.print("[green]rebuilt lexical and vector indexes from the catalogue[/]")
            if not targets:
                return
        targets = targets or [mc.settings.index.default_corpus]

        def on_error(e: SourceError) -> None:
            if not as_json:
                err.print(f"[red]skipped[/] {e.path}: {e.reason}")

        with ingest_progress(f"ingesting {', '.join(targets)}") as progress:
            report = mc.ingest(targets, source_name=name, progress=progress, on_error=on_error)
        if as_json:
            out.print_json(json.dumps(report.as_dict()))
        else:
            out.print(
                f"added {report.added}, changed {report.changed}, unchanged {report.unchanged} documents; "
                f"{report.chunks} chunks ({report.embedded} newly embedded); {len(report.errors)} files "
                f"skipped; {report.seconds:.1f} s"
            )
        mc.close()

    @app.command()
    def sources(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        """What is indexed: documents and chunks by source and type, with each source's terms."""
        mc = Medcite(settings_of(ctx))
        stats = mc.sources()
        if as_json:
            out.print_json(json.dumps(stats, default=str))
            return
        table = Table(title=f"Index at {stats['home']} ({stats['documents']} documents, {stats['chunks']} chunks)")
        for col in ("source", "type", "documents", "chunks", "licence / terms"):
            table.add_column(col)
        for row in stats["by_source"]:
            table.add_row(
                row["source"], row["type"], str(row["documents"]), str(row["chunks"]), row.get("licence") or ""
            )
        out.print(table)

    @app.command()
    def search(
        ctx: typer.Context,
        query: str = typer.Argument(..., help="Question or keywords."),
        k: int = typer.Option(10, "--k", help="Number of hits."),
        type_: list[str] = typer.Option(None, "--type", help="Only these source types (repeatable)."),
        source: list[str] = typer.Option(None, "--source", help="Only these collections (repeatable)."),
        year_min: int | None = typer.Option(None, "--since", help="Published in or after this year."),
        year_max: int | None = typer.Option(None, "--until", help="Published in or before this year."),
        organisation: str | None = typer.Option(None, "--org", help="Organisation name contains this."),
        audience: str | None = typer.Option(None, "--audience", help="Only documents for this audience."),
        mode: str = typer.Option("hybrid", "--mode", help="hybrid, lexical or dense."),
        as_json: bool = typer.Option(False, "--json", help="Print hits as JSON."),
    ) -> None:
        """Search the index (hybrid BM25 + dense, fused and reranked)."""
        mc = Medcite(settings_of(ctx))
        ensure_index(mc)
        filters = parse_filters(type_, source, year_min, year_max, organisation, audience)
        if mode not in ("hybrid", "lexical", "dense"):
            raise InvalidInput(f"unknown mode {mode!r}", hint="hybrid, lexical or dense")
        result = mc.search(query, k=k, filters=filters, mode=mode)
        if as_json:
            payload = [
                {
                    "rank": h.rank,
                    "score": h.score,
                    "chunk_id": h.chunk.id,
                    "text": h.chunk.text,
                    "heading_path": list(h.chunk.heading_path),
                    "evidence": h.chunk.evidence,
                    "source": h.doc.model_dump(mode="json"),
                    "scores": h.scores,
                }
                for h in result.hits
            ]
            out.print_json(json.dumps(payload))
            return
        for h in result.hits:
            where = " > ".join(h.chunk.heading_path)
            org = h.doc.organisation or h.doc.journal or h.doc.source
            out.print(
                f"[bold]{h.rank}.[/] [cyan]{h.doc.title}[/] — {org}, {h.doc.year or 'n.d.'} "
                f"[dim]({h.doc.type.label}; {h.chunk.id}; score {h.score:.3f})[/]"
            )
            if where:
                out.print(f"   [dim]{where}[/]")
            text = h.chunk.text if len(h.chunk.text) < 400 else h.chunk.text[:400] + "…"
            out.print(f"   {text}\n", highlight=False)
        err.print(f"[dim]{len(result.hits)} hits in {result.timings_ms.get('total', 0):.0f} ms[/]")

    @app.command()
    def remove(ctx: typer.Context, source: str = typer.Argument(..., help="Collection name or document id.")) -> None:
        """Remove a source (every document of a collection) or one document from the index."""
        mc = Medcite(settings_of(ctx))
        removed = mc.remove(source)
        if not removed:
            raise InvalidInput(f"nothing named {source!r} is indexed", hint="see `medcite sources`")
        out.print(f"removed {len(removed)} documents of {source}")
        mc.close()

    @app.command()
    def warm(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")
    ) -> None:
        """Embed every sentence an answer may quote, ahead of time, so answers skip the dense model."""
        mc = Medcite(settings_of(ctx))
        ensure_index(mc)
        with _progress(MofNCompleteColumn()) as bar:
            task = bar.add_task("embedding sentences", total=None)
            report = mc.warm(progress=lambda done, total: bar.update(task, completed=done, total=total))
        if as_json:
            out.print_json(json.dumps(report.as_dict()))
        else:
            out.print(
                f"{report.sentences:,} sentences of {report.passages:,} passages in the sentence cache "
                f"({report.embedded:,} newly embedded); {report.seconds:.1f} s"
            )
        mc.close()
