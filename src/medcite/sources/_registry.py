"""The Reader protocol, the reader registry, and the base class built-in readers share.

A reader turns one format into Documents. Third-party readers need only the :class:`Reader`
protocol (``name``, ``description``, ``licence``, ``detect(path)``, ``read(path)``) and a call to
:func:`register` (or an entry point in the ``medcite.sources`` group). Readers that can also read
archive members and in-memory files implement :class:`StreamReader`; the built-ins do, through
:class:`BaseReader`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from medcite.errors import SourceError, UnsupportedFormat
from medcite.records import Document
from medcite.sources._input import Input

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "medcite.sources"


@runtime_checkable
class Reader(Protocol):
    """Reads one format into Documents.

    ``detect`` must be cheap (file name and first bytes; for a directory, whether it looks like
    this format). ``read`` yields a Document per record and a SourceError per bad file or record
    instead of raising, and keeps going.
    """

    name: str
    description: str
    licence: str

    def detect(self, path: Path) -> bool: ...

    def read(self, path: Path) -> Iterator[Document | SourceError]: ...


@runtime_checkable
class StreamReader(Reader, Protocol):
    """A Reader that can also read an :class:`Input` (archive member, in-memory bytes)."""

    def detect_input(self, inp: Input) -> bool: ...

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]: ...


class BaseReader:
    """Shared plumbing: ``detect``/``read`` on paths are defined through ``detect_input``/``read_input``.

    Subclasses set ``name``, ``description``, ``licence`` and implement the two ``*_input`` methods.
    ``corpus`` readers (NGC, MedQuAD) may claim a whole folder or archive: when most of the first
    files detect as theirs, everything in it is read by them alone. ``folder_format`` readers
    (open-medicine) read a folder as one unit and are asked ``detect(folder)`` first.
    """

    name: str = ""
    description: str = ""
    licence: str = ""
    corpus: ClassVar[bool] = False
    folder_format: ClassVar[bool] = False

    def detect_input(self, inp: Input) -> bool:
        raise NotImplementedError

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        raise NotImplementedError

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            sample = [p for p, _ in zip(walk_files(path), range(25), strict=False)]
            hits = sum(self.detect_input(Input.from_path(p, name=p.relative_to(path).as_posix())) for p in sample)
            return bool(sample) and hits * 2 > len(sample)
        return path.is_file() and self.detect_input(Input.from_path(path))

    def read(self, path: Path) -> Iterator[Document | SourceError]:
        """Read a file, or every file under a directory that this reader detects."""
        if not path.is_dir():
            yield from self.read_checked(Input.from_path(path))
            return
        for file in walk_files(path):
            inp = Input.from_path(file, name=file.relative_to(path).as_posix(), collection=path.name)
            if self.detect_input(inp):
                yield from self.read_checked(inp)

    def read_checked(self, inp: Input) -> Iterator[Document | SourceError]:
        """``read_input`` behind the shared size/empty checks; what it raises is yielded as a SourceError."""
        problem = inp.check()
        if problem is not None:
            yield problem
            return
        try:
            yield from self.read_input(inp)
        except SourceError as exc:
            yield exc
        except Exception as exc:  # the contract: report the file and keep the batch going
            log.exception("reader %s failed on %s", self.name, inp.origin)
            yield inp.error(f"reader '{self.name}' failed ({exc.__class__.__name__}: {exc})")


def walk_files(root: Path) -> Iterator[Path]:
    """Files under ``root`` in a stable order, skipping hidden files and folders."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


_REGISTRY: dict[str, Reader] = {}
_entry_points_loaded = False


def register(reader: Reader) -> Reader:
    """Add a reader under its name; re-registering a name replaces that reader in place.

    Format detection tries readers in registration order, so specific formats go before generic ones.
    """
    if not getattr(reader, "name", ""):
        raise ValueError("a reader needs a non-empty name")
    _REGISTRY[reader.name] = reader
    return reader


def readers() -> list[Reader]:
    """Registered readers in registration order (the order format detection tries them)."""
    _load_entry_points()
    return list(_REGISTRY.values())


def get_reader(name: str) -> Reader:
    """The reader registered as ``name``; raises UnsupportedFormat listing the known names."""
    _load_entry_points()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnsupportedFormat(name, "no reader of that name", hint=f"known readers: {known}") from None


def _load_entry_points() -> None:
    """Register readers that installed packages declare in the ``medcite.sources`` group (once)."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            register(obj() if isinstance(obj, type) else obj)
        except Exception:  # a broken plugin must not take the built-in readers down with it
            log.exception("could not load reader plugin %s", ep.name)
