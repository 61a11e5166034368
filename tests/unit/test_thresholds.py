"""Thresholds a source sentence states on a measured value, compared with the patient's own value."""

from __future__ import annotations

import math

import pytest

from medcite.answer.select import Weights, select_evidence
from medcite.answer.thresholds import limits, value_fit
from medcite.records import Chunk, Finding, Hit, Query, SourceRef, SourceType, Understanding
from medcite.text import stem
from medcite.understand import tables
from medcite.understand.rules import RuleUnderstander

INF = math.inf


def _measure(name: str) -> tables.Measure:
    return next(m for m in tables.measures() if m.name == name)


@pytest.mark.parametrize(
    ("text", "measure", "group", "expected"),
    [
        (
            "In patients with RLS and serum ferritin ≤75 µg/L, consider ferrous sulfate.",
            "ferritin",
            "ferritin",
            (-INF, 75),
        ),
        ("Transfuse platelets when the platelet count is less than 20 × 10^9/L.", "platelets", "plt", (-INF, 20)),
        ("A serum sodium concentration <125 mmol/l defines profound hyponatraemia.", "sodium", "na", (-INF, 125)),
        (
            "Review the dose if the estimated glomerular filtration rate (eGFR) is below 45 ml/min.",
            "eGFR",
            "egfr",
            (-INF, 45),
        ),
        ("Offer surgery to people with a BMI of 35 or more.", "BMI", "bmi", (35, INF)),
        ("Target an HbA1c between 48 and 58 mmol/mol.", "HbA1c", "a1c", (48, 58)),
        ("Treat if systolic BP ≥140 mmHg and/or diastolic BP ≥90 mmHg.", "blood pressure", "dia", (90, INF)),
        (
            "In pregnancies <12 weeks gestation, anti-D is only indicated after an ectopic.",
            "gestation",
            "weeks",
            (-INF, 12),
        ),
        ("Offer nifedipine between 26+0 and 33+6 weeks of pregnancy.", "gestation", "weeks", (26, 33)),
        ("If repeat INR is still elevated ≥1.4 within 48 h, redose vitamin K.", "INR", "inr", (1.4, INF)),
    ],
)
def test_a_stated_threshold_is_read_with_its_direction(text, measure, group, expected):
    (lo, hi), *_ = limits(text, _measure(measure), group)
    assert lo == pytest.approx(expected[0]) and hi == pytest.approx(expected[1])


def test_no_threshold_without_the_quantity_named_next_to_it():
    assert limits("Offer 325 mg of ferrous sulfate with 200 mg of vitamin C.", _measure("ferritin"), "ferritin") == []
    assert limits("An ELF score of 10.51 or above.", _measure("BMI"), "bmi") == []


def test_the_patients_value_meets_or_misses_the_threshold():
    rls = "In patients with RLS and serum ferritin ≤75 µg/L, consider ferrous sulfate 325 mg."
    low = [Finding(measure="ferritin", text="ferritin 40", values={"ferritin": 40})]
    high = [Finding(measure="ferritin", text="ferritin 140", values={"ferritin": 140})]
    assert value_fit(rls, low) == 1 and value_fit(rls, high) == -1
    assert value_fit("Consider a dopamine agonist.", low) == 0  # states no threshold
    assert value_fit(rls, []) == 0


def test_a_threshold_in_other_units_is_not_compared():
    # Hb 7.5 (g/dL) against a threshold in g/L: ten times apart, so not a verdict either way.
    hb = [Finding(measure="haemoglobin", text="Hb 7.5", values={"hb": 7.5})]
    assert value_fit("A haemoglobin concentration <70 g/L makes transfusion appropriate.", hb) == 0


def test_the_reader_gives_the_values_that_are_compared():
    read = RuleUnderstander().read("Restless legs every evening; ferritin 40 micrograms/L. What first?")
    assert value_fit("In patients with serum ferritin ≤75 µg/L, consider oral iron.", read.findings) == 1


def _hit(rank: int, text: str) -> Hit:
    ref = SourceRef(id="g:rls", title="Restless legs syndrome", source="t", type=SourceType.GUIDELINE)
    chunk = Chunk(id=f"g:rls#{rank}", doc_id="g:rls", ordinal=rank, text=text, heading_path=("Treatment",))
    return Hit(rank=rank, score=1.0 / rank, chunk=chunk, doc=ref)


def test_the_sentence_for_this_patients_value_ranks_above_the_one_for_another():
    hits = [
        _hit(1, "In patients with restless legs and serum ferritin above 75 µg/L, consider pramipexole first."),
        _hit(2, "In patients with restless legs and serum ferritin ≤75 µg/L, consider ferrous sulfate first."),
    ]
    reading = Understanding(
        asked="what first?",
        findings=[Finding(measure="ferritin", text="ferritin 40", values={"ferritin": 40})],
    )
    query = Query(text="q", normalised="restless legs ferritin 40 what first?", understood=reading)
    weights = Weights({stem("restless"): 2.0, stem("legs"): 2.0, stem("ferritin"): 1.0, stem("first"): 0.5})
    ev = select_evidence(query, hits, weights)
    assert "ferrous sulfate" in ev[0].text
    # Without the patient's value the search's order stands.
    plain = Query(text="q", normalised="restless legs what first?", understood=Understanding(asked="what first?"))
    assert "pramipexole" in select_evidence(plain, hits, weights)[0].text
