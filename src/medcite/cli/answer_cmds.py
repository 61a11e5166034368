"""`medcite ask`."""

from __future__ import annotations

import typer
from rich.console import Console

from medcite.answer.render import to_json_text, to_markdown, to_terminal
from medcite.cli import settings_of
from medcite.cli.index_cmds import ensure_index, parse_filters
from medcite.engine import Medcite
from medcite.errors import InvalidInput
from medcite.records import Audience

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def ask(
        ctx: typer.Context,
        question: str = typer.Argument(..., help="A clinical question."),
        audience: str = typer.Option("clinician", "--audience", help="clinician, patient or student."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
        as_markdown: bool = typer.Option(False, "--markdown", help="Print the answer as Markdown."),
        type_: list[str] = typer.Option(None, "--type", help="Only cite these source types (repeatable)."),
        source: list[str] = typer.Option(None, "--source", help="Only cite these collections (repeatable)."),
        composer: str | None = typer.Option(None, "--composer", help="extractive (default), openai or gguf."),
    ) -> None:
        """Answer a question: bottom line, sections, checked citations, typed references."""
        settings = settings_of(ctx)
        if composer:
            settings.answer.composer = composer
        try:
            aud = Audience(audience)
        except ValueError:
            raise InvalidInput(f"unknown audience {audience!r}", hint="clinician, patient or student") from None
        mc = Medcite(settings)
        ensure_index(mc)
        filters = parse_filters(type_, source, None, None, None, None)
        answer = mc.ask(question, audience=aud, filters=filters)
        if as_json:
            print(to_json_text(answer))
        elif as_markdown:
            print(to_markdown(answer))
        else:
            out.print(to_terminal(answer))
