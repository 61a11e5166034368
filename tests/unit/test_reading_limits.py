"""What a reading must not take for the problem or the asked aspect: a medicine the question asks about,
a problem this patient cannot have, a condition said never to have been there, an operation's timing
alone; and the wordings that do say what is asked (a changed amount, an option, an operation)."""

import pytest

from medcite.records import Aspect
from medcite.understand.rules import RuleUnderstander, asking_clause, read_aspects

DRUGS = {"metformin", "orlistat", "methadone", "heroin", "warfarin"}


def problems(question: str) -> list[str]:
    return [p.name for p in RuleUnderstander(is_treatment=DRUGS.__contains__).read(question).problems]


def aspects(text: str) -> list[Aspect]:
    return read_aspects(asking_clause(text), text)


# -- a medicine asked about ------------------------------------------------------------------------------
def test_a_medicine_the_question_proposes_is_not_the_problem():
    q = (
        "13yo girl, BMI 31 (97th centile), BP normal. Her mother asks whether orlistat or metformin could "
        "be added to speed things up. What should I tell her?"
    )
    assert problems(q)[:1] == ["obesity"]


def test_a_medicine_the_patient_is_on_still_names_the_problem():
    assert problems("On metformin 1 g twice daily, HbA1c 64 mmol/mol. What next?")[:1] == ["type 2 diabetes"]


# -- a problem this patient cannot have ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "absent"),
    [
        (
            "66M, day 1 after open sigmoid colectomy; thoracic epidural running, urinary catheter in. When should "
            "the catheter come out?",
            "obstetric anaesthesia",
        ),
        (
            "NICU: ex-26-week infant, now 4 weeks old and 1.0 kg. Grade III intraventricular bleed in week 1; "
            "the ventricles are enlarging. Is a diuretic supported?",
            "miscarriage",
        ),
    ],
)
def test_a_problem_this_patient_cannot_have_is_not_read(question, absent):
    assert absent not in problems(question)


def test_the_same_words_in_a_patient_who_can_have_it_are_read():
    q = (
        "29F in labour at 40 weeks, 5 cm dilated, asking for an epidural. Any "
        "contraindication with a platelet count of 90?"
    )
    assert "obstetric anaesthesia" in problems(q)
    assert "miscarriage" in problems("32F, 8 weeks pregnant, bleeding and passing clots since this morning. What now?")


# -- a condition said never to have been there -----------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "55M cured of hepatitis C. Never cirrhotic (biopsy F2). Can he leave the liver clinic?",
        "60F, never diagnosed with diabetes, fasting glucose normal. Should she be screened again?",
    ],
)
def test_never_negates_what_follows(question):
    names = problems(question)
    assert "cirrhosis" not in names and "type 2 diabetes" not in names


# -- an operation alone, an ICU bed alone -----------------------------------------------------------------
def test_an_operations_timing_alone_is_no_wound_infection():
    q = (
        "69M, sigmoid adenocarcinoma on biopsy; resection planned in 3 weeks. How should "
        "the rest of the colon be examined before surgery?"
    )
    assert "surgical site infection" not in problems(q)


def test_antibiotics_continued_after_an_operation_ask_about_wound_infection():
    q = "After a laparoscopic sigmoid resection the team wants IV cefuroxime continued for 5 days. Any benefit?"
    assert "surgical site infection" in problems(q)


def test_an_icu_patient_who_coughs_is_not_a_hospital_acquired_pneumonia():
    q = "Trauma ICU: 58M, ribs 4-9 fractured, pain 8/10 on coughing. What analgesic approach should we move to?"
    assert "hospital-acquired pneumonia" not in problems(q)
    q = "ICU day 6, ventilated since admission, new consolidation on the film and fever 38.6. Which antibiotics?"
    assert problems(q)[:1] == ["hospital-acquired pneumonia"]


# -- conditions a clinician need not name -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "name"),
    [
        (
            "41F on budesonide/formoterol and montelukast, still waking at night twice a week. What should be added?",
            "asthma",
        ),
        ("70M, 2 years after right upper lobectomy for a 2 cm tumour, CT clear. How often CT?", "lung cancer"),
        (
            "69M, CT shows an apple-core stricture in the sigmoid; biopsy at sigmoidoscopy shows adenocarcinoma. "
            "What next?",
            "colorectal cancer",
        ),
        (
            "61M hoarse for 10 weeks; left vocal fold lesion, biopsy squamous cell carcinoma, T2N0. RT or surgery?",
            "head and neck cancer",
        ),
        ("Swab came back positive for T. vaginalis. Does her partner need treating?", "vaginal discharge"),
    ],
)
def test_a_condition_its_treatment_biopsy_or_organism_shows_is_read_first(question, name):
    assert problems(question)[:1] == [name]


# -- the asked aspect ------------------------------------------------------------------------------------
def test_a_yes_no_question_about_a_changed_amount_asks_about_the_dose():
    text = (
        "74M on intravesical BCG. The nurse suggests giving one third of the usual BCG "
        "amount to cut the side effects. Is that advised?"
    )
    assert aspects(text)[:1] == [Aspect.DOSE]
    assert aspects("He is on 40 mg. His GP wants to halve the dose. OK?")[:1] == [Aspect.DOSE]


@pytest.mark.parametrize(
    "text",
    [
        "The keloid itches. Can anything be done to make the scar flatter?",
        "Psoriasis on both elbows for years. What can the skin doctor actually do about it?",
        "82M, frail, 3 cm renal mass. Is cryoablation a reasonable option for him?",
        "My son has a lump in his groin the GP called a hernia. Will it need an operation?",
        "The new dentist wants to pull the wisdom tooth. Should she have it out?",
        "The scan shows a cyst on my ovary. Does this mean I need surgery?",
    ],
)
def test_asking_about_an_option_or_an_operation_asks_how_it_is_managed(text):
    assert Aspect.MANAGEMENT in aspects(text)


def test_to_stop_further_episodes_prevents_and_stops_no_medicine():
    text = (
        "Third ear infection in 5 months. Parents ask about a daily low-dose antibiotic "
        "to stop further episodes. What do you advise?"
    )
    assert Aspect.CONTINUE_STOP not in aspects(text)
    assert aspects("Her INR is fine. Should we stop the warfarin before the extraction?")[:1] == [Aspect.CONTINUE_STOP]


def test_how_something_should_be_examined_asks_for_a_test():
    assert aspects("Resection is planned. How should the rest of his colon be examined before surgery?")[:1] == [
        Aspect.TEST
    ]


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        # Keeping something from happening is prevention, not stopping a medicine.
        (
            "Going hiking in the hills. How do we stop the children getting sunburnt in the first place?",
            Aspect.MANAGEMENT,
        ),
        ("Could it be my new pills doing this, or is it just age?", Aspect.CAUSE),
        (
            "Pains every few minutes since teatime at 35 weeks. Do I phone the labour ward or wait a bit?",
            Aspect.REFERRAL,
        ),
        ("A wart on my thumb for a year. Does it need freezing off or can I leave it be?", Aspect.MANAGEMENT),
        ("Itchy red rash in his armpits. Would a cream do or does he need tablets?", Aspect.DRUG),
    ],
)
def test_patients_ways_of_asking_what_to_do(text, aspect):
    assert aspects(text)[:1] == [aspect]


def test_stopping_someone_getting_a_thing_is_still_stopping():
    assert aspects("Should we stop him getting his repeat prescription of diazepam?")[:1] == [Aspect.CONTINUE_STOP]


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        # C-peptide and GAD antibodies are tests for the type of diabetes, not HIV prophylaxis or anxiety.
        ("12F, glucose 19 and ketones 0.9. Should C-pep and GAD antibodies be sent before insulin?", "HIV infection"),
        (
            "12F, glucose 19 and ketones 0.9. Should C-pep and GAD antibodies be sent before insulin?",
            "generalised anxiety disorder",
        ),
        # Drinking water is no drinking problem.
        (
            "7-year-old with hard stools; his dad makes him drink 3 litres of water a day. Is that too much?",
            "alcohol dependence",
        ),
        # A thyroid lobectomy is no lung operation, a rectal adenoma no cancer.
        ("45F after thyroid lobectomy for a 3 cm follicular tumour. Is completion needed?", "lung cancer"),
        ("Colonoscopy: 2 cm rectal polyp, tubular adenoma, low-grade dysplasia. When to repeat?", "colorectal cancer"),
    ],
)
def test_near_misses_name_no_problem(question, absent):
    assert absent not in problems(question)


def test_a_young_patients_high_glucose_with_ketones_is_type_1_diabetes():
    assert "type 1 diabetes" in problems(
        "9-year-old, thirsty for a month, glucose 24 mmol/L, ketones 1.8. Which insulin?"
    )


def test_lowering_the_chance_of_something_is_preventing_it_not_a_prognosis():
    text = "Former smoker, 66. He wants to take an aspirin every day to lower his risk of bowel cancer. Should he?"
    assert Aspect.PROGNOSIS not in aspects(text)
    assert Aspect.MANAGEMENT in aspects(text)


def test_baby_aspirin_is_no_baby():
    from medcite.understand.rules import RuleUnderstander

    assert RuleUnderstander().read("Should he take a baby aspirin every day?").patient.age_band is None


def test_asking_whether_a_written_plan_is_reasonable_asks_about_what_it_proposes():
    from medcite.understand.rules import read_aspects

    text = "The surgeon has prescribed cefalexin for 10 days after the operation. Sensible plan?"
    assert read_aspects(asking_clause(text), text, {"cefalexin"}.__contains__)[:1] == [Aspect.DRUG]
    # With nothing proposed before it, an option asked about is still a question of management.
    assert aspects("Is watchful waiting a reasonable option for him?")[:1] == [Aspect.MANAGEMENT]


def test_asking_for_prophylaxis_asks_how_to_prevent_it():
    text = "Tap shows protein 9 g/L, no infection. Any prophylaxis to stop her getting an infected ascites?"
    assert aspects(text)[:1] == [Aspect.MANAGEMENT]


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("Normal spirometry and a low FeNO. Can I reassure him it isn't asthma and stop there?", None),
        (
            "Discharged on day 4 after the pituitary operation. What do we need to keep monitoring at home?",
            Aspect.REPEAT,
        ),
        ("Should practice nurses be asking all mothers at the 6-week check about low mood?", Aspect.WHETHER_TO_TEST),
        ("Should she keep taking the aspirin after the stent?", Aspect.CONTINUE_STOP),
    ],
)
def test_stopping_a_work_up_monitoring_and_asking_everyone(text, aspect):
    found = aspects(text)
    if aspect is None:
        assert Aspect.CONTINUE_STOP not in found
    else:
        assert found[:1] == [aspect]


# -- a procedure someone proposes --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Low sperm count and a dilated vein network above the left testis. The urologist has offered to tie off the "
        "veins. Will that help?",
        "72M with a 6 cm aneurysm. The vascular surgeon suggests an endovascular repair. Worth it at his age?",
        "Recurrent bleeding from the fibroid. Gynae want to book a uterine artery embolisation. Reasonable?",
    ],
)
def test_a_yes_no_question_about_a_proposed_procedure_asks_how_it_is_managed(text):
    assert aspects(text)[:1] == [Aspect.MANAGEMENT]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # A test proposed is still whether to test; a drug proposed still the drug.
        ("2 cm adrenal nodule on CT. The team suggests a repeat scan in a year. Should we?", Aspect.WHETHER_TO_TEST),
        ("Her GP has offered to remove the mole. How long until the result?", Aspect.DURATION),
    ],
)
def test_a_proposed_procedure_yields_to_what_else_is_asked(text, first):
    assert aspects(text)[:1] == [first]
