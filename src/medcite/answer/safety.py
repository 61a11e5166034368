"""Safety: emergencies first (red flags), scope (is this a medical question?), personal data.

Red flags are matched on the question with hand-written patterns for presentations that need
action now; each carries what to do, worded for clinicians and for patients. Evidence that
names a red flag relevant to the question (e.g. cauda equina in a back-pain guideline) is
surfaced as a red-flag item too, but only the question raises the emergency banner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from medcite.records import Audience, RedFlag


@dataclass(frozen=True)
class FlagRule:
    """An emergency: `presentation` describes it happening (always raises the banner unless the
    question is plainly about the past); `name` merely names it and raises the banner only when
    the question also sounds acute ("now", "what do I do", abnormal vital signs...)."""

    key: str
    condition: str
    presentation: str
    name: str
    clinician: str
    patient: str

    @cached_property
    def presentation_re(self) -> re.Pattern[str]:
        return re.compile(self.presentation, re.I)

    @cached_property
    def name_re(self) -> re.Pattern[str]:
        return re.compile(self.name, re.I)


_CALL = "Call your local emergency number (911 / 999 / 112) now"
_ANY = r".{0,80}"

RULES: list[FlagRule] = [
    FlagRule(
        "cauda_equina",
        "Possible cauda equina syndrome",
        r"saddle (an(a)?esthesia|numb\w*)|numb\w* (in|around) (the )?(groin|genitals|buttocks|saddle|perine\w*)|"
        r"(can'?t|cannot|unable to) feel (when|where) (he|she|i|they) wipe|"
        r"(?<!stress )(?<!urge )(?<!mixed )(urinary|bladder|bowel) (retention|incontinence)|"
        r"(leak\w*|lost control of|loss of) (urine|bladder|bowel|"
        r"stool)|(can'?t|cannot|unable to) (pee|urinate|control (my |his |her )?(bladder|bowel))|bilateral sciatica",
        r"cauda equina",
        "Emergency MRI and same-day spinal surgical assessment; do not wait for conservative treatment.",
        f"{_CALL} or go to the emergency department: numbness around the groin or new bladder or bowel "
        "problems with back pain can mean nerve compression that needs surgery within hours.",
    ),
    FlagRule(
        "acute_coronary_syndrome",
        "Possible acute coronary syndrome",
        r"(crushing|tight\w*|pressure|squeezing|heavy|severe|sudden) (chest|central) pain|chest pain (radiat\w*|"
        r"spread\w*|with (sweat\w*|shortness|nausea))|chest (pain|tightness) (now|right now|at rest)|"
        r"pain (in|down) (my|the|his|her) left arm|st[- ]elevation",
        r"heart attack|myocardial infarction|\bacs\b|\bstemi\b",
        "Treat as ACS: 12-lead ECG within 10 minutes, aspirin unless contraindicated, emergency transfer.",
        f"{_CALL}. Chew an aspirin (300 mg) if you are not allergic, and do not drive yourself.",
    ),
    FlagRule(
        "aortic_dissection",
        "Possible aortic dissection",
        r"tearing (chest|back) pain|(chest|back) pain (going |radiating )?through to the back|"
        r"(blood pressure|bp) (differs|different) between (the )?arms",
        r"aortic dissection",
        "Suspect aortic dissection: emergency CT angiography and vascular/cardiothoracic referral; avoid thrombolysis.",
        f"{_CALL}: sudden tearing pain in the chest or back needs emergency care.",
    ),
    FlagRule(
        "pulmonary_embolism",
        "Possible pulmonary embolism",
        rf"(calf|leg) (swelling|swollen|pain){_ANY}(breathless\w*|short(ness)? of breath|chest pain)|"
        rf"(breathless\w*|short(ness)? of breath){_ANY}(calf|leg) (swelling|swollen)|"
        r"(suddenly|sudden) (breathless|short of breath)",
        r"pulmonary embol\w*|\bpe\b",
        "Assess for PE now (Wells score, D-dimer or CT pulmonary angiography); consider immediate "
        "anticoagulation if the probability is high.",
        f"{_CALL} or go to the emergency department: sudden breathlessness or chest pain with a swollen leg "
        "can be a blood clot in the lung.",
    ),
    FlagRule(
        "stroke",
        "Possible stroke",
        r"(face|facial) (is )?(droop\w*|drop\w*)|(droop\w*|drop\w*) (face|mouth)|"
        r"(can'?t|cannot|unable to) (lift|raise|move) (his|her|my|their|one) (arm|leg)|"
        r"(arm|leg) (weakness|numbness) (sudden\w*|on one side)|sudden\w* (weakness|numbness|confusion|trouble "
        r"(speaking|seeing|walking)|loss of (vision|speech))|slurred speech|one side of (the|my|his|her) (face|body)|"
        r"worst headache of (my|his|her) life|thunderclap headache",
        r"\bstroke\b|\btia\b|transient isch\w* attack",
        "Activate the stroke pathway: time of onset, glucose, emergency CT/CTA for thrombolysis or "
        "thrombectomy eligibility.",
        f"{_CALL}: note the time the symptoms started. Sudden face, arm or speech problems are a stroke "
        "until proven otherwise.",
    ),
    FlagRule(
        "anaphylaxis",
        "Possible anaphylaxis",
        rf"(stung|sting|bee|wasp|peanut|nut|shellfish|allerg\w*|ate|eating|injection|antibiotic){_ANY}"
        r"(throat (feels |is )?(tight|swell\w*|swollen|closing)|(tongue|lips?|face) (is |are )?(swell\w*|swollen)|"
        r"(can'?t|cannot|trouble|difficulty) (breath\w*|swallow\w*)|wheez\w*|hives all over)|"
        r"(throat|tongue|lips?) (feels |is |are )?(tight|swell\w*|swollen|closing)"
        rf"{_ANY}(sting|stung|bee|wasp|peanut|nut|ate|allerg\w*)",
        r"anaphyla\w*",
        "Give intramuscular adrenaline (epinephrine) 0.5 mg (adult) into the anterolateral thigh now; repeat "
        "after 5 minutes if needed; call for emergency help.",
        f"Use an adrenaline (epinephrine) auto-injector if you have one and {_CALL.lower()}.",
    ),
    FlagRule(
        "suicide_risk",
        "Risk of suicide or self-harm",
        r"kill (my|him|her|them)sel(f|ves)|end(ing)? (my|his|her|their) (own )?life|want(s)? to die|"
        r"better off dead|no reason to live|(stockpil\w*|hoard\w*|saving up) (pills|tablets|medication)|"
        r"plan (to|for) (end|kill|die|tonight)|(suicidal|self[- ]harm\w*) (thoughts|ideation|plan|intent)|"
        r"thinking (about|of) (suicide|killing|ending)|hurt(ing)? (my|him|her)self|intends? to (take|overdose)",
        r"suicid\w*|self[- ]harm",
        "Assess suicide risk now (intent, plan, means); do not leave a person at high risk alone; arrange "
        "same-day crisis or emergency psychiatric assessment.",
        f"You are not alone. If you might act on these thoughts, {_CALL.lower()}. In the US call or text "
        "988 (Suicide & Crisis Lifeline); in the UK call Samaritans on 116 123.",
    ),
    FlagRule(
        "sepsis",
        "Possible sepsis",
        rf"(fever|infection|uti|pneumonia|cellulitis|temperature){_ANY}(confus\w*|drows\w*|mottled|very fast "
        r"breathing|low blood pressure|hypotens\w*|not passing urine|lactate)|(confus\w*|mottled|hypotens\w*)"
        rf"{_ANY}(fever|infection|uti|pneumonia)|lactate (of )?[2-9]",
        r"sepsis|septic",
        "Screen for sepsis now (e.g. qSOFA/NEWS2); if suspected: cultures, lactate, broad-spectrum antibiotics "
        "within 1 hour and fluids.",
        f"{_CALL} or go to the emergency department: infection with confusion, fast breathing, mottled "
        "skin or very low urine can be sepsis.",
    ),
    FlagRule(
        "meningitis",
        "Possible meningitis",
        rf"stiff neck{_ANY}(fever|rash|headache|photophob\w*)|(fever|headache){_ANY}stiff neck|"
        r"rash (that )?(does not|doesn'?t|won'?t) fade|non[- ]blanching rash|purpuric rash",
        r"meningitis|meningococcal",
        "Give parenteral antibiotics without delay if meningococcal disease is suspected; emergency transfer.",
        f"{_CALL}: fever with a stiff neck or a rash that does not fade under a glass needs emergency care.",
    ),
    FlagRule(
        "febrile_infant",
        "Fever in a young infant",
        r"(\d|one|two|three|four|six|eight) (day|week)s?[- ]old\b.{0,60}(fever|temperature|temp|38|won'?t feed|"
        r"not feeding|floppy)|(newborn|neonate)\w*.{0,60}(fever|temperature|won'?t feed|floppy)",
        r"(?!x)x",
        "Infants under 3 months with a temperature of 38 °C or more need same-day (usually emergency) "
        "assessment, including a full sepsis work-up.",
        f"{_CALL} or go to the emergency department: a baby under 3 months with a fever or who will not feed "
        "needs to be seen urgently.",
    ),
    FlagRule(
        "dka",
        "Possible diabetic ketoacidosis",
        rf"(high|raised|positive) ketones|fruity breath|(diabet\w*|blood sugar|glucose|insulin){_ANY}(vomit\w*|"
        r"ketones|breathing fast|kussmaul|confus\w*|drows\w*)",
        r"\bdka\b|ketoacidosis",
        "Check capillary glucose, ketones and venous gas now; start the DKA protocol (fluids, fixed-rate insulin, "
        "potassium).",
        f"{_CALL} or go to the emergency department if you have diabetes with vomiting, high ketones, fast "
        "breathing or drowsiness.",
    ),
    FlagRule(
        "gi_bleed",
        "Possible gastrointestinal bleeding",
        r"vomit\w* (up )?((large amounts of |a lot of )?(bright )?(red )?blood|coffee[- ]grounds?)|"
        r"(black|tarry) (stool|poo)|melaena|melena|haematemesis|hematemesis|"
        r"(passing|lot of|large amount of) blood (from|in) (the |my )?(back passage|rectum|stool)",
        r"(gi|gastrointestinal|upper gi) (bleed|haemorrhage|hemorrhage)",
        "Assess haemodynamic status (Glasgow-Blatchford score), resuscitate, and arrange urgent endoscopy.",
        f"{_CALL} or go to the emergency department: vomiting blood or black, tarry stools can mean serious bleeding.",
    ),
    FlagRule(
        "ectopic_pregnancy",
        "Possible ectopic pregnancy",
        rf"(pregnan\w*|pregnancy test|missed period|lmp){_ANY}((severe|sharp|one[- ]sided) (abdominal|pelvic|belly|"
        r"tummy|lower abdominal) pain|(severe )?(rif|lif|iliac fossa) pain|faint\w*|shoulder[- ]tip pain)|"
        rf"(severe|sharp) (abdominal|pelvic|belly) pain{_ANY}pregnan\w*",
        r"ectopic",
        "Urgent pregnancy test and same-day early-pregnancy or emergency gynaecology assessment; resuscitate if "
        "unstable.",
        f"{_CALL} or go to the emergency department: pain on one side with bleeding or fainting in early "
        "pregnancy needs checking now.",
    ),
    FlagRule(
        "testicular_torsion",
        "Possible testicular torsion",
        r"(sudden|acute|severe) (severe )?(testic\w*|scrot\w*|testes|ball) pain|high[- ]riding test\w*|"
        r"absent cremasteric",
        r"torsion",
        "Emergency urological referral for surgical exploration; do not delay for imaging.",
        f"{_CALL} or go to the emergency department now: sudden testicle pain needs surgery within hours.",
    ),
    FlagRule(
        "severe_asthma",
        "Possible severe or life-threatening asthma attack",
        rf"(asthma|wheez\w*|inhaler){_ANY}((can'?t|cannot|unable to) (speak|talk|finish (a )?sentences?|breathe)|"
        r"(is not|isn'?t|not) (getting better|helping|working)|blue lips|lips (look )?(blue|bluish)|bluish)|"
        r"(inhaler|reliever) (is not|isn'?t|not) (helping|working)",
        r"(severe|life[- ]threatening|acute) asthma attack|status asthmaticus",
        "Treat as acute severe asthma: oxygen, high-dose inhaled short-acting beta-agonist, systemic steroids, "
        "senior review.",
        f"{_CALL} if your reliever inhaler is not helping, you cannot speak in sentences or your lips look blue.",
    ),
    FlagRule(
        "overdose",
        "Possible overdose or poisoning",
        r"took (about |around |maybe )?(too many|a lot of|\d+) (\w+ )?(pills|tablets|capsules)|swallowed (bleach|"
        r"poison|pills|tablets)|pinpoint pupils|unresponsive.{0,60}(needle|pills|overdose)|"
        r"(needle|pills).{0,60}unresponsive",
        r"overdos\w*|poison\w*",
        "Assess airway, breathing, circulation; contact the poisons service; consider specific antidotes "
        "(e.g. naloxone, acetylcysteine).",
        f"{_CALL} or your poison control centre (US 1-800-222-1222) now, even if the person feels well.",
    ),
]

# Questions about the past, prevention, teaching or definitions do not describe an emergency now.
_PAST = re.compile(
    r"\b(in (19|20)\d\d|years? ago|last (year|month)|history of|previous|prior|after (surgery|an episode|"
    r"recovery)|recovery (time|after)|long[- ]term follow[- ]up|follow[- ]up after|in future|in case)\b",
    re.I,
)
_GENERAL = re.compile(
    r"\b(prevent\w*|vaccin\w*|screen\w*|defin\w*|evidence for|risk factors?|how (is|are) .* (defined|diagnosed)|"
    r"teach|educat\w*|early signs|what (is|are) (the )?(signs|symptoms|definition)|epidemiolog\w*|reduc\w+ .*risk)\b",
    re.I,
)
_ACUTE = re.compile(
    r"\b(now(?! that)|right now|just|suddenly|sudden|tonight|today|this (morning|evening|afternoon)|currently|"
    r"(\d+|ten|few) (min(ute)?s?|hours?) ago|what (do|should) (i|we) do|next step|management\??$|help)\b|"
    r"\b(bp|blood pressure) \d{2,3}/\d{2,3}|\bhr \d{3}|\brr [23]\d|lactate \d",
    re.I,
)


def red_flags(question: str, audience: Audience) -> list[RedFlag]:
    """Emergencies the question describes, each with what to do now."""
    flags = []
    past = bool(_PAST.search(question))
    general = bool(_GENERAL.search(question))
    acute = bool(_ACUTE.search(question))
    for rule in RULES:
        m = rule.presentation_re.search(question)
        if m and past and not acute:
            m = None
        if m is None and (acute and not past and not general):
            m = rule.name_re.search(question)
        if m is None:
            continue
        action = rule.patient if audience is Audience.PATIENT else rule.clinician
        flags.append(RedFlag(condition=rule.condition, action=action, trigger=f"question: “{m.group(0)}”"))
    return flags


# -- scope -----------------------------------------------------------------------------------
_MEDICAL = re.compile(
    r"\b(patient|clinic\w*|diagnos\w*|treat\w*|therap\w*|symptom\w*|disease|disorder|syndrome|infection|"
    r"pain|dose|dosing|drug|medic\w*|tablet|pill|vaccin\w*|screen\w*|surgery|surgical|cancer|tumou?r|"
    r"pregnan\w*|blood|heart|lung|kidney|liver|brain|bone|skin|fever|cough|rash|doctor|nurse|hospital|"
    r"guideline|mg|injection|antibiotic\w*|diabet\w*|hypertension|asthma|copd|stroke|depress\w*|anxiety|"
    r"health|allerg\w*|side effects?|risk|prognosis|referral|imaging|mri|x-ray|test(ing)?|sick|ill|"
    r"illness|injur\w*|wound|fracture|pregnancy|baby|child\w*|elderly|sleep|weight|diet|smok\w*|alcohol)\b",
    re.I,
)


_MEDICAL_SUFFIX = re.compile(
    r"\b\w{3,}(itis|osis|a?emia|ectomy|otomy|ostomy|pathy|algia|oma|plasty|scopy|uria|penia|trophy|plegia|"
    r"cillin|mycin|azole|statin|pril|sartan|olol|ine|ide|ate)\b",
    re.I,
)


def medical_signal(question: str) -> float:
    """0..1: how much the question's wording looks clinical (used with retrieval relevance)."""
    found = {m.group(0).lower() for m in _MEDICAL.finditer(question)}
    found |= {
        m.group(0).lower()
        for m in _MEDICAL_SUFFIX.finditer(question)
        if m.group(0).lower()
        not in {
            "machine",
            "online",
            "engine",
            "routine",
            "decide",
            "inside",
            "outside",
            "guide",
            "provide",
            "side",
            "wide",
            "ride",
            "date",
            "late",
            "rate",
            "state",
            "create",
            "update",
            "translate",
            "chocolate",
            "climate",
        }
    }
    hits = len(found)
    return min(1.0, hits / 2)


# -- personal data ------------------------------------------------------------------------------
def personal_data(question: str) -> list[str]:
    """Identifiers found in the question (see `medcite.privacy`, which removes them)."""
    from medcite.privacy.redact import find

    return [question[s.start : s.end] for s in sorted(find(question), key=lambda s: s.start)]
