"""Consumer-health and research readers on invented fixtures.

MedQuAD, PubMed (baseline and efetch), PubMedQA and Evidence Inference.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from medcite.errors import SourceError
from medcite.records import Audience, BlockKind, Document, SourceType
from medcite.sources import EvidenceInferenceReader, MedQuadReader, PubMedQAReader, PubMedReader
from medcite.sources.pubmed import source_type_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def split(items: list[Document | SourceError]) -> tuple[list[Document], list[SourceError]]:
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, SourceError)]


def test_medquad_answers_become_blocks_and_questions_stay_out() -> None:
    docs, errors = split(list(MedQuadReader().read(FIXTURES / "medquad")))
    [doc] = docs
    assert doc.id == "medquad:GHR/0000001"
    assert doc.native_id == "0000001"
    assert doc.source == "medquad"
    assert doc.title == "Example rhythm syndrome"
    assert doc.url == "https://ghr.example.org/condition/example-rhythm-syndrome"
    assert doc.organisation == "Genetics Home Reference (NLM)"
    assert (doc.audience, doc.source_type) == (Audience.PATIENT, SourceType.CONSUMER_HEALTH)
    assert doc.licence == "CC BY 4.0 (MedQuAD); text from NIH websites"
    assert [(b.heading_path, b.text) for b in doc.blocks] == [
        (
            ("Example rhythm syndrome", "Overview"),
            "Example rhythm syndrome is an inherited condition that makes the heart beat irregularly. "
            "It usually starts in childhood.",
        ),
        (("Example rhythm syndrome", "Overview"), "Most people with the condition lead active lives."),
        (
            ("Example rhythm syndrome", "Treatment"),
            "These services help with the diagnosis or care of Example rhythm syndrome:\n"
            "- Heart rhythm clinics\n- Genetic counseling",
        ),
        (("Example rhythm syndrome", "Treatment"), "Regular follow-up with a cardiologist is recommended."),
    ]
    everything = " ".join([doc.title, *(b.text for b in doc.blocks), *(h for b in doc.blocks for h in b.heading_path)])
    for question in doc.extra["questions"]:
        assert question["question"] not in everything
        assert question["question"].rstrip(" ?") not in everything
    assert "?" not in everything  # the restated question opening the first answer was removed too
    assert doc.extra["questions"][1] == {
        "qid": "0000001-2",
        "qtype": "treatment",
        "question": "What are the treatments for Example rhythm syndrome ?",
        "answered": True,
    }
    assert doc.extra["skipped_unanswered"] == 1
    [error] = errors
    assert error.reason == "no answered question-answer pairs"
    assert error.path.endswith("11_MPlusDrugs_QA/0000001.xml")


def test_medquad_variant_root_without_source_attribute(tmp_path: Path) -> None:
    folder = tmp_path / "6_NINDS_QA"
    folder.mkdir()
    (folder / "0000007.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<doc docid="0000007" url="https://ninds.example.org/x">'
        "<doctitle-focus>Example palsy</doctitle-focus><qaPairs><pair pid='1'>"
        '<question qid="0000007-1" qtype="outlook">what is the prognosis for Example palsy ?</question>'
        "<answer>Most people recover within weeks.</answer></pair></qaPairs></doc>",
        encoding="utf-8",
    )
    [doc] = list(MedQuadReader().read(tmp_path))
    assert isinstance(doc, Document)
    assert doc.id == "medquad:NINDS/0000007"
    assert doc.organisation == "National Institute of Neurological Disorders and Stroke (NINDS)"
    assert doc.blocks[0].heading_path == ("Example palsy", "Outlook")


def test_pubmed_baseline_gz_streams_citations() -> None:
    path = FIXTURES / "pubmed" / "baseline-sample.xml.gz"
    assert PubMedReader().detect(path)
    docs, errors = split(list(PubMedReader().read(path)))
    [doc] = docs
    assert doc.id == "pmid:90000001"
    assert (doc.source, doc.pmid, doc.native_id) == ("pubmed", "90000001", "90000001")
    assert doc.title == "Caffeine reduction for palpitations: a randomised trial"
    assert doc.journal == "Journal of Example Cardiology"
    assert (doc.year, doc.published) == (2014, "2014 Nov-Dec")
    assert doc.authors == ["Example AB", "Example Trial Group"]
    assert doc.doi == "10.9999/jec.2014.001"
    assert doc.url == "https://pubmed.ncbi.nlm.nih.gov/90000001/"
    assert doc.source_type == SourceType.RANDOMISED_TRIAL
    assert doc.extra["mesh"] == ["Caffeine", "Tachycardia"]
    assert doc.extra["publication_types"] == ["Journal Article", "Randomized Controlled Trial"]
    assert [b.heading_path for b in doc.blocks] == [("BACKGROUND",), ("METHODS",), ("RESULTS",)]
    assert "H2 breath tests" in doc.blocks[2].text
    [error] = errors
    assert error.reason == "no abstract"
    assert "pmid:90000002" in error.path


def test_pubmed_efetch_ids_come_from_the_article_not_its_references() -> None:
    docs, errors = split(list(PubMedReader().read(FIXTURES / "pubmed" / "efetch-sample.xml")))
    assert errors == []
    [doc] = docs
    assert doc.id == "pmid:90000003"
    assert doc.doi == "10.9999/erm.2019.7"
    assert doc.pmcid == "PMC9000003"
    assert doc.published == "2019 Feb 07"
    assert doc.source_type == SourceType.SYSTEMATIC_REVIEW
    assert doc.blocks[0].heading_path == ()


def test_publication_type_mapping() -> None:
    assert source_type_for(["Journal Article", "Practice Guideline"]) == SourceType.GUIDELINE
    assert source_type_for(["Review", "Systematic Review"]) == SourceType.SYSTEMATIC_REVIEW
    assert source_type_for(["Clinical Trial, Phase III"]) == SourceType.RANDOMISED_TRIAL
    assert source_type_for(["Review"]) == SourceType.REVIEW
    assert source_type_for(["Journal Article", "Case Reports"]) == SourceType.RESEARCH


def test_pubmed_truncated_file_reports_and_keeps_earlier_records(tmp_path: Path) -> None:
    data = gzip.decompress((FIXTURES / "pubmed" / "baseline-sample.xml.gz").read_bytes()).decode()
    cut = data.index('<PMID Version="1">90000002')
    path = tmp_path / "truncated.xml"
    path.write_text(data[:cut], encoding="utf-8")
    docs, errors = split(list(PubMedReader().read(path)))
    assert [d.id for d in docs] == ["pmid:90000001"]
    [error] = errors
    assert error.path == str(path)
    assert error.reason.startswith("malformed XML")


def test_pubmedqa_question_as_title_by_default() -> None:
    path = FIXTURES / "pubmedqa" / "ori_pqal.json"
    docs, errors = split(list(PubMedQAReader().read(path)))
    assert errors == []
    first = docs[0]
    assert first.id == "pmid:90000011"
    assert first.source == "pubmedqa"
    assert first.title == "Does caffeine reduction lessen palpitations in adults?"
    assert first.year == 2012
    assert first.source_type == SourceType.RESEARCH
    assert first.extra == {"mesh": ["Caffeine", "Tachycardia"]}
    assert [b.heading_path for b in first.blocks] == [("BACKGROUND",), ("METHODS",), ("CONCLUSIONS",)]
    assert first.blocks[-1].text == "Stopping caffeine was followed by fewer palpitation days."


def test_pubmedqa_evaluation_mode_keeps_question_and_labels_out() -> None:
    path = FIXTURES / "pubmedqa" / "ori_pqal.json"
    raw = json.loads(path.read_text())
    docs, _ = split(list(PubMedQAReader(title_from_question=False).read(path)))
    for doc in docs:
        pmid = doc.pmid
        assert pmid is not None
        assert doc.title == f"PubMed abstract {pmid}"
        dumped = doc.model_dump_json()
        assert raw[pmid]["QUESTION"] not in dumped
        assert "final_decision" not in dumped and "reasoning" not in dumped


def test_evidence_inference_jsonl_gz() -> None:
    path = FIXTURES / "evidence-inference" / "abstracts.derived.jsonl.gz"
    assert EvidenceInferenceReader().detect(path)
    docs, errors = split(list(EvidenceInferenceReader().read(path)))
    assert errors == []
    first, second = docs
    assert first.id == "pmc:PMC9000021"
    assert first.pmcid == "PMC9000021"
    assert first.url == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9000021/"
    assert first.source == "evidence-inference"
    assert first.source_type == SourceType.RANDOMISED_TRIAL
    assert [b.heading_path for b in first.blocks] == [("BACKGROUND",), ("RESULTS",)]
    assert second.id == "pmc:PMC9000022"  # a bare number gets its PMC prefix
    assert second.blocks[0].heading_path == ()
    assert all(b.kind == BlockKind.PARAGRAPH for b in first.blocks)


def test_evidence_inference_bad_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "abstracts.jsonl"
    good = {"pmcid": "PMC1", "title": "T", "abstract": [{"label": "RESULTS", "text": "Fewer events."}]}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({**good, "pmcid": "PMC2"}) + "\n")
    docs, errors = split(list(EvidenceInferenceReader().read(path)))
    assert [d.id for d in docs] == ["pmc:PMC1", "pmc:PMC2"]
    [error] = errors
    assert error.path == f"{path}:2"
    assert error.reason.startswith("malformed JSON line")
