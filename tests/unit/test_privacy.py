"""Personal-data redaction: the data file's schema and pinned decisions, the measured figures,
and the note the answer carries."""

from __future__ import annotations

import re

import pytest

from medcite.evaluate.privacy import false_alarms, labelled_scores
from medcite.privacy import NOTE_PREFIX, drop_note, redact, rules, with_note
from medcite.privacy.redact import load_data
from medcite.records import Answer, BottomLine

DATA = load_data()
PATTERNS = DATA["patterns"]
ISSUE_QUESTION = (
    "John Smith DOB 03/04/1961 MRN 12345678 phone 555-867-5309 has an acute gout flare, "
    "what is the first-line treatment?"
)


def test_the_data_file_has_its_schema() -> None:
    assert isinstance(DATA["version"], int) and DATA["version"] >= 1
    assert not re.search(r"\w", DATA["placeholder"]), "the placeholder must not be a searchable word"
    kinds = set(DATA["kinds"])
    for p in PATTERNS:
        assert set(p) == {"kind", "regex", "finds", "keeps"}, p.get("kind")
        assert p["kind"] in kinds and p["finds"] and p["keeps"]
        re.compile(p["regex"])
    names = DATA["names"]
    assert {"word", "initial", "titles", "cues", "not_names", "stop_words", "disease_words", "finds", "keeps"} <= set(
        names
    )
    assert rules().version == DATA["version"]


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p["kind"] for p in PATTERNS])
def test_each_pattern_removes_what_it_finds_and_keeps_clinical_text(pattern: dict[str, object]) -> None:
    regex = re.compile(str(pattern["regex"]))
    for text in pattern["finds"]:  # type: ignore[attr-defined]
        m = regex.search(text)
        assert m is not None, text
        assert redact(text).text.strip(" ,") != text, text
        assert redact(text).changed
    for text in pattern["keeps"]:  # type: ignore[attr-defined]
        assert redact(text).text == text, text


def test_names_are_found_after_titles_cues_and_before_identifiers_but_eponyms_survive() -> None:
    names = DATA["names"]
    for text in names["finds"]:
        red = redact(text)
        assert "name" in red.kinds, text
        assert not any(w in red.text for w in ("John", "Smith", "O'Brien", "Jane", "Mary", "Robert", "Public")), red
    for text in names["keeps"]:
        assert redact(text).text == text, text


def test_the_issue_example_is_one_placeholder_and_names_each_kind() -> None:
    red = redact(ISSUE_QUESTION)
    assert red.text == "[…] has an acute gout flare, what is the first-line treatment?"
    assert red.kinds == ("name", "date_of_birth", "phone", "record_number")
    assert redact(red.text) == type(red)(red.text), "redacting twice changes nothing"


@pytest.mark.parametrize(
    "question",
    [
        "What is the first-line treatment for Addison disease in an adrenal crisis?",
        "Bell's palsy: should prednisolone be given within 72 hours?",
        "Crohn disease flare on azathioprine, what next?",
        "Parkinson's disease and metoclopramide: safe?",
        "Colchicine 1.2 mg then 0.6 mg an hour later for gout (BP 170/112)",
        "Is Tylenol safe with Lipitor and warfarin (INR 2-3)?",
    ],
)
def test_clinical_questions_are_left_alone(question: str) -> None:
    assert redact(question).text == question


def test_measured_recall_and_false_alarms_stay_at_their_documented_level() -> None:
    """docs/benchmarks.md quotes these (`medcite eval privacy`); a pattern change that lowers them fails here."""
    dev, held = labelled_scores("personal_data.jsonl"), labelled_scores("personal_data_heldout.jsonl")
    assert dev["identifier_recall"] >= 0.99 and dev["clinical_kept"] == 1.0
    assert held["identifier_recall"] >= 0.95 and held["clinical_kept"] == 1.0
    alarms = false_alarms()
    assert alarms["questions"] >= 400 and alarms["changed"] <= 1
    assert all("MRN" in e["redacted"] or "[…]" in e["redacted"] for e in alarms["examples"])


def test_the_note_says_what_was_removed_and_is_not_stored() -> None:
    answer = Answer(question="[…] gout?", bottom_line=BottomLine(text="x"), notes=["Read “gout”."])
    noted = with_note(answer, ("name", "date_of_birth", "phone"))
    assert noted.notes[0].startswith(NOTE_PREFIX)
    assert "a name, a date of birth and a phone number" in noted.notes[0]
    assert with_note(noted, ("name",)).notes.count(with_note(noted, ("name",)).notes[0]) == 1
    assert drop_note(noted).notes == ["Read “gout”."]
    assert with_note(answer, ()) is answer
