"""`medcite serve` (HTTP API + answer page, via uvicorn) and `medcite mcp` (MCP over stdio)."""

from __future__ import annotations

from pathlib import Path

import typer

from medcite.cli import err, settings_of
from medcite.cli.index_cmds import RAY_HELP, SHARDS_HELP, SNAPSHOTS_HELP, apply_scale, ensure_index
from medcite.engine import Medcite


def _build_index_first(ctx: typer.Context) -> None:
    """On a fresh machine, build the index with a progress bar before the server starts."""
    mc = Medcite(settings_of(ctx))
    try:
        ensure_index(mc)
    finally:
        mc.close()


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        ctx: typer.Context,
        host: str | None = typer.Option(None, "--host", help="Interface to bind (default: server.host, 127.0.0.1)."),
        port: int | None = typer.Option(None, "--port", help="Port to bind (default: server.port, 8000)."),
        max_concurrency: int | None = typer.Option(
            None, "--max-concurrency", help="Answers computed at once (default: one per core, up to 4)."
        ),
        log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
        require_auth: bool | None = typer.Option(
            None,
            "--require-auth/--no-require-auth",
            help="Asking and threads need an API token or a login (default: server.require_auth_for_ask, off).",
        ),
        ray: str | None = typer.Option(None, "--ray", help=RAY_HELP),
        shards: int | None = typer.Option(None, "--shards", help=SHARDS_HELP),
        snapshots: Path | None = typer.Option(None, "--snapshots", help=SNAPSHOTS_HELP),
    ) -> None:
        """Serve the HTTP API (/docs) and the answer page on the index (built on first start)."""
        import uvicorn

        from medcite.api import create_app

        settings = apply_scale(settings_of(ctx), ray, shards, snapshots)
        host = host or settings.server.host
        port = port or settings.server.port
        if require_auth is not None:
            settings.server.require_auth_for_ask = require_auth
        _build_index_first(ctx)
        err.print(f"[green]medcite[/] serving on [bold]http://{host}:{port}/[/] (API docs at /docs); Ctrl+C stops")
        if settings.server.require_auth_for_ask:
            err.print("asking needs a signed-in user: issue tokens with [bold]medcite users token NAME[/]")
        # One process: the app holds one index and one model in memory, shared by its worker threads.
        app = create_app(settings, max_concurrency=max_concurrency)
        uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)

    @app.command()
    def mcp(ctx: typer.Context) -> None:
        """Serve `search` and `ask` as MCP tools over stdio (for AI agents)."""
        from medcite.api import mcp as mcp_server

        _build_index_first(ctx)  # progress goes to stderr: stdout belongs to the protocol
        mcp_server.run(settings_of(ctx))
