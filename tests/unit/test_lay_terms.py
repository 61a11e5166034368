"""Everyday wording searched with the words sources use (retrieve/data/synonyms.yaml, query.py)."""

from __future__ import annotations

import pytest

from medcite.retrieve.query import LAY_TERMS, MEASURES, expand_lay_terms, said_high_or_low, understand


@pytest.mark.parametrize(
    ("question", "said", "searched"),
    [
        ("my thyroid is low, should I worry?", "thyroid is low", "hypothyroidism"),
        ("his potassium came back high", "potassium came back high", "hyperkalemia"),
        ("sugars running a bit high lately", "sugars running a bit high", "hyperglycemia"),
        ("My blood pressure readings are always high", "blood pressure readings are always high", "hypertension"),
        ("her platelets were low on the last test", "platelets were low", "thrombocytopenia"),
        ("pulse is really low at 48", "pulse is really low", "bradycardia"),
    ],
)
def test_a_measure_said_to_be_high_or_low_is_searched_by_its_clinical_name(question, said, searched):
    assert searched in expand_lay_terms(question)[said]


@pytest.mark.parametrize("question", ["my iron is fine", "is a low dose ok?", "the thyroid scan was normal"])
def test_no_measure_said_high_or_low_adds_nothing(question):
    assert said_high_or_low(question) == {}


@pytest.mark.parametrize(
    ("question", "lay", "searched"),
    [
        ("Does low thyroid contribute to weight gain?", "low thyroid", "hypothyroidism"),
        ("the room spins when I roll over in bed", "room spins", "vertigo"),
        ("I have piles, what cream helps?", "piles", "hemorrhoids"),
        ("Do I need antibiotics for a sinus infection?", "sinus infection", "sinusitis"),
        ("I can't get an erection, what can I take?", "can't get an erection", "erectile dysfunction"),
        ("Is ringworm contagious?", "ringworm", "tinea"),
        ("What helps hot flashes at night?", "hot flashes", "vasomotor symptoms"),
        ("my 18 month old had a fit when her temp shot up", "a fit", "seizure"),
        ("booked in for the snip next month, how long off work?", "the snip", "vasectomy"),
        ("has to sleep propped up on 3 pillows or he cant get his breath", "get his breath", "shortness of breath"),
        ("the xray says my knee is 'bone on bone', what now?", "bone on bone", "osteoarthritis"),
        ("I leak a bit when i laugh or sneeze", "leak a bit", "urinary incontinence"),
    ],
)
def test_everyday_names_are_searched_by_the_sources_names(question, lay, searched):
    assert searched in expand_lay_terms(question)[lay]


def test_a_clinical_word_already_in_the_question_is_not_added_again():
    assert "low thyroid" not in expand_lay_terms("low thyroid (hypothyroidism) and tiredness")


def test_every_lay_entry_names_something_else():
    # An entry that maps a phrase to itself searches nothing new; an empty one is a typing slip.
    for lay, clinical in LAY_TERMS.items():
        assert clinical and lay not in clinical, lay


def test_every_measure_has_a_high_or_a_low_entry():
    # A measure whose "high X" and "low X" the lay table lacks would be read and then searched for nothing.
    for said, named in MEASURES.items():
        assert f"high {named}" in LAY_TERMS or f"low {named}" in LAY_TERMS, said


@pytest.mark.parametrize(
    ("question", "set_aside", "kept"),
    [
        ("My 19 yr old daughter keeps nodding off when she laughs", {"daughter", "yr", "old"}, {"nodding", "laughs"}),
        ("my son is 9, he constantly blinks and grunts", {"son"}, {"blinks", "grunts"}),
        ("wife has a really bad headache and a stiff neck", {"wife"}, {"headache", "stiff", "neck"}),
        ("Dad's 78 and seems as sharp as ever", {"dad"}, {"sharp"}),
        ("my 84 yo mum has had two falls", {"mum", "yo"}, {"falls"}),
    ],
)
def test_whom_a_patient_asks_about_is_not_searched_for(question, set_aside, kept):
    terms = set(understand(question).terms)
    assert not terms & set_aside
    assert kept <= terms


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("Can the mother breastfeed while taking sertraline?", "mother"),
        ("my baby is 3 days old and looks yellow", "baby"),
        ("Which son of a carrier father inherits the condition?", "son"),
    ],
)
def test_a_relative_the_question_is_about_stays_searched(question, kept):
    assert kept in understand(question).terms


def test_the_tails_of_contractions_and_the_days_of_a_story_are_not_searched():
    terms = set(understand("today the lump won't go back, I've been sick twice and it hasn't eased").terms)
    assert not terms & {"today", "won", "ve", "hasn"}
    assert {"lump", "sick", "eased"} <= terms


@pytest.mark.parametrize(
    ("question", "lay", "searched"),
    [
        ("the gp thinks a spit gland is blocked, what helps?", "spit gland", "salivary gland"),
        ("is it normal for the soft spot on a baby's head to pulse?", "soft spot", "fontanelle"),
        ("the optician says the clear front of the eye is scarred", "clear front of the eye", "cornea"),
        ("she was on a breathing machine for a week, will her lungs recover?", "breathing machine", "ventilator"),
        ("they want to put a camera down his throat, is it safe?", "camera down his throat", "endoscopy"),
        ("my kneecap slips out when I twist", "kneecap", "patella"),
        ("our baby has a hole in the heart, will it close?", "hole in the heart", "septal defect"),
        ("nosebleeds every week in a 7 year old, should I worry?", "nosebleeds", "epistaxis"),
        ("grandad gets breathless walking to the shops", "breathless", "dyspnea"),
        ("I get a cold sweat and feel faint after eating", "cold sweat", "diaphoresis"),
        ("she had the coil fitted last year", "the coil", "intrauterine device"),
        ("my waters broke at 35 weeks, what happens now?", "waters broke", "rupture of membranes"),
    ],
)
def test_plain_words_for_the_body_devices_and_tests_are_searched_by_the_sources_words(question, lay, searched):
    assert searched in expand_lay_terms(question)[lay]


@pytest.mark.parametrize(
    "question",
    ["is a molecule of aspirin the same as a tablet?", "the hospital was far", "the boiled water was cold"],
)
def test_plain_words_match_whole_words_only(question):
    assert expand_lay_terms(question) == {}


@pytest.mark.parametrize(
    "question",
    [
        "my baby spit up after every feed, is that reflux?",
        "how long should I keep her upright to get her winded?",
        "felt a fluttering low in my tummy at 18 weeks, is that the baby?",
        "should I boil the bottles or is the dishwasher enough?",
    ],
)
def test_words_with_an_everyday_sense_in_baby_care_and_pregnancy_are_not_read_as_findings(question):
    added = {term for terms in expand_lay_terms(question).values() for term in terms}
    assert not added & {"saliva", "dyspnea", "shortness of breath", "palpitations", "furuncle", "abscess"}, added
