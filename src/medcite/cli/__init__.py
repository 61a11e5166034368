"""Thin command-line edge. Each command group lives in its own module and only calls the library.

Errors from the library (`MedciteError`) become a red message, a hint and an exit code here,
and nowhere else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from medcite.errors import MedciteError
from medcite.settings import Settings

app = typer.Typer(
    name="medcite",
    help="Clinical answers with sentence-checked citations, offline by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)


@app.callback()
def _root(
    ctx: typer.Context,
    home: Path | None = typer.Option(
        None, "--home", envvar="MEDCITE_HOME", help="Index/data directory (default: the user data dir)."
    ),
) -> None:
    settings = Settings(home=home) if home else Settings()
    ctx.obj = settings


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


_registered = False


def _register() -> None:
    """Add every command group to `app` (once: `main` may run many times in one process)."""
    global _registered
    if _registered:
        return
    _registered = True
    from medcite.cli import answer_cmds, eval_cmds, index_cmds, review_cmds, serve_cmds

    index_cmds.register(app)
    answer_cmds.register(app)
    serve_cmds.register(app)
    review_cmds.register(app)
    eval_cmds.register(app)


def _usage_errors() -> tuple[type[Exception], ...]:
    """The click exception classes a bad command line raises. typer ≥ 0.20 vendors click as
    `typer._click`, so `click.ClickException` (if click is installed at all) is another class."""
    found: list[type[Exception]] = []
    try:
        from typer._click.exceptions import ClickException as Vendored
    except ImportError:  # an older typer: it uses click itself
        pass
    else:
        found.append(Vendored)
    try:
        import click
    except ImportError:
        pass
    else:
        found.append(click.ClickException)
    return tuple(found)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, turning medcite errors into exit codes.

    A usage error (unknown command or option, missing argument) prints click's usage line, the
    hint and the error, and exits 2, never a traceback.
    """
    _register()
    try:
        code = app(args=argv, prog_name="medcite", standalone_mode=False)
    except MedciteError as exc:
        err.print(f"[bold red]error:[/] {exc.message}")
        if exc.hint:
            err.print(f"[yellow]hint:[/] {exc.hint}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", None) if isinstance(exc, typer.Exit) else exc.code
        sys.exit(code or 0)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        usage = _usage_errors()
        if usage and isinstance(exc, usage):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        raise
    if isinstance(code, int) and code:  # a command's `raise typer.Exit(n)` comes back as its return value
        sys.exit(code)
