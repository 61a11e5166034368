"""Guideline readers on small invented fixtures: NGC summaries, an open-medicine tree, USPSTF JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.errors import SourceError
from medcite.records import Audience, BlockKind, Document, SourceType
from medcite.sources import NgcReader, OpenMedicineReader, UspstfReader, read_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def split(items: list[Document | SourceError]) -> tuple[list[Document], list[SourceError]]:
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, SourceError)]
    return docs, errors


@pytest.fixture(scope="module")
def ngc() -> tuple[list[Document], list[SourceError]]:
    return split(list(NgcReader().read(FIXTURES / "ngc")))


def test_ngc_document_provenance(ngc: tuple[list[Document], list[SourceError]]) -> None:
    docs, _ = ngc
    [doc] = docs
    assert doc.id == "ngc:90001"
    assert doc.source == "ngc"
    assert doc.native_id == "90001"
    assert doc.title == "Palpitations in adults: assessment and first-line management"
    assert doc.organisation == "Example College of Cardiology (ECC)"
    assert (doc.year, doc.published) == (2015, "2015 Mar")
    assert doc.source_type == SourceType.GUIDELINE
    assert doc.audience == Audience.CLINICIAN
    assert doc.url == "https://guidelines.example.org/palpitations"
    assert doc.licence is not None and doc.licence.startswith("NGC summary (AHRQ)")
    assert doc.origin is not None and doc.origin.endswith("ngc-90001.xml")
    assert doc.extra["developer"] == ["Example Heart Group"]
    assert doc.extra["specialty"] == ["Cardiology", "Family Practice"]
    assert doc.extra["intended_users"] == ["Physicians"]
    assert doc.extra["disease_condition"] == "Palpitations"
    assert "Springfield (XY)" in doc.extra["citation"]
    assert doc.extra["status"] == "Current version of this invented guideline."


def test_ngc_recommendations_keep_structure_and_gradings(
    ngc: tuple[list[Document], list[SourceError]],
) -> None:
    doc = ngc[0][0]
    recs = [b for b in doc.blocks if b.heading_path[:1] in (("Assessment",), ("Treatment",))]
    by_text = {b.text: b for b in recs}
    first = by_text[
        "Measure resting heart rate and blood pressure at the first visit for every adult presenting "
        "with palpitations (Strong recommendation, moderate-quality evidence)."
    ]
    assert first.heading_path == ("Assessment", "Initial Evaluation")
    assert first.kind == BlockKind.RECOMMENDATION
    assert first.evidence == "Strong recommendation, moderate-quality evidence"
    lead_in = by_text[
        "Consider ambulatory monitoring when:\n- Symptoms occur at least weekly\n"
        "- The resting electrocardiogram is normal"
    ]
    assert lead_in.kind == BlockKind.RECOMMENDATION
    mojibake_fixed = by_text["Ask about the patient’s caffeine intake and record it in the notes [A]."]
    assert mojibake_fixed.evidence == "A"
    graded_line = by_text["Advise a gradual reduction in caffeine over two weeks (Level of Evidence: B). (Grade C)"]
    assert graded_line.heading_path == ("Treatment", "Lifestyle")
    assert graded_line.evidence == "Level of Evidence: B; Grade C"
    assert by_text["Offer a beta-blocker trial only after the review described above, Grade B."].evidence == "Grade B"
    table = [b for b in recs if b.kind == BlockKind.TABLE]
    assert [b.text for b in table] == ["Examplol: 12.5 mg twice daily", "Samplodipine: 2.5 mg once daily"]
    assert table[0].heading_path == ("Treatment", "Medicines")


def test_ngc_editorial_notes_and_definitions_tail_stay_out_of_blocks(
    ngc: tuple[list[Document], list[SourceError]],
) -> None:
    doc = ngc[0][0]
    text = "\n".join(b.text + " " + " ".join(b.heading_path) for b in doc.blocks)
    assert "National Guideline Clearinghouse" not in text
    assert '"Major Recommendations" field' not in text
    assert "Definitions" not in text
    assert "benefits clearly outweigh the harms" not in text
    scheme = doc.extra["rating_scheme"]
    assert scheme["definitions"].startswith("Definitions\nStrength of Recommendation")
    assert "consistent evidence from randomised trials" in scheme["definitions"]
    assert scheme["evidence"] == "Level A: randomised trials\nLevel B: observational studies"
    assert scheme["recommendations"] == "Strong: benefits clearly outweigh harms"


def test_ngc_clinical_fields_are_blocks_under_their_field_name(
    ngc: tuple[list[Document], list[SourceError]],
) -> None:
    doc = ngc[0][0]
    firsts = [b.heading_path[0] for b in doc.blocks]
    for name in (
        "Clinical Algorithm(s)",
        "Disease/Condition(s)",
        "Guideline Objective(s)",
        "Target Population",
        "Interventions and Practices Considered",
        "Potential Benefits",
        "Potential Harms",
        "Contraindications",
    ):
        assert name in firsts
    contraindication = next(b for b in doc.blocks if b.heading_path == ("Contraindications",))
    assert contraindication.text == "Beta-blockers are contraindicated in severe asthma."
    assert contraindication.kind == BlockKind.PARAGRAPH
    assert not any(h.startswith("Rating Scheme") for b in doc.blocks for h in b.heading_path)


def test_ngc_non_guideline_file_is_a_counted_error(ngc: tuple[list[Document], list[SourceError]]) -> None:
    [error] = ngc[1]
    assert error.reason == "not a guideline summary"
    assert error.path.endswith("ngc-90002.xml")


def test_ngc_detection_uses_name_or_content() -> None:
    reader = NgcReader()
    assert reader.detect(FIXTURES / "ngc" / "summaries" / "ngc-90001.xml")
    assert reader.detect(FIXTURES / "ngc")
    assert not reader.detect(FIXTURES / "pubmed" / "efetch-sample.xml")


def test_open_medicine_tree_one_document_per_registry_entry() -> None:
    docs, errors = split(list(OpenMedicineReader().read(FIXTURES / "open_medicine" / "guidelines")))
    [doc] = docs
    assert doc.id == "open-medicine:ecc_palpitations_2015"
    assert doc.source == "open-medicine"
    assert (doc.title, doc.organisation, doc.year) == ("2015 ECC Guideline for Palpitations", "ECC", 2015)
    assert doc.doi == "10.9999/ecc.2015.1"
    assert doc.url == "https://doi.org/10.9999/ecc.2015.1"
    assert doc.licence == "MIT (open-medicine package)"
    assert doc.extra["topics"] == ["palpitations", "caffeine"]
    first = doc.blocks[0]
    assert first.heading_path == ("Assessment of Palpitations — ECC 2015", "Initial Tests")
    assert first.kind == BlockKind.RECOMMENDATION
    assert [b.evidence for b in doc.blocks[:2]] == ["Strong, High", "Conditional, Moderate"]
    assert doc.blocks[2].text == "Holter: Daily symptoms"
    # the registry names a section file that does not exist: reported, the rest still read
    [error] = errors
    assert error.path.endswith("missing_section.md")


def test_open_medicine_folder_is_read_as_one_unit() -> None:
    for target in (FIXTURES / "open_medicine", FIXTURES / "open_medicine" / "guidelines"):
        docs, errors = split(list(read_path(target)))
        assert [d.id for d in docs] == ["open-medicine:ecc_palpitations_2015"]
        assert [Path(e.path).name for e in errors] == ["missing_section.md"]


def test_uspstf_one_document_per_recommendation() -> None:
    path = FIXTURES / "uspstf" / "working-guidlines.json"
    assert UspstfReader().detect(path)
    docs, errors = split(list(UspstfReader().read(path)))
    assert errors == []
    first, second = docs
    assert first.id == "uspstf:9001"
    assert first.title == "Palpitations: Screening -- Adults aged 40 years or older"
    assert first.evidence == "Grade B"
    assert first.organisation == "U.S. Preventive Services Task Force (USPSTF)"
    assert first.url == "https://www.uspreventiveservicestaskforce.org/"
    assert first.licence == "US government work (public domain)"
    assert first.extra["grade"] == "B"
    assert first.extra["sex"] == "men and women"
    assert first.extra["ageRange"] == [40, 100]
    assert first.extra["servFreq"] == "Ask at every routine visit."
    assert first.extra["riskText"] == "Adults who drink more than 4 cups of coffee a day are at increased risk."
    rec, risk, freq = first.blocks
    assert rec.kind == BlockKind.RECOMMENDATION
    assert rec.evidence == "USPSTF grade B"
    assert "<br>" not in rec.text and "routine visits. See the Clinical Considerations" in rec.text
    assert risk.heading_path[-1] == "Risk assessment"
    assert freq.text == "Ask at every routine visit."
    assert second.evidence == "Grade I"
    assert len(second.blocks) == 1
