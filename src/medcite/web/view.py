"""What the answer template needs, computed from a saved answer: the logic stays out of Jinja.

The one non-obvious piece is matching a citation to its passages: a claim cites reference
numbers and chunk ids; the popover of citation n on a claim shows the passages of reference n
that the claim rests on (or the reference's first passage when the ids do not line up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from medcite.api.service import split_follow_up
from medcite.records import Answer, AnswerStatus, Audience, Claim, Passage, Reference
from medcite.store.base import SavedAnswer, ThreadTurn
from medcite.web import level_label

AUDIENCES: list[tuple[str, str, str]] = [
    ("clinician", "Clinician", "Doctor, nurse, pharmacist or other health professional"),
    ("patient", "Patient or carer", "Plain-language wording"),
    ("student", "Student", "Health-professions student"),
]

#: Curated example questions for the embedded default corpus; shown when their guideline is indexed.
EXAMPLES: list[tuple[str, str]] = [
    ("What is the first-line treatment for an acute gout flare?", "open-medicine:acr_gout_2020"),
    (
        "Which vasopressor is first-line in septic shock, and what is the MAP target?",
        "open-medicine:ssc_sepsis_2021",
    ),
    (
        "What empiric antibiotics are recommended for outpatient community-acquired pneumonia?",
        "open-medicine:ats_idsa_cap_2019",
    ),
    (
        "What blood pressure target is recommended for adults with hypertension?",
        "open-medicine:acc_aha_hypertension_2017",
    ),
    ("When should anticoagulation be started in atrial fibrillation?", "open-medicine:acc_aha_af_2023"),
]


@dataclass
class Link:
    label: str
    href: str


@dataclass
class CiteView:
    n: int
    popover_id: str
    ref: Reference
    passages: list[Passage]
    level: str


@dataclass
class ClaimView:
    text: str
    cites: list[CiteView]
    support: str
    evidence: str | None

    @property
    def head(self) -> str:
        """The text up to its last word (the last word is kept on one line with the citations)."""
        return self.text.rpartition(" ")[0]

    @property
    def last_word(self) -> str:
        return self.text.rpartition(" ")[2]


@dataclass
class RefView:
    ref: Reference
    level: str
    links: list[Link]
    title_href: str | None


@dataclass
class AnswerView:
    """Everything answer.html renders."""

    saved: SavedAnswer
    answer: Answer
    bottom_line: list[ClaimView]
    sections: list[tuple[str, list[ClaimView]]]
    references: list[RefView]
    badge_class: str
    badge_text: str
    asked: str
    follows: str | None = None
    thread_id: str | None = None
    earlier: list[ThreadTurn] = field(default_factory=list)

    @property
    def audience_label(self) -> str:
        return next(label for value, label, _ in AUDIENCES if value == self.answer.audience.value)


def safe_href(url: str | None) -> str | None:
    """Only http(s) links reach the page (a source's URL is data, not trusted markup)."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


def reference_links(ref: Reference) -> list[Link]:
    links: list[Link] = []
    if ref.doi:
        links.append(Link(f"DOI {ref.doi}", f"https://doi.org/{quote(ref.doi, safe='/:;()._-')}"))
    if ref.pmid and ref.pmid.isdigit():
        links.append(Link(f"PubMed {ref.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"))
    url = safe_href(ref.url)
    if url and not any(link.href == url for link in links):
        links.append(Link("Source", url))
    return links


def _cited_passages(claim: Claim, ref: Reference) -> list[Passage]:
    chosen = [p for p in ref.passages if p.chunk_id in claim.passages]
    return chosen or ref.passages[:1]


def claim_view(claim: Claim, refs: dict[int, Reference], key: str) -> ClaimView:
    cites = []
    for n in claim.citations:
        ref = refs.get(n)
        if ref is None:  # a citation without its reference is shown as text, never as a dead button
            continue
        cites.append(
            CiteView(
                n=n,
                popover_id=f"cite-{key}-{n}",
                ref=ref,
                passages=_cited_passages(claim, ref),
                level=level_label(claim.level if claim.level.value != "ungraded" else ref.level),
            )
        )
    return ClaimView(text=claim.text, cites=cites, support=claim.support.value, evidence=claim.evidence)


def status_badge(saved: SavedAnswer) -> tuple[str, str]:
    """CSS class and text of the review badge; the text is the store's label ("Approved by …")."""
    answer = saved.answer
    text = answer.status_label or "Pending human review"
    if saved.stale or saved.status is AnswerStatus.REJECTED:
        return "warn", text
    if saved.status is AnswerStatus.APPROVED:
        return "approved", text
    return "pending", text


def build_view(saved: SavedAnswer, thread_id: str | None = None, turns: list[ThreadTurn] | None = None) -> AnswerView:
    answer = saved.answer
    refs = {r.n: r for r in answer.references}
    bottom = [claim_view(c, refs, f"b{i}") for i, c in enumerate(answer.bottom_line.claims)]
    sections = [
        (s.title, [claim_view(c, refs, f"s{j}-{i}") for i, c in enumerate(s.items)])
        for j, s in enumerate(answer.sections)
    ]
    references = [
        RefView(
            ref=r,
            level=level_label(r.level),
            links=reference_links(r),
            title_href=safe_href(r.url) or (reference_links(r)[0].href if reference_links(r) else None),
        )
        for r in answer.references
    ]
    css, text = status_badge(saved)
    asked, previous = split_follow_up(answer.question)
    earlier: list[ThreadTurn] = []
    for turn in turns or []:
        if turn.answer_id == saved.id:
            break
        earlier.append(turn)
    return AnswerView(
        saved=saved,
        answer=answer,
        bottom_line=bottom,
        sections=sections,
        references=references,
        badge_class=css,
        badge_text=text,
        asked=asked,
        follows=previous,
        thread_id=thread_id,
        earlier=earlier,
    )


def audience_from_cookie(value: str | None) -> str:
    return value if value in {a.value for a in Audience} else Audience.CLINICIAN.value


def api_operations(schema: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """OpenAPI operations grouped by tag, in a shape the API reference template can list."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1] or body.get("title")
            groups.setdefault((op.get("tags") or ["other"])[0], []).append(
                {
                    "id": op.get("operationId", f"{method}-{path}"),
                    "method": method,
                    "path": path,
                    "summary": op.get("summary"),
                    "description": op.get("description"),
                    "params": op.get("parameters", []),
                    "body": ref,
                }
            )
    return list(groups.items())
