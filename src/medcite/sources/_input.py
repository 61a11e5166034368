"""One input file, wherever it lives: on disk, inside a zip/tar archive, or in memory.

Readers work on :class:`Input` so the same code reads ``summaries/ngc-1.xml`` from a folder or
straight out of a ``.tar.gz`` without extracting anything to disk. The size cap and the
binary/empty checks live here, once, so every reader refuses bad files the same way.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from medcite.errors import SourceError

#: Files (or archive members, or decompressed .gz content) larger than this are refused.
MAX_FILE_BYTES = 100 * 1024 * 1024

HEAD_BYTES = 8192


@dataclass
class Input:
    """A named byte source.

    ``name`` is the path relative to the target (posix, used for user-file ids), ``origin`` the
    human-readable location ("corpus.zip!notes/a.md"), ``collection`` the source name for user files.
    """

    name: str
    origin: str
    collection: str
    opener: Callable[[], BinaryIO]
    size: int | None = None
    _head: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_path(
        cls, path: Path, *, name: str | None = None, collection: str | None = None, pinned: bool = False
    ) -> Input:
        """A file on disk. ``pinned`` (files found by walking a folder): the file is opened without
        following a link, and only if it is still the very file (device and inode) seen now, so a
        file swapped for a link to ``/etc/passwd`` between the walk and the read is refused."""
        try:
            info = path.lstat() if pinned else path.stat()
            size: int | None = info.st_size
        except OSError:
            info, size = None, None
        opener: Callable[[], BinaryIO] = partial(_open_plain, path)
        if pinned and info is not None:
            opener = partial(_open_pinned, path, (info.st_dev, info.st_ino))
        return cls(
            name=name or path.name,
            origin=str(path),
            collection=collection or stem(path.name),
            opener=opener,
            size=size,
        )

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str, origin: str, collection: str) -> Input:
        return cls(name=name, origin=origin, collection=collection, opener=lambda: io.BytesIO(data), size=len(data))

    @property
    def suffix(self) -> str:
        """Lower-case extension without a trailing '.gz' ("ngc-1.xml.gz" -> ".xml")."""
        name = self.name.lower()
        if name.endswith(".gz"):
            name = name[:-3]
        return PurePosixPath(name).suffix

    @property
    def gzipped(self) -> bool:
        return self.name.lower().endswith(".gz")

    def error(self, reason: str, *, hint: str | None = None) -> SourceError:
        return SourceError(self.origin, reason, hint=hint)

    def open(self) -> BinaryIO:
        """The content stream, decompressed when the name ends in .gz."""
        raw = self.opener()
        if self.gzipped:
            return _GzipStream(raw)  # type: ignore[return-value]
        return raw

    def head(self) -> bytes:
        """The first bytes of the (decompressed) content, for cheap format detection."""
        if self._head is None:
            try:
                with self.open() as stream:
                    self._head = stream.read(HEAD_BYTES)
            except (OSError, EOFError, ValueError, RuntimeError, zlib.error):
                self._head = b""  # unreadable: no reader detects it, and the error surfaces on read
        return self._head

    def check(self) -> SourceError | None:
        """The reason this input cannot be read at all (too big, empty), or None."""
        if self.size is not None and self.size > MAX_FILE_BYTES:
            return self.error(f"file too large ({self.size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        if self.size == 0:
            return self.error("empty file")
        return None

    def read_bytes(self) -> bytes:
        """The whole (decompressed) content, refused past MAX_FILE_BYTES. Raises SourceError."""
        try:
            with self.open() as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except _Swapped as exc:
            raise self.error(f"the file {exc}") from exc
        except (OSError, EOFError, ValueError, RuntimeError, zlib.error, zipfile.BadZipFile) as exc:
            raise self.error(f"cannot read file ({exc.__class__.__name__}: {exc})") from exc
        if len(data) > MAX_FILE_BYTES:
            raise self.error(f"content too large (over {MAX_FILE_BYTES:,} bytes)")
        if not data.strip():
            raise self.error("empty file")
        return data

    def read_text(self) -> str:
        """Decoded text; binary or undecodable content raises SourceError."""
        return decode(self.read_bytes(), self)


class _Swapped(OSError):
    """The file at a walked path is no longer the file the walk saw."""


def _open_plain(path: Path) -> BinaryIO:
    return path.open("rb")


def _open_pinned(path: Path, identity: tuple[int, int]) -> BinaryIO:
    # O_NOFOLLOW: a link in the file's place is not opened; O_NONBLOCK: nor does a FIFO block us.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise _Swapped(f"changed while it was being read ({exc.strerror})") from exc
    info = os.fstat(fd)
    if (info.st_dev, info.st_ino) != identity or not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise _Swapped("changed while it was being read (it is no longer the file that was listed)")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


class _GzipStream(gzip.GzipFile):
    """GzipFile that also closes the stream underneath it (GzipFile leaves it open)."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (NUL or many control bytes), or None when it may be text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in data:
        return "binary content (NUL bytes), not text"
    sample = data[:HEAD_BYTES]
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f")
    if sample and controls / len(sample) > 0.01:
        return "binary content (control bytes), not text"
    return None


def decode(data: bytes, inp: Input) -> str:
    """Decode bytes as UTF-8 (BOM aware), else Windows-1252; binary or undecodable bytes are refused."""
    reason = binary_reason(data)
    if reason:
        raise inp.error(reason)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise inp.error("undecodable bytes (not UTF-8 or Windows-1252 text)") from exc


ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


def stem(name: str) -> str:
    """A file name without its extension(s): "corpus.tar.gz" -> "corpus", "notes.md" -> "notes"."""
    lowered = name.lower()
    for ext in (*ARCHIVE_SUFFIXES, ".gz"):
        if lowered.endswith(ext):
            return name[: -len(ext)]
    return PurePosixPath(name).stem or name
