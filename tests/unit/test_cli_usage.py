"""Every command's usage errors (issue 9, item 10): an unknown option, a missing argument and an
unknown command print click's usage line, the hint and the error, and exit 2, never a traceback.

The commands are enumerated from the typer app itself, so a new command is covered on arrival.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from medcite.cli import _register, app, main

_register()
ROOT = get_command(app)


def _leaves(group: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    commands = getattr(group, "commands", None)
    if not commands:
        return [(path, group)]
    out = []
    for name, cmd in sorted(commands.items()):
        out += _leaves(cmd, (*path, name))
    return out


COMMANDS = _leaves(ROOT)
WITH_ARGUMENTS = [
    (path, cmd)
    for path, cmd in COMMANDS
    if any(type(p).__name__.endswith("Argument") and p.required for p in cmd.params)  # type: ignore[attr-defined]
]


def _run(args: list[str], home: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["--home", str(home), *args])
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out + captured.err


def test_the_app_has_the_commands_the_readme_lists() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"ask", "search", "ingest", "serve", "mcp", "review save", "users add", "eval privacy"} <= names
    assert len(WITH_ARGUMENTS) >= 10


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) for p, _ in COMMANDS])
def test_an_unknown_option_is_a_usage_error(
    path: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run([*path, "--no-such-option"], tmp_path, capsys)
    assert code == 2, out
    assert "Traceback" not in out
    assert f"Usage: medcite {' '.join(path)}" in out and "No such option: --no-such-option" in out
    assert f"Try 'medcite {' '.join(path)} --help' for help." in out


@pytest.mark.parametrize("path", [p for p, _ in WITH_ARGUMENTS], ids=[" ".join(p) for p, _ in WITH_ARGUMENTS])
def test_a_missing_argument_is_a_usage_error(
    path: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(list(path), tmp_path, capsys)
    assert code == 2, out
    assert "Traceback" not in out and "Missing argument" in out and f"Usage: medcite {' '.join(path)}" in out


def test_an_unknown_command_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["nosuchcmd"], tmp_path, capsys)
    assert code == 2 and "No such command 'nosuchcmd'" in out and "Traceback" not in out
    code, out = _run(["review", "nosuchcmd"], tmp_path, capsys)
    assert code == 2 and "No such command 'nosuchcmd'" in out


@pytest.mark.parametrize(
    "args",
    [["ask", "--foo"], ["search"], ["nosuchcmd"], ["review", "save", "What is gout?", "--as", "ed"]],
    ids=["ask --foo", "search", "nosuchcmd", "review save --as"],
)
def test_the_console_script_prints_usage_not_a_traceback(args: list[str], tmp_path: Path) -> None:
    """The issue's four examples, through the real entry point in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", "from medcite.cli import main; main()", "--home", str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.startswith("Usage: medcite")
    assert "Try 'medcite" in done.stderr and "Error:" in done.stderr
