"""Values read without their label or with the US unit (understand/data/values.yaml)."""

import pytest

from medcite.understand import tables
from medcite.understand.rules import read_findings


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        # A patient or a note gives the pressure without saying "BP".
        ("The practice nurse got 152/96 on me today", "hypertension"),
        ("the machine at the pharmacy read 148/95 twice", "hypertension"),
        ("obs on arrival 84/46, HR 124", "hypotension"),
        ("came in at 190/125 with a headache", "severe hypertension"),
        # Fillers people put between the label and the numbers.
        ("my bp is always around 150/100 at the clinic", "hypertension"),
        ("BP usually runs 85/50 when she stands", "hypotension"),
        # mg/dL: a low value is hypoglycaemia, not a high value in mmol/L.
        ("fingerstick glucose 48 mg/dL and sweaty", "hypoglycaemia"),
        ("blood sugar 310 mg/dl this morning", "hyperglycaemia"),
    ],
)
def test_values_without_a_label_or_with_the_us_unit_are_read(text, reading):
    found = [f for f in read_findings(text) if f.reading]
    assert found and found[0].reading == reading, found


@pytest.mark.parametrize(
    "text",
    [
        "on co-careldopa 100/25 three times a day",  # a dose pair
        "started Microgynon 150/30 last year",  # a pill's two hormones
        "visual acuity 6/60 in the left eye",
        "seen on 12/05 in clinic",
        "she scored 95/100 on the test",  # the second number is the higher: no pressure
        "support 24/7 at home",
        "took 100/50 mg of it",
    ],
)
def test_number_pairs_that_are_not_a_pressure_have_no_reading(text):
    assert not [f.reading for f in read_findings(text) if f.reading]


def test_glucose_in_mmol_keeps_its_reading():
    assert read_findings("glucose 28 mmol/L")[0].reading == "hyperglycaemia"
    assert read_findings("BM 2.9")[0].reading == "hypoglycaemia"


def test_a_condition_compares_two_values_of_one_reading():
    assert tables._holds("sys > dia", {"sys": 120, "dia": 80})
    assert not tables._holds("sys > dia", {"sys": 95, "dia": 100})
    assert not tables._holds("sys > dia", {"sys": 95})  # the other value missing: no reading
    assert tables._holds("sys >= 140", {"sys": 150})
