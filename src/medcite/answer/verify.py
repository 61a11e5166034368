"""The support check: every sentence shown as fact is checked against the passages it cites.

Extractive sentences are verbatim quotes, so support is an exact (whitespace/case-normalised)
substring test. Anything else is scored by an entailment judge; the default lexical judge
requires the sentence's content words, every number it states, and its negation to be in the
cited passage. Claims below `min_support` are taken out of the answer and kept, flagged, in
`Answer.unsupported`: a failed check is a recorded verdict, never a silent deletion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from medcite.models import Judge
from medcite.models.judges import is_quote
from medcite.records import Claim, SupportVerdict

SUPPORTED_AT = 0.9


def verdict(score: float, min_support: float) -> SupportVerdict:
    if score >= SUPPORTED_AT:
        return SupportVerdict.SUPPORTED
    if score >= min_support:
        return SupportVerdict.PARTIAL
    return SupportVerdict.UNSUPPORTED


def check_claim(claim: Claim, passages: Mapping[str, str], judge: Judge, min_support: float) -> Claim:
    """Score a claim against each passage it cites; the best-supported passage decides.

    A claim that cites nothing, or cites a passage that was not retrieved, is unsupported.
    """
    cited = [passages[p] for p in claim.passages if p in passages]
    if not cited or len(cited) != len(claim.passages):
        return claim.model_copy(update={"support": SupportVerdict.UNSUPPORTED, "support_score": 0.0})
    if not claim.generated and any(is_quote(claim.text, p) for p in cited):
        score = 1.0
    else:
        score = max(judge.entailment(p, claim.text) for p in cited)
    return claim.model_copy(update={"support": verdict(score, min_support), "support_score": score})


def verify(
    claims: Sequence[Claim], passages: Mapping[str, str], judge: Judge, min_support: float
) -> tuple[list[Claim], list[Claim]]:
    """Split claims into (shown, unsupported) after checking each one."""
    shown: list[Claim] = []
    failed: list[Claim] = []
    for claim in claims:
        checked = check_claim(claim, passages, judge, min_support)
        (failed if checked.support is SupportVerdict.UNSUPPORTED else shown).append(checked)
    return shown, failed
