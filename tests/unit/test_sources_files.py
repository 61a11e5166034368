"""User files: Markdown, HTML, plain text and PDF, read from a folder with ids relative to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.errors import SourceError
from medcite.records import BlockKind, Document, SourceType
from medcite.sources import PdfReader, read_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
NOTES = FIXTURES / "user" / "notes"


def make_pdf(lines: list[str], *, title: str | None = None) -> bytes:
    """A one-page PDF with a real text layer (Helvetica), built by hand so no binary is committed."""
    stream = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title:
        objects.append(f"<< /Title ({title}) >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    info = f" /Info {len(objects)} 0 R" if title else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.fixture(scope="module")
def notes() -> dict[str, Document]:
    items = list(read_path(NOTES))
    assert not [i for i in items if isinstance(i, SourceError)]
    return {d.id: d for d in items if isinstance(d, Document)}


def test_user_folder_ids_are_relative_to_the_target(notes: dict[str, Document]) -> None:
    assert sorted(notes) == ["file:notes/guide.md", "file:notes/page.html", "file:notes/plain.txt"]
    assert {d.source for d in notes.values()} == {"notes"}


def test_markdown_front_matter_makes_a_guideline(notes: dict[str, Document]) -> None:
    doc = notes["file:notes/guide.md"]
    assert doc.title == "Local palpitations pathway"
    assert doc.source_type == SourceType.GUIDELINE
    assert (doc.organisation, doc.year) == ("Example Community Hospital", 2021)
    graded, lead_in, row1, row2, follow_up, algorithm = doc.blocks
    assert graded.heading_path == ("Palpitations pathway", "First visit")
    assert (graded.kind, graded.evidence) == (BlockKind.RECOMMENDATION, "Strong, Moderate")
    assert lead_in.text == "Refer the same day when:\n- palpitations come with fainting\n- there is chest pain"
    assert lead_in.kind == BlockKind.RECOMMENDATION
    assert (row1.text, row1.kind) == ("Examplol: 12.5 mg twice daily", BlockKind.TABLE)
    assert row1.heading_path == ("Palpitations pathway", "First visit", "Starting doses")
    assert row2.text == "Samplodipine: 2.5 mg once daily"
    assert follow_up.text == "Review symptoms after four weeks."
    assert algorithm.text == "Palpitations\n  --> Fainting? --> YES --> same-day referral"


def test_html_drops_scripts_styles_and_navigation(notes: dict[str, Document]) -> None:
    doc = notes["file:notes/page.html"]
    assert doc.title == "Caffeine and the heart"
    assert doc.source_type == SourceType.OTHER
    texts = [b.text for b in doc.blocks]
    assert texts == [
        "Most adults can drink up to 400 mg of caffeine a day.",
        "Cut down if you notice:\n- a racing heart after coffee\n- trouble sleeping",
        "Drink: Coffee; Caffeine: 95 mg; Serving: 1 cup",
    ]
    assert doc.blocks[1].heading_path == ("Caffeine and the heart", "When to cut down")
    assert doc.blocks[1].kind == BlockKind.PARAGRAPH  # not a guideline: a lead-in list is plain text
    dumped = doc.model_dump_json()
    assert "secret" not in dumped and "navigation" not in dumped and "color" not in dumped


def test_plain_text_paragraphs_and_title_line(notes: dict[str, Document]) -> None:
    doc = notes["file:notes/plain.txt"]
    assert doc.title == "Palpitations diary"
    assert [b.text for b in doc.blocks] == [
        "Write down the time, what you were doing and how long the palpitations lasted.",
        "Bring the diary to your next appointment.",
    ]


def test_source_name_overrides_the_collection(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Type: guideline\n\nOffer fluids to every child with diarrhoea.\n")
    [doc] = list(read_path(tmp_path / "a.txt", source_name="ward-protocols"))
    assert isinstance(doc, Document)
    assert doc.id == "file:ward-protocols/a.txt"
    assert doc.source == "ward-protocols"
    assert doc.source_type == SourceType.GUIDELINE
    assert doc.title == "a"


def test_pdf_text_layer_and_metadata_title(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(make_pdf(["Palpitations are usually harmless.", "See a doctor if you faint."], title="Leaflet"))
    assert PdfReader().detect(path)
    [doc] = list(read_path(path))
    assert isinstance(doc, Document), doc
    assert doc.id == "file:leaflet/leaflet.pdf"
    assert doc.title == "Leaflet"
    assert doc.blocks[0].heading_path == ("Page 1",)
    assert "Palpitations are usually harmless." in doc.blocks[0].text
    assert "See a doctor if you faint." in doc.blocks[0].text


def test_pdf_without_text_and_broken_pdf_are_reported(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(make_pdf([]))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    errors = {Path(e.path).name: e.reason for e in read_path(tmp_path) if isinstance(e, SourceError)}
    assert errors["scan.pdf"] == "no text layer (scanned PDF?)"
    assert errors["broken.pdf"].startswith("unreadable PDF")
