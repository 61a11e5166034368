"""Answering the question that was asked: vignettes read into a problem and an aspect, the bottom
line from the guideline about that problem saying the aspect, short focused answers.

A small hand-written corpus of look-alike guidelines (anaphylaxis beside hypertension, upper beside
lower GI bleeding, insomnia with a hypnotic the patient asks for, a local "zorbitis" protocol beside a
"zorblax syndrome" one), indexed with the deterministic hashing embedder: offline and fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.engine import Medcite
from medcite.records import Answer, Aspect, Block, BlockKind, Document, SourceType
from medcite.settings import Settings

REC = BlockKind.RECOMMENDATION
G = SourceType.GUIDELINE
NICE = "National Institute for Health and Care Excellence (NICE)"

DOCS = {
    "t:anaph": (
        "Anaphylaxis: emergency treatment",
        [
            (
                "Give intramuscular adrenaline 0.5 mg into the anterolateral thigh as the first drug for anaphylaxis "
                "in adults and adolescents.",
                ("Anaphylaxis", "First drug"),
            ),
            (
                "Repeat the intramuscular adrenaline dose after 5 minutes if there is no improvement.",
                ("Anaphylaxis", "Repeat dosing"),
            ),
            (
                "Antihistamines are not first-line treatment for anaphylaxis and should not delay adrenaline.",
                ("Anaphylaxis", "Adjuncts"),
            ),
            ("Refer people who have had anaphylaxis to a specialist allergy service.", ("Anaphylaxis", "Follow-up")),
        ],
    ),
    "t:htn": (
        "Hypertension in adults: diagnosis and management",
        [
            (
                "If blood pressure goal is not reached within a month of treatment, increase the dose of the initial "
                "drug or add a second drug.",
                ("Hypertension", "Step 2"),
            ),
            (
                "Offer an ACE inhibitor as first-line treatment for hypertension in adults under 55.",
                ("Hypertension", "Step 1"),
            ),
            ("Measure blood pressure in both arms when assessing hypertension.", ("Hypertension", "Diagnosis")),
        ],
    ),
    "t:ugib": (
        "Acute upper gastrointestinal bleeding in over 16s: management",
        [
            (
                "Offer endoscopy to unstable patients with severe acute upper gastrointestinal bleeding immediately "
                "after resuscitation.",
                ("Upper GI bleeding", "Timing of endoscopy"),
            ),
            (
                "Offer endoscopy within 24 hours of admission to all other patients with upper gastrointestinal "
                "bleeding.",
                ("Upper GI bleeding", "Timing of endoscopy"),
            ),
            (
                "Use the Glasgow-Blatchford score at first assessment of upper gastrointestinal bleeding.",
                ("Upper GI bleeding", "Risk assessment"),
            ),
        ],
    ),
    "t:lgib": (
        "Imaging of lower gastrointestinal bleeding",
        [
            (
                "CT angiography is usually appropriate for active lower gastrointestinal bleeding within 24 hours.",
                ("Lower GI bleeding", "Imaging"),
            ),
            (
                "Offer colonoscopy within 24 hours to patients with lower gastrointestinal bleeding.",
                ("Lower GI bleeding", "Timing"),
            ),
        ],
    ),
    "t:sleep": (
        "Insomnia in adults: management",
        [
            (
                "Offer cognitive behavioural therapy for insomnia (CBT-I) as the first-line treatment for chronic "
                "insomnia in adults.",
                ("Insomnia", "First-line treatment"),
            ),
            (
                "Consider a short course of a hypnotic such as zolpidem only when CBT-I is unavailable or has not "
                "helped, for no longer than 4 weeks.",
                ("Insomnia", "Hypnotics"),
            ),
            ("Zolpidem is recommended for short-term treatment of insomnia in adults.", ("Insomnia", "Hypnotics")),
            ("Advise good sleep hygiene for people with insomnia.", ("Insomnia", "Advice")),
        ],
    ),
}


def corpus() -> list[Document]:
    return [
        Document(
            id=doc_id,
            source="focus-test",
            title=title,
            source_type=G,
            organisation=NICE,
            year=2020,
            blocks=[Block(text=t, heading_path=h, kind=REC) for t, h in blocks],
        )
        for doc_id, (title, blocks) in DOCS.items()
    ]


@pytest.fixture(scope="module")
def mc(tmp_path_factory: pytest.TempPathFactory) -> Medcite:
    settings = Settings(home=tmp_path_factory.mktemp("focus-home"), database_url=None)
    settings.embedding.model = "hashing"
    m = Medcite(settings)
    m.store.ingest(corpus())
    return m


def cited_docs(answer: Answer, claims: list) -> set[str]:  # type: ignore[type-arg]
    docs = {r.n: r.doc_id for r in answer.references}
    return {docs[n] for c in claims for n in c.citations}


def items(answer: Answer) -> list:  # type: ignore[type-arg]
    return [c for s in answer.sections for c in s.items]


def test_a_presentation_is_read_as_its_problem_and_answered_from_its_guideline(mc: Medcite) -> None:
    a = mc.ask(
        "Teenager with throat tightness, wheeze and BP 80/50 minutes after eating cashews. "
        "What is the first drug, route and injection site, and when can it be repeated?"
    )
    assert a.understood is not None and a.understood.main is not None
    assert a.understood.main.name == "anaphylaxis"
    assert {Aspect.ROUTE_SITE, Aspect.REPEAT} <= set(a.understood.aspects)
    assert a.red_flags and a.red_flags[0].condition == "Possible anaphylaxis"
    assert cited_docs(a, a.bottom_line.claims) == {"t:anaph"}, a.bottom_line.text
    assert "intramuscular adrenaline" in a.bottom_line.text and "thigh" in a.bottom_line.text
    assert "t:htn" not in {r.doc_id for r in a.references}, "BP matched, the presentation was not understood"


def test_upper_gi_bleeding_is_not_answered_from_the_lower_gi_guideline(mc: Medcite) -> None:
    a = mc.ask("Coffee-ground vomiting and melaena, haemodynamically stable. When should endoscopy be done?")
    assert a.understood is not None and "upper" in a.understood.problems[0].name
    assert cited_docs(a, a.bottom_line.claims) == {"t:ugib"}
    assert "within 24 hours" in a.bottom_line.text


def test_what_instead_of_what_the_patient_asks_for_leads_with_the_first_choice(mc: Medcite) -> None:
    a = mc.ask("Poor sleep for months; she asks me for zolpidem. What should be offered first?")
    assert a.understood is not None and a.understood.instead_of == ["zolpidem"]
    first = a.bottom_line.claims[0].text
    assert "CBT-I" in first and "zolpidem" not in first.lower()
    place = a.bottom_line.claims[1].text.lower()
    assert "zolpidem" in place and "only when" in place, "then the place of what was asked for"


def test_a_single_aspect_question_gets_a_short_focused_answer(mc: Medcite) -> None:
    a = mc.ask("Teen with lip swelling and wheeze after a wasp sting, adrenaline given once: when can it be repeated?")
    assert a.understood is not None and Aspect.REPEAT in a.understood.aspects
    assert "5 minutes" in a.bottom_line.text
    shown = items(a)
    assert len(shown) <= mc.settings.answer.items_one_aspect
    assert cited_docs(a, shown) <= {"t:anaph"}, "no neighbouring guideline"


def test_how_the_question_was_read_is_in_the_json_and_the_notes(mc: Medcite) -> None:
    from medcite.answer.render import to_json, to_markdown

    a = mc.ask("I suspect an Addisonian crisis after hemicolectomy; Na 128, K 6.1, BP 85/50. What should I give?")
    data = to_json(a)
    assert data["understood"]["summary"].startswith("adrenal insufficiency")
    assert {f["reading"] for f in data["understood"]["findings"]} >= {"hyponatraemia", "hyperkalaemia", "hypotension"}
    assert "Read as: adrenal insufficiency" in to_markdown(a)


def test_the_index_vocabulary_tells_a_local_protocol_from_a_look_alike(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    folder.mkdir()
    (folder / "zorbitis.md").write_text(
        "---\ntitle: Zorbitis in adults: local protocol\ntype: guideline\n---\n\n# Treatment\n\n"
        "Give oral velmadrine 20 mg twice daily for 7 days to adults with zorbitis.\n\n"
        "Do not use velmadrine in pregnancy.\n"
    )
    (folder / "zorblax.md").write_text(
        "---\ntitle: Zorblax syndrome: local protocol\ntype: guideline\n---\n\n# Treatment\n\n"
        "Offer supportive care to adults with zorblax syndrome; most recover within two weeks.\n"
    )
    settings = Settings(home=tmp_path / "home", database_url=None)
    settings.embedding.model = "hashing"
    m = Medcite(settings)
    m.ingest([str(folder)])
    a = m.ask("How should adults with zorbitis be treated?")
    assert a.understood is not None and a.understood.problems[0].name == "zorbitis"
    assert "velmadrine 20 mg" in a.bottom_line.text
    assert "zorblax" not in " ".join([a.bottom_line.text, *(c.text for c in items(a))]).lower()
    assert any("pregnancy" in c.text for c in items(a)), "its 'do not use in pregnancy' is shown"
