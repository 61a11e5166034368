"""The reading of the patient and how retrieval uses it: who the patient is (a man is never
breastfeeding, a woman trying to conceive fits guidance for pregnancy), what was really tried, where
the patient is seen, and the documents about the problem the reading is sure of.

Offline: the rule reader, `fit` on titles, and a small hashing-embedder index of look-alike guidelines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.engine import Medcite
from medcite.records import Block, BlockKind, Document, SourceType
from medcite.retrieve.fit import fit
from medcite.settings import RetrieveSettings, Settings
from medcite.understand import Vocabulary, tables
from medcite.understand.rules import RuleUnderstander

DRUGS = {"vancomycin", "metronidazole", "deferasirox", "metformin", "lorazepam", "prednisolone"}


def read(question: str, drugs: set[str] | None = DRUGS):
    """Read with a small drug vocabulary standing in for the packaged one."""
    return RuleUnderstander(is_treatment=(lambda w: w in drugs) if drugs is not None else None).read(question)


# -- the patient ----------------------------------------------------------------------------------------
def test_a_blood_lactate_is_not_lactation_and_a_man_is_never_breastfeeding():
    u = read("79M in ICU with severe colitis, lactate 3.8, WCC 38. Surgery now?")
    assert not u.patient.breastfeeding and u.patient.sex == "male"
    assert read("34F, lactating, 6 weeks postpartum, breast red and sore. Antibiotic?").patient.breastfeeding


def test_a_man_is_not_pregnant_and_er_positive_is_not_the_emergency_room():
    u = read("36M, new positive test, CD4 300, HBsAg neg. Anything to test before abacavir?")
    assert not u.patient.pregnant and u.patient.sex == "male"
    # "HBsAg neg" is a negative result: it names no hepatitis.
    assert "viral hepatitis" not in [p.name for p in u.problems]
    assert "ed" not in read("46F, ER+ node-positive breast cancer, 5 years of tamoxifen done. Stop?").setting
    assert "ed" in read("Seen in the ER with chest pain. Troponin?").setting
    assert read("14mo boy, not walking yet. Refer?").patient.age_years == pytest.approx(14 / 12)


@pytest.mark.parametrize(
    "question",
    [
        "27F on deferasirox, trying for a baby in a few months. When should it be stopped?",
        "She is planning a pregnancy next year; is her antiepileptic safe?",
        "32-year-old woman who wants to conceive, on methotrexate. What should she do?",
        "Preconception advice for a woman with type 1 diabetes?",
    ],
)
def test_a_woman_planning_a_pregnancy_is_read_so(question):
    u = read(question)
    assert u.patient.planning_pregnancy and not u.patient.pregnant and u.patient.sex == "female"
    assert "planning pregnancy" in u.summary


def test_a_planned_pregnancy_fits_guidance_for_pregnancy_and_asks_for_its_safety():
    c = tables.contrasts()
    planning = read("27F on deferasirox, trying for a baby. When should the chelator be stopped?")
    assert c.pregnancy_clash(planning.patient, "Management of beta thalassaemia in pregnancy") == 0.0
    assert c.population_match(planning.patient, "Management of beta thalassaemia in pregnancy")
    assert "pregnancy_safety" in [a.value for a in planning.aspects]
    # Without that wish, a text written for pregnancy is still ranked down for her.
    plain = read("27F on deferasirox for thalassaemia. When should the chelator be stopped?")
    assert c.pregnancy_clash(plain.patient, "Management of beta thalassaemia in pregnancy") == 0.5
    # A man cannot be planning to carry a pregnancy.
    assert not read("35M, he and his wife want to conceive; is his methotrexate a problem?").patient.planning_pregnancy


def test_hay_fever_is_not_an_infection():
    u = read("15F with itchy lichenified skin in the creases and hay fever; the GP asks about oral steroids.")
    assert u.acquired is None
    assert read("Fever and cough treated by the GP, CRB65 0. Which antibiotic?").acquired == "community"


# -- what was tried -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "tried"),
    [
        ("79M on ICU day 2, on oral vancomycin and IV metronidazole, not yet on vasopressors.", ["vancomycin"]),
        ("56F on home parenteral nutrition via a Hickman line, febrile. Keep the line?", []),
        ("52F who presses on the perineum to empty her bowel. Which test next?", []),
        ("Despite daily emollients and a potent topical steroid she still flares.", ["emollients"]),
        ("Failed physiotherapy and two NSAIDs; what next for his knee?", ["physiotherapy"]),
        ("Still fitting after lorazepam twice, what next?", ["lorazepam"]),
    ],
)
def test_only_treatments_count_as_tried_and_a_negated_one_does_not(question, tried):
    assert read(question).tried == tried


def test_the_treatment_table_knows_kinds_and_drug_endings_not_ordinary_words():
    kinds = tables.patient_tables().treatments
    for word in ("statins", "physiotherapy", "ramipril", "adalimumab", "cholecystectomy", "omeprazole"):
        assert kinds.names(word), word
    for word in ("icu", "home", "perineum", "spine", "concept", "baseline", "oral"):
        assert not kinds.names(word), word


# -- the setting in a title -----------------------------------------------------------------------------
def test_a_title_for_the_patients_setting_ranks_up():
    cfg = RetrieveSettings()
    u = read("ED: 40M fitting for 20 minutes despite lorazepam twice. Which drug next?")
    assert "ed" in u.setting
    ed = fit(u, "d1", "Adult patients presenting to the emergency department with seizures", "", cfg)
    plain = fit(u, "d2", "Epilepsy in adults: diagnosis and management", "", cfg)
    assert ed.get("setting") == cfg.setting_bonus and "setting" not in plain
    icu = read("Ventilated on intensive care for 3 days, new fever. Which antibiotic?")
    assert fit(icu, "d3", "Sedation of critically ill adults", "", cfg).get("setting") == cfg.setting_bonus


# -- the documents about the problem --------------------------------------------------------------------
def test_the_vocabulary_lists_the_documents_about_a_problem():
    vocab = Vocabulary(
        [
            ("a", "Anemia in pregnancy", ""),
            ("b", "Anaemia management in people with chronic kidney disease", ""),
            ("c", "Iron deficiency anaemia in children: screening", ""),
            ("d", "Hypertension in adults", "High blood pressure"),
        ]
    )
    assert vocab.documents_about(["anaemia"]) == ["a", "b", "c"]  # either spelling
    assert vocab.documents_about(["iron deficiency anaemia"]) == ["c"]
    assert vocab.documents_about(["high blood pressure"]) == ["d"]
    assert vocab.documents_about(["zorbitis"]) == []


def _guideline(doc_id: str, title: str, texts: list[str]) -> Document:
    return Document(
        id=doc_id,
        source="fit-test",
        title=title,
        source_type=SourceType.GUIDELINE,
        organisation="Test organisation",
        year=2020,
        blocks=[Block(text=t, heading_path=(title,), kind=BlockKind.RECOMMENDATION) for t in texts],
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A guideline titled by the problem, written in other words than the question, among many
    passages that share the question's words."""
    home = tmp_path_factory.mktemp("fit-home")
    settings = Settings(home=home, database_url=None)
    settings.embedding.model = "hashing"
    docs = [
        _guideline("t:thal", "Beta thalassaemia", ["Discontinue chelation before conception; review the heart."]),
        *(
            _guideline(
                f"t:other{i}",
                f"Transfusion service standards, part {i}",
                [
                    f"Transfusion-dependent adults with beta thalassaemia on a chelator need iron monitoring every "
                    f"{i + 2} months; beta thalassaemia trait needs none."
                ],
            )
            for i in range(8)
        ),
    ]
    m = Medcite(settings)
    m.store.ingest(docs)
    m.close()
    return home


def _first_docs(home: Path, most: int) -> list[str]:
    settings = Settings(home=home, database_url=None)
    settings.embedding.model = "hashing"
    # Few candidates per retriever, as a large corpus leaves few places for one guideline.
    settings.retrieve.candidates = 3
    settings.retrieve.problem_documents_max = most
    m = Medcite(settings)
    try:
        question = "Transfusion-dependent adult with beta thalassaemia on a chelator: iron monitoring how often?"
        u = m.corpus.understand(question)
        assert u.problems and u.problems[0].score >= settings.retrieve.problem_documents_score
        hits = m.corpus.search(question, k=10, filters=None, audience=m_audience(), understood=u).hits
        return list(dict.fromkeys(h.doc.id for h in hits))
    finally:
        m.close()


def m_audience():
    from medcite.records import Audience

    return Audience.CLINICIAN


def test_the_documents_about_a_sure_problem_compete_even_without_the_questions_words(home: Path):
    assert "t:thal" in _first_docs(home, 12)
    assert "t:thal" not in _first_docs(home, 0)  # joining the candidates is what brought it in


def test_a_named_problems_other_names_do_not_dilute_what_a_passage_should_hold():
    from medcite.records import Problem, Understanding
    from medcite.retrieve.query import understand
    from medcite.retrieve.rerank import term_weights
    from medcite.text import stem

    fissure = Problem(name="anal fissure", how="named", score=3.0, terms=["anal fissure", "fissure-in-ano"])
    q = understand("Best cream for an anal fissure?").model_copy(
        update={"understood": Understanding(problems=[fissure])}
    )
    assert stem("fissure-in-ano") not in term_weights(q, None)
    # An inferred problem's names are what the passages will say: they count.
    inferred = fissure.model_copy(update={"how": "inferred", "name": "anal fissure"})
    q = understand("Tearing pain and bright blood on the paper after every stool. Which cream?").model_copy(
        update={"understood": Understanding(problems=[inferred])}
    )
    assert {stem("anal"), stem("fissure")} <= set(term_weights(q, None))


# -- described findings feed presentations --------------------------------------------------------------
def test_a_presentation_written_in_clinical_words_holds_for_described_findings():
    # "thick dark hair on her upper lip" is hirsutism and "periods only every 3 months" oligomenorrhoea;
    # the presentation of polycystic ovary syndrome is written in those clinical words.
    u = read("Woman of 24 with thick dark hair on her upper lip and periods only every 3 months. First step?")
    assert u.main is not None and u.main.name == "polycystic ovary syndrome" and u.main.how == "inferred"
    # Negated, the descriptions add nothing.
    u = read("Woman of 24, no excess hair on her upper lip, periods every 28 days. Contraception?")
    assert "polycystic ovary syndrome" not in [p.name for p in u.problems]


# -- the kind of document the question asks for ---------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "drug", "test"),
    [
        ("ACR Appropriateness Criteria® osteoporosis and bone mineral density", -1, 1),
        ("Diagnosis of acute gout: a clinical practice guideline", -1, 1),
        ("Management of acute and recurrent gout", 1, -1),
        ("Diagnosis and management of epilepsy in adults", 0, 0),
        ("ACR Appropriateness Criteria® radiologic management of central venous access", -1, 1),
    ],
)
def test_a_titles_kind_fits_or_clashes_with_the_first_aspect_asked(title, drug, test):
    from medcite.records import Aspect

    c = tables.contrasts()
    assert (c.aspect_fit(Aspect.DRUG, title), c.aspect_fit(Aspect.TEST, title)) == (drug, test)
    assert c.aspect_fit(None, title) == 0


def test_an_imaging_guideline_ranks_down_for_a_drug_question_and_up_for_a_scan():
    cfg = RetrieveSettings()
    drug = read("74F on alendronate for 9 years with thigh pain; should the bisphosphonate be stopped?")
    scan = read("76F fell on her hip, cannot bear weight, x-ray normal. Which imaging next?")
    title = "ACR Appropriateness Criteria® acute hip pain"
    assert fit(drug, "d", title, "", cfg).get("kind") == -cfg.kind_penalty
    assert fit(scan, "d", title, "", cfg).get("kind") == cfg.kind_bonus


def test_the_baby_in_a_pregnant_womans_history_is_not_the_patient():
    u = read("Second pregnancy; her first baby came at 27 weeks. Now 19 weeks, cervix 21 mm. What should be offered?")
    assert u.patient.pregnant and u.patient.age_band not in ("neonate", "infant", "child")
    assert read("Newborn baby, jaundiced on day 2. Bilirubin threshold?").patient.age_band == "neonate"


def test_a_named_problem_is_named_in_either_spelling():
    from medcite.records import Problem, Understanding
    from medcite.retrieve.query import understand
    from medcite.retrieve.rerank import term_weights
    from medcite.text import stem

    ich = Problem(name="intracerebral haemorrhage", score=3.0, terms=["intracerebral haemorrhage", "brain bleed"])
    for text in ("BP target after intracerebral haemorrhage?", "BP target after intracerebral hemorrhage?"):
        q = understand(text).model_copy(update={"understood": Understanding(problems=[ich])})
        assert stem("bleed") not in term_weights(q, None), text


# -- asked aspects in more wordings ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("asked", "aspect"),
    [
        ("Are there any tablets that help with the flushing?", "drug"),
        ("Which antispasmodic would you prescribe?", "drug"),
        ("Sertraline or mirtazapine?", "drug"),
        ("Where should the injection go in a toddler?", "route_site"),
        ("Does she need baseline bloods before starting?", "whether_to_test"),
        ("Is further imaging worthwhile at this stage?", "whether_to_test"),
        ("How can we establish whether it has spread?", "test"),
        ("Needs to be seen by the surgeons tonight?", "referral"),
        ("Should this child be sent to hospital?", "referral"),
        ("What do we do about his warfarin?", "continue_stop"),
        ("Is it safe to keep the catheter in?", "continue_stop"),
        ("How long can she wait before the operation?", "duration"),
        ("What should his feed be?", "first_choice"),
        ("Should we put her on a nebuliser tonight?", "first_choice"),
        ("Would a short course of steroids help him?", "first_choice"),
        ("Is there a better way to settle his itch?", "first_choice"),
        ("What antiplatelet options are there?", "first_choice"),
        ("What gives the fastest relief?", "first_choice"),
        ("What saturation should we be aiming for?", "dose"),
        ("Which infusion rate?", "dose"),
        ("When should the next gentamicin level be drawn?", "repeat"),
        ("Does he need a steroid too, and if so which?", "drug"),
        ("Does he need his bladder scanned before discharge?", "whether_to_test"),
        ("Is an echo worthwhile at this point?", "whether_to_test"),
        ("Should we restart the anticoagulant?", "continue_stop"),
        ("Which score should I use to judge her risk?", "test"),
        # The natural course is a prognosis, not how long to treat.
        ("How long does this usually take to settle?", "prognosis"),
        ("How long will the cough last?", "prognosis"),
        ("How long should she take the antibiotic?", "duration"),
        # Stop 25: shorter and looser wordings.
        ("Is it worth checking her ferritin?", "whether_to_test"),
        ("Worth ordering a scan?", "whether_to_test"),
        ("Do we still need a chest x-ray before discharge?", "whether_to_test"),
        ("Anything we can give to ease the nausea?", "drug"),
        ("Is there any medicine that could help her sleep?", "drug"),
        ("Better drug option for him?", "drug"),
        ("What's the usual starting schedule?", "dose"),
        ("Which vein should we use?", "route_site"),
        ("Where should the drain be placed?", "route_site"),
        ("Next imaging?", "test"),
        ("Where should her antenatal care be based - where should she be seen?", "referral"),
        ("What model of care suits him?", "referral"),
        ("Which procedure next?", "next_step"),
        ("Should we offer her an operation?", "management"),
        ("Any better alternative?", "management"),
        ("Is a caesarean indicated for this alone?", "management"),
        ("What ferritin cut-off confirms the diagnosis?", "definition"),
    ],
)
def test_more_wordings_of_the_asked_aspect(asked, aspect):
    assert aspect in [a.value for a in read(f"A 40-year-old with a long story. {asked}").aspects]


@pytest.mark.parametrize(
    ("question", "definition"),
    [
        ("Whats a cluster headache?", True),
        ("What is polymyalgia rheumatica?", True),
        ("What does HbA1c mean?", True),
        ("What is the best treatment for gout?", False),
        ("What is her diagnosis?", False),
        ("What is the dose?", False),
    ],
)
def test_a_question_that_asks_what_something_is_asks_for_a_definition(question, definition):
    assert ("definition" in [a.value for a in read(question).aspects]) is definition


def test_scrotal_pain_in_a_boy_reads_as_torsion_and_in_an_older_man_does_not():
    boy = read("14-year-old with 6 hours of right scrotal pain, the testis tender and swollen. Which scan?")
    assert boy.main is not None and boy.main.name == "testicular torsion"
    man = read("62-year-old man with a week of scrotal pain and dysuria. Which antibiotic?")
    assert "testicular torsion" not in [p.name for p in man.problems]


def test_a_stomach_seen_in_the_chest_is_a_hiatus_hernia():
    u = read("79F, months of chest pressure after meals. CT: much of the stomach lies within the chest. Operate?")
    assert u.main is not None and u.main.name == "hiatus hernia"


def test_whether_something_is_safe_in_pregnancy_is_what_is_asked_first():
    u = read(
        "Dental abscess at 20 weeks. Is it all right to give her amoxicillin and a local anaesthetic while pregnant?"
    )
    assert u.aspects[0].value == "pregnancy_safety", u.aspects


def test_what_the_diagnosis_should_be_asks_for_a_test_not_a_treatment():
    assert [a.value for a in read("A 40-year-old with a long story. What should the diagnosis be?").aspects] == ["test"]


def test_two_wordings_of_one_question_do_not_lengthen_the_answer():
    from medcite.answer.compose.extractive import budget
    from medcite.records import Aspect, Understanding

    s = Settings(database_url=None)
    one = s.answer.items_one_aspect

    def items(*aspects: Aspect) -> int:
        return budget(Understanding(aspects=list(aspects)), s, used=1)

    assert items(Aspect.FIRST_CHOICE, Aspect.DRUG) == items(Aspect.DRUG) == one
    assert items(Aspect.TEST, Aspect.WHETHER_TO_TEST) == one
    assert items(Aspect.DRUG, Aspect.DURATION) == one + s.answer.items_per_aspect


def test_a_unit_is_not_an_age_and_values_are_read_through_a_few_words():
    u = read("eGFR stable at 28 ml/min/1.73 m2 on three tests over 6 months, ACR 15 mg/mmol. Refer to renal?")
    assert u.patient.age_band is None and u.patient.sex is None  # "m2" is no two-year-old boy
    assert [f.reading for f in u.findings][:1] == ["CKD G4"] and u.main is not None
    assert u.main.name == "chronic kidney disease"
    bp = read("Her systolic readings run 152-158 at home on amlodipine. Add a second drug?")
    assert "hypertension" in [f.reading for f in bp.findings]
    assert read("M52 with chest pain on exertion. Which test?").patient.sex == "male"


@pytest.mark.parametrize(
    ("asked", "first"),
    [
        ("Which beta-blocker should she go home on?", "drug"),
        ("What anticoagulant should the patient have after the valve?", "drug"),
        ("Which calcium antagonist is best tolerated?", "drug"),
        ("What scan should he have now?", "test"),
        ("What imaging should she get?", "test"),
        # The test word may come second: "which lab test", "what blood test", "which imaging study".
        ("Which lab test should we use to look for the virus?", "test"),
        ("What blood test should she have?", "test"),
        ("Which antibiotic should we use?", "drug"),
    ],
)
def test_what_the_patient_should_have_is_a_drug_unless_it_is_a_test(asked, first):
    assert read(f"A 60-year-old after a long admission. {asked}").aspects[0].value == first


def test_a_sentence_written_for_pregnant_patients_fits_a_pregnant_patient():
    from medcite.understand.tables import patient_tables

    pregnant = read("31F, 26/40, colicky central abdominal pain and bilious vomiting. Which imaging study?")
    assert "pregnant" in pregnant.qualifiers
    fit = patient_tables().qualifier_fit
    assert fit(pregnant.qualifiers, "In pregnant patients, only noncontrast sequences are obtained.") == 1
    assert fit(pregnant.qualifiers, "In nonpregnant individuals, IV gadolinium sequences can be added.") == -1
    assert fit(pregnant.qualifiers, "CT abdomen and pelvis with contrast is usually appropriate.") == 0
    # A man, or a woman not said to be pregnant, is not.
    assert "pregnant" not in read("36M, new positive test, CD4 300. Which regimen?").qualifiers
    assert "pregnant" not in read("45F with colicky abdominal pain. Which imaging study?").qualifiers


def test_a_sentence_about_another_body_site_clashes_with_the_questions_site():
    from medcite.understand.tables import contrasts

    c = contrasts()
    knee = c.sites_named("67-year-old with knee osteoarthritis asks for a hyaluronic acid injection.")
    assert knee == {"knee"}
    assert c.site_clash(knee, "Intraarticular corticosteroids for osteoarthritis of the hip.")
    assert not c.site_clash(knee, "Exercise helps knee and hip osteoarthritis.")
    assert not c.site_clash(knee, "Offer NSAIDs at the lowest effective dose.")
    # A question naming no site clashes with nothing; hand hygiene and hip protectors are not sites.
    assert not c.site_clash(set(), "Osteoarthritis of the hip.")
    assert not c.sites_named("Wash hands? No: hand hygiene before contact.") - {"hand"}
    assert "hip" not in c.sites_named("Hip protectors for care-home residents.")


def test_a_sentence_for_the_other_sex_only_clashes_with_the_patients_sex():
    from medcite.understand.tables import contrasts

    c = contrasts()
    assert c.sex_clash("female", "Mammography should be the initial study in men in this age range.")
    assert c.sex_clash("male", "For women 40 years of age or older, mammography should be the initial examination.")
    assert not c.sex_clash("female", "For men or women 40 years of age or older, mammography or DBT first.")
    assert not c.sex_clash("male", "In men and women alike, offer ultrasound.")
    assert not c.sex_clash("female", "Ultrasound may be used first if the patient is pregnant.")
    assert not c.sex_clash(None, "In men, offer a PSA test.")
    # 'management' and 'human' are not 'man'.
    assert not c.sex_clash("female", "Management of human bites.")


# -- a title naming what a vignette asks ----------------------------------------------------------------
@pytest.fixture(scope="module")
def asked_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A broad guideline on the problem the story describes, and a narrow one titled by what is asked."""
    home = tmp_path_factory.mktemp("asked-home")
    settings = Settings(home=home, database_url=None)
    settings.embedding.model = "hashing"
    docs = [
        _guideline(
            "t:broad",
            "Cystic fibrosis: diagnosis and management",
            [
                "Offer adolescents with cystic fibrosis and chronic Pseudomonas aeruginosa an inhaled antibiotic.",
                "Review sweat chloride, chest symptoms and sputum cultures at every visit in adolescents.",
            ],
        ),
        _guideline(
            "t:narrow",
            "Tobramycin dry powder for inhalation",
            ["Offer tobramycin dry powder when a nebulised antibiotic is not tolerated."],
        ),
    ]
    m = Medcite(settings)
    m.store.ingest(docs)
    m.close()
    return home


def _docs_for(home: Path, question: str, weight: float) -> list[str]:
    settings = Settings(home=home, database_url=None)
    settings.embedding.model = "hashing"
    settings.retrieve.asked_title_weight = weight
    m = Medcite(settings)
    try:
        u = m.corpus.understand(question)
        hits = m.corpus.search(question, k=10, filters=None, audience=m_audience(), understood=u).hits
        return list(dict.fromkeys(h.doc.id for h in hits))
    finally:
        m.close()


def test_a_title_naming_what_a_vignette_asks_ranks_up(asked_home: Path):
    question = (
        "15-year-old girl with cystic fibrosis, sweat chloride 104 mmol/L, chronic Pseudomonas aeruginosa in her "
        "sputum cultures for two years; the nebulised antibiotic gave her chest tightness. "
        "Is a tobramycin dry powder recommended?"
    )
    assert _docs_for(asked_home, question, 0.0)[0] == "t:broad"
    assert _docs_for(asked_home, question, RetrieveSettings().asked_title_weight)[0] == "t:narrow"


def test_only_a_vignettes_asking_clause_is_weighed_against_titles():
    from medcite.retrieve.query import understand
    from medcite.retrieve.rerank import asked_weights
    from medcite.text import stem

    vignette = (
        "15-year-old girl with cystic fibrosis, chronic Pseudomonas aeruginosa for two years, chest tightness on "
        "nebulised colistimethate. Which dry powder is recommended?"
    )
    q = understand(vignette).model_copy(update={"understood": read(vignette)})
    weights = {stem(w): 1.0 for w in ("dry", "powder", "fibrosis", "recommended", "chest")}
    # The story's words ("fibrosis", "chest") and generic ones ("recommended") are not what is asked.
    assert q.vignette and set(asked_weights(q, weights)) == {stem(w) for w in ("dry", "powder")}
    # Neither the problem's name, the setting nor the generic words of asking are what is asked.
    for asked in (
        "What is the main treatment?",
        "What should primary care provide?",
        "Which cystic fibrosis guideline?",
    ):
        story = f"15-year-old girl with cystic fibrosis, chronic Pseudomonas for two years in clinic. {asked}"
        q3 = understand(story).model_copy(update={"understood": read(story)})
        weights3 = {stem(w): 1.0 for w in ("main", "treatment", "primary", "care", "provide", "cystic", "fibrosis")}
        assert q3.vignette and set(asked_weights(q3, weights3)) <= {stem("provide")}, asked
    short = "Which dry powder is recommended in cystic fibrosis?"
    q2 = understand(short).model_copy(update={"understood": read(short)})
    assert asked_weights(q2, weights) == {}


# -- the title read by the dense model ------------------------------------------------------------------
def _candidate(rid: int, doc_id: str, title: str, text: str, fused: float):
    from medcite.records import Chunk, SourceRef
    from medcite.retrieve.rerank import Candidate

    doc = SourceRef(id=doc_id, source="fit-test", type=SourceType.GUIDELINE, title=title, year=2020)
    chunk = Chunk(id=f"{doc_id}#0", doc_id=doc_id, ordinal=0, text=text, heading_path=(title,))
    return Candidate(rid=rid, fused=fused, chunk=chunk, doc=doc)


def test_a_title_close_in_meaning_to_the_question_ranks_up_by_its_weight():
    from medcite.retrieve.query import understand
    from medcite.retrieve.rerank import rerank

    q = understand("ankle keeps giving way months after a sprain, which imaging next?")
    cands = [
        _candidate(1, "t:acute", "Acute trauma to the ankle", "Radiographs of the ankle after an injury.", 0.020),
        _candidate(2, "t:chronic", "Chronic ankle pain", "MRI of the ankle when radiographs are normal.", 0.019),
    ]
    closeness = {"t:acute": 0.35, "t:chronic": 0.62}

    def first(weight: float) -> str:
        cfg = RetrieveSettings(title_semantic_weight=weight)
        hits = rerank(q, cands, cfg, audience=m_audience(), k=2, title_similarity=closeness)
        return hits[0].doc.id

    assert first(0.0) == "t:acute"
    assert first(RetrieveSettings.model_fields["title_semantic_weight"].default or 0.5) == "t:chronic"


def test_the_search_reads_each_candidate_titles_closeness_once(home: Path):
    settings = Settings(home=home, database_url=None)
    settings.embedding.model = "hashing"
    settings.retrieve.title_semantic_weight = 0.5
    m = Medcite(settings)
    try:
        question = "beta thalassaemia iron monitoring"
        hits = m.retriever.search(question, k=5).hits
        assert any("title_semantic" in h.scores for h in hits)
        cached = dict(m.retriever._title_vectors)
        assert {h.doc.id for h in hits} <= set(cached)
    finally:
        m.close()
