"""The ``open-medicine`` package's guideline summaries (MIT): the embedded default corpus.

The package holds ``guidelines/registry.json`` (id, title, doi, year, organization, topics,
sections) and ``guidelines/content/<id>/<section>.md``. One Document per registry entry; each
section file contributes blocks whose heading path starts with that file's H1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from medcite.errors import SourceError
from medcite.records import Audience, Block, Document, SourceType
from medcite.sources._input import Input
from medcite.sources._markdown import markdown_blocks
from medcite.sources._registry import BaseReader
from medcite.sources._text import clean

LICENCE = "MIT (open-medicine package)"
PACKAGE = "open_medicine"


def package_guidelines() -> Traversable:
    """The installed package's ``guidelines`` folder (raises SourceError when not installed)."""
    try:
        return resources.files(PACKAGE) / "guidelines"
    except ModuleNotFoundError as exc:
        raise SourceError(
            PACKAGE, "the open-medicine package is not installed", hint="pip install open-medicine"
        ) from exc


class OpenMedicineReader(BaseReader):
    """Reads an open-medicine ``guidelines`` folder (registry.json + content/)."""

    name = "open-medicine"
    description = "open-medicine package: 43 guideline summaries with DOIs (Markdown, installed from PyPI)"
    licence = LICENCE
    folder_format = True

    def detect(self, path: Path) -> bool:
        return _tree(path) is not None

    def detect_input(self, inp: Input) -> bool:
        return False  # needs its registry and content folder side by side, not single files

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        yield inp.error("open-medicine guidelines are read from their folder, not file by file")

    def read(self, path: Path) -> Iterator[Document | SourceError]:
        """Read a guidelines folder, its registry.json, or a package folder holding ``guidelines/``."""
        tree = _tree(path)
        if tree is None:
            yield SourceError(str(path), "not an open-medicine guidelines folder (registry.json + content/)")
            return
        yield from self.read_tree(tree)

    def read_tree(self, tree: Traversable) -> Iterator[Document | SourceError]:
        """Read a guidelines folder given as a Path or an importlib.resources Traversable."""
        registry = tree / "registry.json"
        try:
            entries = json.loads(registry.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            yield SourceError(str(registry), f"cannot read the open-medicine registry ({exc})")
            return
        if not isinstance(entries, list):
            yield SourceError(str(registry), "registry.json is not a list of guidelines")
            return
        for entry in entries:
            if isinstance(entry, dict) and entry.get("id"):
                yield from _guideline(tree, entry)
            else:
                yield SourceError(str(registry), "registry entry without an id")


def _tree(path: Path) -> Path | None:
    for folder in (path.parent if path.name == "registry.json" else path, path / "guidelines"):
        if (folder / "registry.json").is_file() and (folder / "content").is_dir():
            return folder
    return None


def _guideline(tree: Traversable, entry: dict[str, Any]) -> Iterator[Document | SourceError]:
    gid = str(entry["id"])
    folder = tree / "content" / gid
    blocks: list[Block] = []
    for section in entry.get("sections") or []:
        file = folder / f"{section}.md"
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            yield SourceError(str(file), f"cannot read guideline section ({exc.__class__.__name__})")
            continue
        blocks.extend(markdown_blocks(text, mode="guideline")[1])
    if not blocks:
        yield SourceError(str(folder), "guideline has no readable sections")
        return
    doi = clean(str(entry.get("doi") or "")) or None
    year = entry.get("year")
    yield Document(
        id=f"open-medicine:{gid}",
        source="open-medicine",
        title=clean(str(entry.get("title") or gid)),
        source_type=SourceType.GUIDELINE,
        blocks=blocks,
        audience=Audience.CLINICIAN,
        organisation=clean(str(entry.get("organization") or "")) or None,
        year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
        published=str(year) if year else None,
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else None,
        native_id=gid,
        licence=LICENCE,
        origin=str(folder),
        extra={
            key: entry[key]
            for key in ("topics", "sections", "supersedes", "superseded_by", "related_calculators")
            if entry.get(key) is not None
        },
    )
