"""`medcite review ...` (saved answers, editorial workflow, living answers) and `medcite users ...`.

The acting user is the owner of `--token` (or of the MEDCITE_TOKEN environment variable). The
commands only parse, call `medcite.review.Workflow` and print; refusals are MedciteErrors that the
CLI edge turns into a message, a hint and an exit code (403-like refusals exit 77, 409-like 75).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from medcite.cli import err, settings_of
from medcite.errors import AuthenticationRequired, InvalidInput
from medcite.records import Answer, AnswerStatus, Audience
from medcite.review import Workflow, render_text, unified
from medcite.review.edit import item_keys
from medcite.settings import Settings
from medcite.store import open_store
from medcite.store.base import AuditEvent, Role, SavedAnswer, User

if TYPE_CHECKING:
    from medcite.engine import Medcite

out = Console()
TOKEN_HELP = "Your API token (default: $MEDCITE_TOKEN); `medcite users token NAME` issues one."


def _token_option() -> Any:
    return typer.Option(None, "--token", envvar="MEDCITE_TOKEN", help=TOKEN_HELP, show_envvar=False)


@contextmanager
def session(ctx: typer.Context, token: str | None, *, required: bool = True) -> Iterator[tuple[Workflow, User | None]]:
    """Open the store, identify the acting user, and close the store afterwards."""
    store = open_store(settings_of(ctx))
    try:
        user = None
        if token:
            user = store.authenticate_token(token)
            if user is None:
                raise AuthenticationRequired(
                    "the token is not valid (or was revoked)",
                    hint="ask an admin for a new one: `medcite users token NAME`",
                )
        elif required:
            raise AuthenticationRequired("this command needs a user", hint="pass --token or set MEDCITE_TOKEN")
        yield Workflow(store), user
    finally:
        store.close()


def open_engine(settings: Settings) -> Medcite:
    """The engine, its index built on first use; tests replace this with a fake."""
    from medcite.cli.index_cmds import ensure_index
    from medcite.engine import Medcite

    mc = Medcite(settings)
    ensure_index(mc)
    return mc


def compose(settings: Settings, question: str, audience: Audience) -> Answer:
    """Ask the engine for a fresh answer."""
    mc = open_engine(settings)
    try:
        return mc.ask(question, audience=audience)
    finally:
        mc.close()


def _audience(value: str) -> Audience:
    try:
        return Audience(value)
    except ValueError:
        raise InvalidInput(f"unknown audience {value!r}", hint="clinician, patient or student") from None


def _role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown role {value!r}", hint=", ".join(r.value for r in Role)) from None


def _status(value: str | None) -> AnswerStatus | None:
    if value is None:
        return None
    try:
        return AnswerStatus(value.replace("-", "_"))
    except ValueError:
        raise InvalidInput(f"unknown status {value!r}", hint=", ".join(s.value for s in AnswerStatus)) from None


# -- printing -----------------------------------------------------------------------------
def _brief(saved: SavedAnswer) -> dict[str, Any]:
    return {
        "id": saved.id,
        "slug": saved.slug,
        "question": saved.question,
        "audience": saved.audience.value,
        "status": saved.status.value,
        "label": saved.answer.status_label,
        "version": saved.current_version,
        "approved_version": saved.approved_version,
        "assigned_to": saved.assigned_to,
        "submitted_by": saved.submitted_by,
        "stale": saved.stale,
        "stale_reason": saved.stale_reason,
        "awaiting_regeneration": saved.awaiting_regeneration,
    }


def _print_answers(rows: list[SavedAnswer], as_json: bool, title: str) -> None:
    if as_json:
        print(json.dumps([_brief(s) for s in rows], indent=2))
        return
    table = Table(title=f"{title} ({len(rows)})")
    for col in ("id", "status", "v", "assigned", "question", "note"):
        table.add_column(col)
    for s in rows:
        note = f"stale: {s.stale_reason}" if s.stale else s.answer.status_label
        table.add_row(s.id, s.status.value, str(s.current_version), s.assigned_to or "", s.question, note)
    out.print(table)


def _done(saved: SavedAnswer, what: str) -> None:
    out.print(
        f"[green]{what}[/] {saved.slug} ({saved.id}): now [bold]{saved.status.value}[/], "
        f"version {saved.current_version}" + (f", assigned to {saved.assigned_to}" if saved.assigned_to else "")
    )


def _print_answer(saved: SavedAnswer, answer: Answer, version: int) -> None:
    out.print(f"[bold]{saved.question}[/] [dim]({saved.audience.value}; {saved.id}; {saved.slug})[/]")
    out.print(
        f"status [bold]{saved.status.value}[/] — {saved.answer.status_label}; showing version {version} "
        f"of {saved.current_version}" + (f"; approved v{saved.approved_version}" if saved.approved_version else "")
    )
    if saved.stale:
        out.print(f"[yellow]stale:[/] {saved.stale_reason}")
    refs = {r.n: r for r in answer.references}
    out.print(f"\n[bold]Bottom line[/] {answer.bottom_line.text} {answer.bottom_line.citations}", highlight=False)
    current = None
    for key, (title, claim) in item_keys(answer).items():
        if title != current:
            out.print(f"\n[bold]{title}[/]")
            current = title
        cites = ", ".join(refs[n].doc_id for n in claim.citations if n in refs)
        out.print(f"  [cyan]{key}[/] {claim.text} [dim][{cites}][/]", highlight=False)
    out.print("\n[bold]References[/]")
    for r in answer.references:
        out.print(f"  [{r.n}] {r.title} — {r.type}, {r.year or 'n.d.'} [dim]({r.doc_id})[/]", highlight=False)
    for note in answer.notes:
        out.print(f"[dim]note:[/] {note}", highlight=False)


def _print_events(events: list[AuditEvent], as_json: bool) -> None:
    if as_json:
        print(json.dumps([e.model_dump(mode="json") for e in events], indent=2))
        return
    for e in events:
        mark = "[green]✓[/]" if e.allowed else "[red]refused[/]"
        move = f"{e.from_status or ''} → {e.to_status or ''}" if (e.from_status or e.to_status) else ""
        out.print(
            f"{e.seq:>5} {e.at:%Y-%m-%d %H:%M:%S} {e.actor or '-':<12} {e.action:<16} {mark} {move} "
            f"[dim]{e.detail or ''}[/]",
            highlight=False,
        )


# -- commands -----------------------------------------------------------------------------
def _review_commands(review: typer.Typer) -> None:
    @review.command("list")
    def list_(
        ctx: typer.Context,
        status: str | None = typer.Option(None, "--status", help="Only this status."),
        stale: bool = typer.Option(False, "--stale", help="Only stale answers."),
        queue: bool = typer.Option(False, "--queue", help="Only what awaits review (your queue)."),
        as_json: bool = typer.Option(False, "--json"),
        token: str | None = _token_option(),
    ) -> None:
        """Saved answers (editors, reviewers, admins)."""
        from medcite.review.rules import Action, require

        with session(ctx, token) as (wf, user):
            if queue:
                rows = wf.queue(user)
            else:
                require(user, Action.VIEW_DRAFTS)
                rows = wf.store.list_answers(status=_status(status), stale=True if stale else None, limit=1000)
            _print_answers(rows, as_json, "review queue" if queue else "saved answers")

    @review.command()
    def show(
        ctx: typer.Context,
        answer_id: str = typer.Argument(..., help="Answer id or slug."),
        version: int | None = typer.Option(None, "--version", help="Show this version (default: latest)."),
        as_json: bool = typer.Option(False, "--json"),
        token: str | None = _token_option(),
    ) -> None:
        """An answer with its items numbered S.I (what `review edit` takes)."""
        with session(ctx, token, required=False) as (wf, user):
            saved = wf.show(answer_id, user)
            answer = wf.store.version(saved.id, version).answer if version else saved.answer
            if as_json:
                print(json.dumps({**_brief(saved), "answer": answer.model_dump(mode="json")}, indent=2))
            else:
                _print_answer(saved, answer, version or saved.current_version)

    @review.command()
    def save(
        ctx: typer.Context,
        question: str = typer.Argument(..., help="The clinical question."),
        audience: str = typer.Option("clinician", "--audience", help="clinician, patient or student."),
        token: str | None = _token_option(),
    ) -> None:
        """Ask a question and save the answer as a draft."""
        from medcite.review.rules import Action, require

        with session(ctx, token) as (wf, user):
            require(user, Action.SAVE)  # before composing: a refusal should not cost an answer
            answer = compose(settings_of(ctx), question, _audience(audience))
            _done(wf.save(answer, user), "saved")


def _step_commands(review: typer.Typer) -> None:
    @review.command()
    def submit(
        ctx: typer.Context,
        answer_id: str,
        comment: str | None = typer.Option(None, "--comment"),
        token: str | None = _token_option(),
    ) -> None:
        """Submit a draft for review."""
        with session(ctx, token) as (wf, user):
            _done(wf.submit(answer_id, user, comment=comment), "submitted")

    @review.command()
    def assign(
        ctx: typer.Context,
        answer_id: str,
        to: str | None = typer.Option(None, "--to", help="Reviewer (default: yourself)."),
        token: str | None = _token_option(),
    ) -> None:
        """Assign a submitted answer to a reviewer; the review starts."""
        with session(ctx, token) as (wf, user):
            _done(wf.assign(answer_id, user, to), "assigned")

    @review.command()
    def reopen(
        ctx: typer.Context,
        answer_id: str,
        comment: str | None = typer.Option(None, "--comment"),
        token: str | None = _token_option(),
    ) -> None:
        """Take an approved or rejected answer back to draft for revision."""
        with session(ctx, token) as (wf, user):
            _done(wf.reopen(answer_id, user, comment=comment), "reopened")

    @review.command()
    def comment(
        ctx: typer.Context,
        answer_id: str,
        text: str = typer.Argument(..., help="The comment."),
        token: str | None = _token_option(),
    ) -> None:
        """Comment on the latest version."""
        with session(ctx, token) as (wf, user):
            _done(wf.comment(answer_id, user, text), "commented on")

    @review.command()
    def edit(
        ctx: typer.Context,
        answer_id: str,
        remove: list[str] = typer.Option(None, "--remove", help="Remove item S.I (repeatable)."),
        keep: list[str] = typer.Option(None, "--keep", help="Keep only these items S.I (repeatable)."),
        restore: list[str] = typer.Option(None, "--restore", help="Restore item vN:S.I of an earlier version."),
        note: str | None = typer.Option(None, "--note", help="Editor's note shown with the answer."),
        token: str | None = _token_option(),
    ) -> None:
        """Choose or remove evidence-backed items and add an editor's note (a new version)."""
        with session(ctx, token) as (wf, user):
            saved = wf.edit(answer_id, user, remove=remove or [], keep=keep or None, restore=restore or [], note=note)
            _done(saved, "edited")


def _judging_commands(review: typer.Typer) -> None:
    @review.command()
    def approve(
        ctx: typer.Context,
        answer_id: str,
        comment: str | None = typer.Option(None, "--comment"),
        token: str | None = _token_option(),
    ) -> None:
        """Approve the answer under review (its assigned reviewer only; never your own)."""
        with session(ctx, token) as (wf, user):
            _done(wf.approve(answer_id, user, comment=comment), "approved")

    @review.command("request-changes")
    def request_changes(
        ctx: typer.Context,
        answer_id: str,
        comment: str = typer.Option(..., "--comment", help="What should change, and why."),
        token: str | None = _token_option(),
    ) -> None:
        """Send the answer back to its editors with a comment."""
        with session(ctx, token) as (wf, user):
            _done(wf.request_changes(answer_id, user, comment), "changes requested for")

    @review.command()
    def reject(
        ctx: typer.Context,
        answer_id: str,
        comment: str = typer.Option(..., "--comment", help="Why it is rejected."),
        token: str | None = _token_option(),
    ) -> None:
        """Reject the answer under review."""
        with session(ctx, token) as (wf, user):
            _done(wf.reject(answer_id, user, comment), "rejected")


def _reading_commands(review: typer.Typer) -> None:
    @review.command()
    def diff(
        ctx: typer.Context,
        answer_id: str,
        from_version: int | None = typer.Option(None, "--from", help="Old version (default: approved/previous)."),
        to_version: int | None = typer.Option(None, "--to", help="New version (default: latest)."),
        as_json: bool = typer.Option(False, "--json"),
        token: str | None = _token_option(),
    ) -> None:
        """What changed between two versions: items and citations added, removed, changed."""
        with session(ctx, token) as (wf, user):
            d, old, new = wf.diff(answer_id, user, from_version=from_version, to_version=to_version)
            if as_json:
                print(json.dumps(d.model_dump(mode="json"), indent=2))
                return
            out.print(render_text(d), highlight=False)
            text = unified(old, new, from_label=f"v{d.from_version}", to_label=f"v{d.to_version}")
            if text:
                print("\n" + text)

    @review.command()
    def history(
        ctx: typer.Context,
        answer_id: str,
        as_json: bool = typer.Option(False, "--json"),
        token: str | None = _token_option(),
    ) -> None:
        """Every step and every refused attempt on an answer, oldest first."""
        with session(ctx, token) as (wf, user):
            _print_events(wf.history(answer_id, user), as_json)

    @review.command()
    def stale(
        ctx: typer.Context,
        regenerate: bool = typer.Option(False, "--regenerate", help="Regenerate them as new versions."),
        as_json: bool = typer.Option(False, "--json"),
        token: str | None = _token_option(),
    ) -> None:
        """Answers whose cited sources changed or were removed since they were saved."""
        from medcite.review.living import open_catalog

        with session(ctx, token) as (wf, user):
            catalog = open_catalog(settings_of(ctx))
            if catalog is not None:
                try:
                    marked = wf.sync_with_catalog(catalog)
                finally:
                    catalog.close()
                if marked:
                    err.print(f"[yellow]{len(marked)} answers newly marked stale[/]")
            if regenerate:
                _regenerate(ctx, wf, user)
            _print_answers(wf.stale(user), as_json, "stale answers")


def _regenerate(ctx: typer.Context, wf: Workflow, user: User | None) -> None:
    from medcite.review.living import check_regenerate

    check_regenerate(wf.store, user)  # refuse before loading the index and the models
    mc = open_engine(settings_of(ctx))
    try:
        for r in wf.regenerate_stale(mc, user):
            if r.error:
                err.print(f"[red]failed[/] {r.slug}: {r.error}")
            else:
                err.print(
                    f"regenerated {r.slug}: v{r.from_version} → "
                    f"{'v' + str(r.to_version) if r.to_version else 'unchanged'} ({r.summary}); "
                    f"now {r.status.value}"
                )
    finally:
        mc.close()


def _user_commands(users: typer.Typer) -> None:
    @users.command()
    def add(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="User name (lower case)."),
        role: str = typer.Option("reader", "--role", help="reader, editor, reviewer or admin."),
        token: str | None = _token_option(),
    ) -> None:
        """Add a user and print their first API token (shown once). The very first user needs no
        token and must be an admin."""
        with session(ctx, token, required=False) as (wf, actor):
            store, wanted = wf.store, _role(role)
            if store.count_users() == 0:
                if wanted != Role.ADMIN:
                    raise InvalidInput("the first user must be an admin", hint=f"medcite users add {name} --role admin")
                actor_name = None
            else:
                actor_name = _admin(wf, actor).name
            user = store.add_user(name, wanted, actor=actor_name)
            new_token = store.issue_token(user.name, actor=actor_name)
        err.print(f"[green]added[/] {user.name} ({user.role.value}); their token (shown once):")
        print(new_token)

    @users.command("token")
    def token_(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="User name."),
        revoke: bool = typer.Option(False, "--revoke", help="Revoke their tokens instead."),
        token: str | None = _token_option(),
    ) -> None:
        """Issue a new API token (admins for anyone, users for themselves), or revoke a user's tokens."""
        with session(ctx, token) as (wf, actor):
            assert actor is not None
            if revoke or actor.name != name.strip().lower():
                _admin(wf, actor)
            if revoke:
                n = wf.store.revoke_tokens(name, actor=actor.name)
                err.print(f"revoked {n} tokens of {name}")
                return
            new_token = wf.store.issue_token(name, actor=actor.name)
        err.print(f"new token for {name} (shown once):")
        print(new_token)

    @users.command("list")
    def list_(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json"), token: str | None = _token_option()
    ) -> None:
        """Users and their roles (admins)."""
        with session(ctx, token) as (wf, actor):
            _admin(wf, actor)
            rows = wf.store.list_users()
        if as_json:
            print(json.dumps([u.model_dump(mode="json") for u in rows], indent=2))
            return
        for u in rows:
            out.print(f"{u.name:<24} {u.role.value:<9} since {u.created_at:%Y-%m-%d}")


def _admin(wf: Workflow, actor: User | None) -> User:
    """The actor if they may manage users; a refusal is audited."""
    from medcite.errors import MedciteError
    from medcite.review.rules import Action, require

    try:
        return require(actor, Action.MANAGE_USERS)
    except MedciteError as exc:
        wf.store.record_refused(
            answer_id=None,
            actor=actor.name if actor else None,
            action="manage_users",
            from_status=None,
            to_status=None,
            detail=f"{exc.code}: {exc.message}",
        )
        raise


def register(app: typer.Typer) -> None:
    review = typer.Typer(help="Saved answers and editorial review.", no_args_is_help=True)
    users = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)
    _review_commands(review)
    _step_commands(review)
    _judging_commands(review)
    _reading_commands(review)
    _user_commands(users)
    app.add_typer(review, name="review")
    app.add_typer(users, name="users")
