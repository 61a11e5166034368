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
import stat
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path, PurePosixPath
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
            hits = sum(
                self.detect_input(Input.from_path(p, name=p.relative_to(path).as_posix(), pinned=True)) for p in sample
            )
            return bool(sample) and hits * 2 > len(sample)
        return path.is_file() and self.detect_input(Input.from_path(path))

    def read(self, path: Path) -> Iterator[Document | SourceError]:
        """Read a file, or every file under a directory that this reader detects."""
        if not path.is_dir():
            yield from self.read_checked(Input.from_path(path))
            return
        for entry in walk_entries(path):
            if isinstance(entry, SourceError):
                yield entry
                continue
            inp = Input.from_path(entry, name=entry.relative_to(path).as_posix(), collection=path.name, pinned=True)
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
    """Regular files under ``root`` in a stable order, skipping hidden files and folders, links and
    special files (see :func:`walk_entries`, which also reports what it skips)."""
    for entry in walk_entries(root):
        if isinstance(entry, Path):
            yield entry


def walk_entries(root: Path) -> Iterator[Path | SourceError]:
    """Regular files under ``root`` in a stable order, and a SourceError for each link or special file.

    Hidden files and folders are skipped silently. Symbolic links are never followed, to files or
    to folders: one pointing out of ``root`` (``passwd.txt -> /etc/passwd``) is refused and reported,
    as links inside archives are; one pointing inside ``root`` is reported as not followed, since
    its target is read under its own name anyway (following it would index the same text twice).
    FIFOs, sockets and devices are reported unopened (reading a FIFO would block the ingest).
    ``root`` itself may be a link: the user named it.
    """
    base = Path(os.path.realpath(root))
    for folder, dirs, files in os.walk(root):  # followlinks=False: a linked folder is listed, never entered
        here = Path(folder)
        linked = {d for d in dirs if (here / d).is_symlink()}
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        for name in sorted([*files, *linked]):
            if name.startswith("."):
                continue
            path = here / name
            try:
                mode = path.lstat().st_mode
            except OSError as exc:
                yield SourceError(str(path), f"cannot read file ({exc.strerror})")
                continue
            if stat.S_ISREG(mode):
                yield path
            elif stat.S_ISLNK(mode):
                yield SourceError(str(path), _link_reason(path, base))
            else:
                yield SourceError(str(path), f"not a regular file ({_special_kind(mode)}): skipped")


def _link_reason(link: Path, base: Path) -> str:
    target = Path(os.path.realpath(link))
    if not target.exists():
        return f"broken symbolic link (it points to {os.readlink(link)}): skipped"
    if not target.is_relative_to(base):
        return f"symbolic link out of the ingested folder refused (it points to {target})"
    inside = target.relative_to(base).as_posix()
    if any(part.startswith(".") for part in PurePosixPath(inside).parts):
        return "symbolic link not followed: it points to a hidden file or folder inside the ingested folder"
    return f"symbolic link not followed: its target {inside} is read under its own name"


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode) or stat.S_ISCHR(mode):
        return "a device"
    return "not a file or folder"


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
