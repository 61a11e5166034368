"""The readers on the real corpora: the shared NGC archive and the installed open-medicine package.

Skipped with a reason when the shared data folder (``../shared/data`` beside the repository) or
the package is absent; the shared data never goes into the repository.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from medcite.errors import SourceError
from medcite.records import Document, SourceType
from medcite.settings import Settings
from medcite.sources import read_target

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
NGC_ARCHIVE = SHARED_DATA / "ngc-guideline-summaries.tar.gz"


@pytest.mark.skipif(not NGC_ARCHIVE.is_file(), reason=f"shared NGC archive not found at {NGC_ARCHIVE}")
def test_real_ngc_archive() -> None:
    docs: dict[str, Document] = {}
    errors: Counter[str] = Counter()
    for item in read_target("ngc", Settings(shared_data=SHARED_DATA)):
        if isinstance(item, Document):
            docs[item.id] = item
        else:
            assert isinstance(item, SourceError)
            errors[item.reason] += 1
    assert len(docs) >= 1000
    assert all(d.source_type == SourceType.GUIDELINE and d.blocks for d in docs.values())
    back_pain = docs["ngc:11116"]
    assert "Low back pain and sciatica" in back_pain.title
    assert back_pain.organisation is not None and "NICE" in back_pain.organisation
    assert back_pain.year == 2016
    texts = " ".join(b.text for b in back_pain.blocks)
    assert "Do not offer acupuncture for managing low back pain" in texts
    assert "Interventions That Could Be Used" not in texts  # the definitions tail went to extra
    assert back_pain.extra["rating_scheme"]["definitions"]


@pytest.mark.skipif(importlib.util.find_spec("open_medicine") is None, reason="open-medicine package not installed")
def test_real_open_medicine_package() -> None:
    items = list(read_target("open-medicine", Settings()))
    docs = {d.id: d for d in items if isinstance(d, Document)}
    assert len(docs) == 43
    assert not [e for e in items if isinstance(e, SourceError)]
    gout = docs["open-medicine:acr_gout_2020"]
    assert gout.doi and gout.url == f"https://doi.org/{gout.doi}"
    assert any(b.evidence == "Strong, High" for b in gout.blocks)
    assert gout.blocks[0].heading_path[0].startswith("Urate-Lowering Therapy")
