"""Readers: every supported format in, ``medcite.records.Document`` (with full provenance) out.

Public contract (other stages code against it):

- :class:`Reader` — ``name``, ``description``, ``licence``, ``detect(path)``, ``read(path)``; ``read``
  yields a Document per record and a ``SourceError`` per bad file or record, and keeps going.
- :func:`register`, :func:`readers`, :func:`get_reader` — the registry. Built-in readers are
  registered below exactly as a third-party one would be (or through the ``medcite.sources``
  entry-point group).
- :func:`read_target` — a named source ("open-medicine", "ngc", "uspstf", "medquad", "pubmed",
  "pubmedqa", "evidence-inference", "shared") or a file, folder or .zip/.tar/.tar.gz archive.
- :func:`named_sources` — name -> description, for CLI help.
"""

from __future__ import annotations

from medcite.sources._input import MAX_FILE_BYTES, Input
from medcite.sources._registry import BaseReader, Reader, StreamReader, get_reader, readers, register
from medcite.sources._targets import SHARED, named_sources, read_path, read_target
from medcite.sources.evidence_inference import EvidenceInferenceReader
from medcite.sources.files import HtmlReader, MarkdownReader, PdfReader, TextReader
from medcite.sources.medquad import MedQuadReader
from medcite.sources.ngc import NgcReader
from medcite.sources.open_medicine import OpenMedicineReader
from medcite.sources.pubmed import PubMedReader
from medcite.sources.pubmedqa import PubMedQAReader
from medcite.sources.uspstf import UspstfReader

__all__ = [
    "MAX_FILE_BYTES",
    "SHARED",
    "BaseReader",
    "EvidenceInferenceReader",
    "HtmlReader",
    "Input",
    "MarkdownReader",
    "MedQuadReader",
    "NgcReader",
    "OpenMedicineReader",
    "PdfReader",
    "PubMedQAReader",
    "PubMedReader",
    "Reader",
    "StreamReader",
    "TextReader",
    "UspstfReader",
    "get_reader",
    "named_sources",
    "read_path",
    "read_target",
    "readers",
    "register",
]

# Detection tries readers in this order: specific corpus formats first, generic user files last.
for _reader in (
    OpenMedicineReader(),
    NgcReader(),
    MedQuadReader(),
    PubMedReader(),
    UspstfReader(),
    PubMedQAReader(),
    EvidenceInferenceReader(),
    PdfReader(),
    HtmlReader(),
    MarkdownReader(),
    TextReader(),
):
    register(_reader)
