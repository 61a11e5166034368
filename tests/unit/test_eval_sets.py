"""The vignette question sets `medcite eval answers` reads: each file loads, and every record carries
what the evaluation scores (documents that answer, the asked aspect, key phrases)."""

from __future__ import annotations

import pytest

from medcite.evaluate.answers import LAY_SETS, VIGNETTE_SETS, aspect_labels
from medcite.evaluate.datasets import load_jsonl
from medcite.records import Aspect

pytest_plugins = ["store_fixtures"]

FIELDS = {"id", "question", "doc_ids", "also_ok", "problem", "named", "aspect", "key_terms"}


@pytest.mark.parametrize("name", sorted(VIGNETTE_SETS))
def test_every_vignette_set_is_complete(name: str) -> None:
    rows = load_jsonl(VIGNETTE_SETS[name])
    # 15 at least: vignettes-unseen32 drew from the last 57 guidelines no other set uses.
    assert len(rows) >= 15
    assert len({r["id"] for r in rows}) == len(rows), "ids are unique"
    for r in rows:
        assert set(r) >= FIELDS, r["id"]
        assert r["doc_ids"] and all(d.startswith(("ngc:", "uspstf:")) for d in r["doc_ids"]), r["id"]
        assert r["problem"] and isinstance(r["named"], bool), r["id"]
        assert 1 <= len(r["key_terms"]) <= 4 and all(group and all(group) for group in r["key_terms"]), r["id"]
        assert r["question"].strip().endswith("?") or len(r["question"]) > 40, r["id"]
    # Most are written as vignettes: the condition is not named.
    assert sum(not r["named"] for r in rows) >= len(rows) // 2


@pytest.mark.parametrize("name", sorted(LAY_SETS))
def test_every_patient_voice_set_is_complete(name: str) -> None:
    rows = load_jsonl(LAY_SETS[name])
    # 15 at least: lay-unseen19 drew from what MedQuAD had left of common conditions no set uses (19).
    assert len(rows) >= 15 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) >= FIELDS, r["id"]
        assert r["doc_ids"] and all(d.startswith(("medquad:", "ngc:", "uspstf:")) for d in r["doc_ids"]), r["id"]
        assert r["problem"] and isinstance(r["named"], bool), r["id"]
        assert 1 <= len(r["key_terms"]) <= 3 and all(group and all(group) for group in r["key_terms"]), r["id"]
        assert aspect_labels(r["aspect"]) <= {a.value for a in Aspect}, r["id"]
    # Patients describe what they notice more often than they name it.
    assert sum(not r["named"] for r in rows) >= len(rows) // 2
    # Mostly answered by pages written for patients.
    assert sum(r["doc_ids"][0].startswith("medquad:") for r in rows) >= 0.6 * len(rows)


def test_ids_are_unique_across_the_vignette_sets() -> None:
    # A set's rows are compared by id between runs and sets: two sets sharing "vig-t028" would mix them.
    sets = {**VIGNETTE_SETS, **LAY_SETS}
    ids = [r["id"] for name in sets for r in load_jsonl(sets[name])]
    assert len(set(ids)) == len(ids), sorted({i for i in ids if ids.count(i) > 1})[:5]


def test_every_aspect_label_is_one_the_evaluation_can_score() -> None:
    readable = {a.value for a in Aspect}
    for name in VIGNETTE_SETS:
        for r in load_jsonl(VIGNETTE_SETS[name]):
            labels = aspect_labels(r["aspect"])
            assert labels <= readable, (r["id"], r["aspect"])
    assert aspect_labels("treatment") >= {"first_choice", "drug"}
    assert aspect_labels("whether_test") == {"whether_to_test"} and aspect_labels("dose") == {"dose"}
    assert aspect_labels("management") == {"management", "self_care"}


def test_a_key_phrase_is_found_however_it_is_hyphenated() -> None:
    from medcite.evaluate.answers import key_terms_hit

    text = "The committee suggests doing a probe to bone (PTB) test; give 30-60 mg daily."
    assert key_terms_hit(text, [["probe-to-bone"], ["30–60 mg"]])
    assert key_terms_hit("A Probe-To-Bone test", [["probe to bone"]])
    assert not key_terms_hit(text, [["probe-to-bone"], ["8-week course"]])
    assert not key_terms_hit("probe the bone", [["probe-to-bone"]])


def test_the_bottom_line_is_scored_for_saying_part_of_the_answer(make_answer) -> None:
    from medcite.evaluate.answers import vignette_row
    from medcite.evaluate.datasets import Item

    item = Item(
        id="q", question="How long can we wait?", relevant={"og:gout"}, key_terms=[["12 weeks"], ["clinical trial"]]
    )
    says = vignette_row(item, make_answer(bottom="Start adjuvant chemotherapy within 12 weeks."))
    cites_only = vignette_row(item, make_answer(bottom="The optimal duration of therapy is unknown."))
    assert says["bottom_line_on_target"] and cites_only["bottom_line_on_target"]  # both cite the guideline
    assert says["bottom_line_key"] and not cites_only["bottom_line_key"]  # one group is enough for the bottom line
    assert not says["key_hit"]  # the whole answer still needs every group
