"""A bare yes/no question asks about what it, or the proposal before it, names (aspects.yaml `proposed`)."""

import pytest

from medcite.records import Aspect
from medcite.understand.rules import asking_clause, proposal, read_aspects


def aspects(text: str) -> list[Aspect]:
    return read_aspects(asking_clause(text), text)


@pytest.mark.parametrize(
    "text",
    [
        "Day 2 after a hip replacement. The registrar wants weekly calf ultrasound. Should we be doing that?",
        "4-year-old at a routine visit. Our nurse wants to do a hearing screen on every child. Worth doing?",
        "48-year-old man, no fractures. He has heard about bone density scans and is asking for one. Is one indicated?",
        "Healthy 30-year-old. The pharmacist suggests checking vitamin D levels every year. Is that recommended?",
        "my gp offered me a scan of my neck arteries even though i feel fine. do i actually need it?",
        "Is a total-body MRI indicated for her?",
    ],
)
def test_a_yes_no_question_about_a_test_asks_whether_to_test(text):
    assert aspects(text)[:1] == [Aspect.WHETHER_TO_TEST]


@pytest.mark.parametrize(
    "text",
    [
        # The sentence before reports a finding, not a proposal: the test is not what is asked about.
        "CT shows a 3 cm mass in the head of the pancreas. Should she be operated on?",
        # The asking clause names its own aspect.
        "The nurse suggests a blood test. How often should the dose be repeated?",
    ],
)
def test_a_finding_or_an_aspect_the_question_names_is_not_read_as_a_proposed_test(text):
    assert Aspect.WHETHER_TO_TEST not in aspects(text)[:1]


def test_the_proposal_is_the_sentence_just_before_the_asking_clause():
    text = "70M with gout. A colleague suggests allopurinol now. Is that advised?"
    assert proposal(text, asking_clause(text)) == "A colleague suggests allopurinol now."
    assert proposal("Is that advised?", "Is that advised?") == ""


def test_a_yes_no_question_about_a_proposed_drug_asks_about_the_drug():
    known = {"acetazolamide", "furosemide", "dabrafenib"}.__contains__
    text = "Baby with enlarging ventricles. A colleague proposes acetazolamide plus furosemide. Is that supported?"
    assert read_aspects(asking_clause(text), text, known) == [Aspect.DRUG]
    # What the proposal itself asks comes first (stopping it: whether to stop).
    text = "The team wants to stop the furosemide. Is that right?"
    assert read_aspects(asking_clause(text), text, known) == [Aspect.CONTINUE_STOP]
    # A drug in a sentence that reports what happened is no proposal.
    text = "She was given furosemide last night. Is that a problem?"
    assert read_aspects(asking_clause(text), text, known) != [Aspect.DRUG]
