"""Wording for the reader: clinician (default), student, or patient.

Claims stay quotes of their passages for every audience — the support check must hold for
patients too. For patients the program adds plain-language glosses in [brackets] after
abbreviations and jargon (the verifier ignores bracketed glosses), plain section titles, and
framing notes that send them back to their clinician.
"""

from __future__ import annotations

import re

from medcite.records import Audience, Claim

PLAIN: dict[str, str] = {
    "NSAIDs": "anti-inflammatory painkillers such as ibuprofen",
    "NSAID": "anti-inflammatory painkiller such as ibuprofen",
    "MRI": "a detailed body scan",
    "CT": "a type of X-ray scan",
    "IV": "through a drip into a vein",
    "intravenous": "through a vein",
    "intramuscular": "injected into a muscle",
    "intraarticular": "injected into the joint",
    "oral": "by mouth",
    "prophylaxis": "preventive treatment",
    "analgesics": "painkillers",
    "analgesia": "pain relief",
    "hypertension": "high blood pressure",
    "hypotension": "low blood pressure",
    "myocardial infarction": "heart attack",
    "anticoagulation": "blood-thinning treatment",
    "anticoagulant": "blood thinner",
    "contraindicated": "should not be used",
    "contraindications": "reasons not to use it",
    "radiculopathy": "nerve pain spreading down the leg or arm",
    "sciatica": "nerve pain down the leg",
    "glucocorticoids": "steroid medicines",
    "corticosteroids": "steroid medicines",
    "epidural": "an injection around the spinal nerves",
    "renal": "kidney",
    "hepatic": "liver",
    "ULT": "urate-lowering treatment",
    "CKD": "chronic kidney disease",
    "COPD": "a long-term lung disease",
    "ACS": "a heart attack or unstable angina",
    "GI": "stomach and gut",
    "PRN": "as needed",
}

PATIENT_NOTES = [
    "This summary is written from published guidance for health professionals. Discuss it with your "
    "doctor, nurse or pharmacist before you change or start any treatment.",
    "Your own situation (other conditions, medicines, pregnancy, allergies) may change what is right for you.",
]
STUDENT_NOTES = [
    "Grades and source types are shown with each reference: check the original guideline "
    "for the full recommendation and its rationale."
]

_PATTERNS = [
    (re.compile(rf"\b{re.escape(term)}\b"), gloss) for term, gloss in sorted(PLAIN.items(), key=lambda kv: -len(kv[0]))
]


def gloss(text: str) -> str:
    """Add '[plain words]' after the first jargon term of each kind (text itself unchanged)."""
    out = text
    for pattern, plain in _PATTERNS:
        # Never inside a bracketed note (a table row's "[heading]"): notes do not nest.
        notes = [n.span() for n in _NOTE.finditer(out)]
        m = next((m for m in pattern.finditer(out) if not any(s < m.start() < e for s, e in notes)), None)
        if m and f"[{plain}]" not in out:
            out = out[: m.end()] + f" [{plain}]" + out[m.end() :]
    return out


_NOTE = re.compile(r"\[[^\]]*\]")


def adapt_claim(claim: Claim, audience: Audience) -> Claim:
    if audience is not Audience.PATIENT:
        return claim
    return claim.model_copy(update={"text": gloss(claim.text)})


def notes_for(audience: Audience) -> list[str]:
    if audience is Audience.PATIENT:
        return list(PATIENT_NOTES)
    if audience is Audience.STUDENT:
        return list(STUDENT_NOTES)
    return []
