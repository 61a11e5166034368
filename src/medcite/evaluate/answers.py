"""Answer evaluation (`medcite eval answers`).

Per question set:
- ngc / uspstf / open-medicine (hand-written, key terms): share of answers that cite the guideline
  holding the answer, that contain its key recommendation (every key-term group present), and both;
- every answered set: citation recall and precision by the ALCE definitions (Gao et al. 2023) with
  the configured entailment judge — recall: the claim is entailed by the concatenation of the
  passages it cites; precision: a citation is irrelevant when its passage alone does not entail the
  claim and removing it leaves the claim still entailed by the others; plus the count of claims
  shown as supported that fail the support check (must be 0);
- kqa: comprehensiveness (share of must-have statements entailed by the answer) and contradiction
  rate (statements the answer contradicts: a language-model judge's own verdict; with the lexical
  judge, statements whose content the answer states with the opposite negation);
  the same two figures for the top three search passages alone, the baseline an answer must beat;
- unanswerable / nonmedical (and "<set>-patient": the same asked as a patient): abstention rate with
  a reason; redflag: banner rate on emergencies and false-alarm rate on the calm questions;
- ask latency p50/p95 for the configured composer.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from medcite.engine import Medcite
from medcite.errors import BackendError
from medcite.evaluate.datasets import handwritten, kqa_items, load_jsonl
from medcite.models import create
from medcite.models.base import Contradictions, Judge
from medcite.models.judges import LexicalJudge
from medcite.records import Answer, Audience, Claim, SupportVerdict, Understanding
from medcite.settings import Settings
from medcite.text import STOPWORDS, light_stem, tokens

ENTAILED = 0.5


def answer_text(answer: Answer) -> str:
    return " ".join([answer.bottom_line.text, *(c.text for s in answer.sections for c in s.items)])


# "probe-to-bone" and "probe to bone", "30-60 mg" and "30–60 mg" are one phrase written two ways.
_JOINERS = re.compile(r"[\s\-\u2010\u2011\u2013]+")


def _spelled(text: str) -> str:
    return _JOINERS.sub(" ", text.lower())


def key_terms_hit(text: str, groups: Sequence[Sequence[str]]) -> bool:
    """Every group has one of its phrases in the text (case, spaces and hyphenation aside)."""
    low = _spelled(text)
    return all(any(_spelled(t) in low for t in group) for group in groups)


def claims(answer: Answer) -> list[Claim]:
    return [*answer.bottom_line.claims, *(c for s in answer.sections for c in s.items)]


def alce(answer: Answer, judge: Judge) -> tuple[int, int, int, int, int]:
    """(claims, claims entailed by their citations, citations, irrelevant citations, failed-but-shown)."""
    passages = {p.chunk_id: p.text for r in answer.references for p in r.passages}
    n_claims = recalled = n_cites = irrelevant = failed = 0
    for c in claims(answer):
        cited = [passages[p] for p in c.passages if p in passages]
        n_claims += 1
        ok = bool(cited) and judge.entailment(" ".join(cited), c.text) >= ENTAILED
        recalled += ok
        if c.support is SupportVerdict.SUPPORTED and not ok:
            failed += 1
        for i, p in enumerate(cited):
            n_cites += 1
            alone = judge.entailment(p, c.text) >= ENTAILED
            rest = [q for j, q in enumerate(cited) if j != i]
            without = bool(rest) and judge.entailment(" ".join(rest), c.text) >= ENTAILED
            if not alone and without:
                irrelevant += 1
    return n_claims, recalled, n_cites, irrelevant, failed


def _contradicts(judge: Judge, text: str, statement: str) -> bool:
    """A language-model judge decides contradiction itself; with the lexical judge, the negation check."""
    if isinstance(judge, Contradictions):
        return judge.contradiction(text, statement) >= ENTAILED
    return contradicts(text, statement)


def contradicts(answer: str, statement: str) -> bool:
    """The answer holds the statement's content words but with the opposite negation nearby."""
    words = [light_stem(t) for t in tokens(statement) if t not in STOPWORDS and len(t) > 3]
    if len(words) < 2:
        return False
    for sentence in re.split(r"(?<=[.!?])\s+", answer):
        present = {light_stem(t) for t in tokens(sentence)}
        if sum(w in present for w in words) / len(words) >= 0.7:
            neg_s = bool(re.search(r"\b(not|no|never|avoid)\b", sentence, re.I))
            neg_t = bool(re.search(r"\b(not|no|never|avoid)\b", statement, re.I))
            if neg_s != neg_t:
                return True
    return False


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, float] = {}
        self.latencies: list[float] = []
        self.rows: list[dict[str, Any]] = []
        self.item_counts: list[int] = []
        self.understand_ms: list[float] = []

    def add(self, key: str, value: float = 1.0) -> None:
        self.counts[key] = self.counts.get(key, 0.0) + value

    def summary(self) -> dict[str, Any]:
        c = self.counts
        n = max(1.0, c.get("n", 0.0))
        out: dict[str, Any] = {"n": int(c.get("n", 0))}
        for key in (
            "problem_ok",
            "aspect_ok",
            "hit1",
            "hit3",
            "cites_doc",
            "key_hit",
            "both",
            "bottom_line_on_target",
            "bottom_line_key",
            "abstained",
            "flagged",
            "false_alarm",
            "answered",
        ):
            if key in c:
                out[key] = c[key] / n
        if c.get("all_items"):
            out["item_focus"] = c.get("focus_items", 0.0) / c["all_items"]
        if self.item_counts:
            out["items_median"] = statistics.median(self.item_counts)
        if self.understand_ms:
            out["understand_p50_ms"] = statistics.median(self.understand_ms)
        if c.get("errors"):
            out["errors"] = int(c["errors"])
        if c.get("calm"):
            out["false_alarm"] = c.get("false_alarm", 0.0) / c["calm"]
        if c.get("emergencies"):
            out["flagged"] = c.get("flagged", 0.0) / c["emergencies"]
        if c.get("claims"):
            out["citation_recall"] = c.get("recalled", 0.0) / c["claims"]
            out["shown_but_failed"] = int(c.get("failed", 0))
        if c.get("citations"):
            out["citation_precision"] = 1.0 - c.get("irrelevant", 0.0) / c["citations"]
        if c.get("must_have"):
            out["comprehensiveness"] = c.get("entailed", 0.0) / c["must_have"]
            out["contradiction_rate"] = c.get("contradicted", 0.0) / c["must_have"]
            if "top3_entailed" in c:
                out["top3_comprehensiveness"] = c["top3_entailed"] / c["must_have"]
                out["top3_contradiction"] = c.get("top3_contradicted", 0.0) / c["must_have"]
        if self.latencies:
            lat = sorted(self.latencies)
            out["p50_ms"] = statistics.median(lat)
            out["p95_ms"] = lat[int(0.95 * (len(lat) - 1))]
        return out


def _ask(mc: Medcite, question: str, audience: Audience, tally: Tally) -> Answer:
    t = time.perf_counter()
    answer = mc.ask(question, audience=audience)
    tally.latencies.append((time.perf_counter() - t) * 1000)
    tally.add("n")
    tally.add("abstained", float(answer.abstained))
    return answer


def _score_citations(answer: Answer, judge: Judge, tally: Tally) -> None:
    n_claims, recalled, n_cites, irrelevant, failed = alce(answer, judge)
    tally.add("claims", n_claims)
    tally.add("recalled", recalled)
    tally.add("citations", n_cites)
    tally.add("irrelevant", irrelevant)
    tally.add("failed", failed)


#: Per-question measures of how the question was read, and of what the answer found and says.
_READ = ("problem_ok", "aspect_ok")
_FOUND = ("hit1", "hit3", "cites_doc", "key_hit", "bottom_line_on_target", "bottom_line_key")


def _tally_row(tally: Tally, row: dict[str, Any], keys: Sequence[str]) -> None:
    """Add one question's `vignette_row` to the set's tally: `keys`, `both`, and its items."""
    for key in keys:
        tally.add(key, float(row[key]))
    tally.add("both", float(row["cites_doc"] and row["key_hit"]))
    tally.add("focus_items", row["focus_items"])
    tally.add("all_items", row["items"])
    tally.item_counts.append(row["items"])


def eval_keyed(mc: Medcite, name: str, judge: Judge, limit: int) -> Tally:
    tally = Tally()
    items = handwritten(name)[: limit or None]
    for item in items:
        answer = _ask(mc, item.question, Audience.CLINICIAN, tally)
        row = vignette_row(item, answer)
        _tally_row(tally, row, _FOUND)
        _score_citations(answer, judge, tally)
        tally.rows.append(row)
    return tally


def problem_matches(understood: Understanding | None, gold: Sequence[str]) -> bool:
    """The reading found the gold problem: one of its names shares its words with one gold name
    (stemmed, either way round: "upper GI bleeding" matches "acute upper gastrointestinal bleeding"
    through its expansion, "CKD" matches "chronic kidney disease" through the problem's terms)."""
    if understood is None:
        return False
    found = [n for p in understood.problems for n in [p.name, *p.terms]]
    for name in found:
        # Hyphens split ("attention-deficit hyperactivity disorder" is "attention deficit ...").
        mine = {light_stem(t) for t in tokens(name.replace("-", " "))} - {"acute", "chronic"}
        for g in gold:
            theirs = {light_stem(t) for t in tokens(g.replace("-", " "))} - {"acute", "chronic"}
            if mine and theirs and (mine <= theirs or theirs <= mine):
                return True
    return False


def _doc_of_claim(answer: Answer) -> dict[int, str]:
    return {r.n: r.doc_id for r in answer.references}


#: Question-file aspect labels that name a group of the reader's aspects (helper-written sets use
#: the everyday words: "treatment" is answered by reading first choice, drug or management).
ASPECT_LABELS = {
    "treatment": {"first_choice", "drug", "management", "next_step", "self_care"},
    "prevention": {"first_choice", "drug", "management", "self_care"},
    # "Am I at risk of it too?", "will my kids get it?": what causes it and who gets it.
    "risk": {"cause"},
    # "Is this what it feels like?": what the condition is and does.
    "symptoms": {"definition", "other"},
    # What to do oneself is a narrower way of asking how it is managed or what to try first.
    "management": {"management", "self_care"},
    "first_choice": {"first_choice", "self_care"},
    "interval": {"screening_interval", "repeat"},
    "stop": {"continue_stop"},
    "whether_test": {"whether_to_test"},
}


def aspect_labels(gold: str) -> set[str]:
    """The reader's aspects that count as reading the question file's `aspect` label."""
    return ASPECT_LABELS.get(gold, {gold})


def vignette_row(item: Any, answer: Answer) -> dict[str, Any]:
    """Per-question scores for a vignette (see `eval_vignettes`)."""
    docs = _doc_of_claim(answer)
    relevant = item.relevant
    ranked = list(dict.fromkeys(str(h["chunk_id"]).split("#")[0] for h in answer.provenance.get("hits", [])))
    first = next((i for i, d in enumerate(ranked, start=1) if d in relevant), None)
    cited = {r.doc_id for r in answer.references}
    items = [c for s in answer.sections for c in s.items]
    on_target = [any(docs.get(n) in relevant for n in c.citations) for c in items]
    bottom = not answer.abstained and any(docs.get(n) in relevant for n in answer.bottom_line.citations)
    u = answer.understood
    gold_aspect = item.meta.get("aspect")
    return {
        "id": item.id,
        "problem_ok": problem_matches(u, item.meta.get("problem", [])),
        "aspect_ok": bool(u and gold_aspect and any(a.value in aspect_labels(gold_aspect) for a in u.aspects)),
        "hit1": first == 1,
        "hit3": first is not None and first <= 3,
        "cites_doc": bool(cited & relevant),
        "key_hit": not answer.abstained and key_terms_hit(answer_text(answer), item.key_terms),
        "bottom_line_on_target": bottom,
        # The bottom line itself says part of the answer (one phrase of any key group): what a reader
        # sees first answers what was asked, not only cites the right guideline.
        "bottom_line_key": not answer.abstained
        and any(key_terms_hit(answer.bottom_line.text, [group]) for group in item.key_terms),
        "bottom_line_words": len(answer.bottom_line.text.split()),
        "focus_items": sum(on_target),
        "items": len(items),
        "abstained": answer.abstained,
        "read_as": u.summary if u else "",
        "cited": sorted(cited),
        "named": item.meta.get("named"),
    }


def eval_vignettes(mc: Medcite, name: str, judge: Judge, limit: int, audience: Audience = Audience.CLINICIAN) -> Tally:
    """Case-vignette questions: how the question was read, whether the answering guideline was found,
    cited and leads the bottom line, and how focused the answer is (share of items citing it). The
    patient-voice sets are scored the same way, asked with the patient audience."""
    tally = Tally()
    for item in handwritten(name)[: limit or None]:
        try:
            answer = _ask(mc, item.question, audience, tally)
        except BackendError as exc:
            # A reader that fails closed (the LLM backend's malformed reading) answers nothing: a miss on
            # every measure, counted and kept in the rows, not a reason to stop the whole set.
            tally.add("n")
            tally.add("errors")
            for key in (*_READ, *_FOUND, "both"):
                tally.add(key, 0.0)
            tally.rows.append({"id": item.id, "error": exc.message})
            continue
        row = vignette_row(item, answer)
        _tally_row(tally, row, (*_READ, *_FOUND))
        tally.understand_ms.append(answer.timings_ms.get("understand", 0.0))
        _score_citations(answer, judge, tally)
        tally.rows.append(row)
    return tally


def eval_kqa(mc: Medcite, judge: Judge, limit: int) -> Tally:
    tally = Tally()
    for row in kqa_items(mc.settings.shared_data)[: limit or None]:
        answer = _ask(mc, row["Question"], Audience.PATIENT, tally)
        text = answer_text(answer) if not answer.abstained else ""
        # Citations are scored by the lexical judge, as on every other set: a language-model judge here
        # is for the must-have statements (hundreds of seconds per question on two cores otherwise).
        _score_citations(answer, LexicalJudge(), tally)
        # The baseline the answer must beat: the top three search passages, judged the same way.
        hits = mc.search(row["Question"], k=3, audience=Audience.PATIENT).hits
        top3 = " ".join(h.chunk.text for h in hits)
        entailed = 0
        for statement in row.get("Must_have", []):
            hit = bool(text) and judge.entailment(text, statement) >= ENTAILED
            entailed += hit
            tally.add("must_have")
            tally.add("entailed", float(hit))
            tally.add("contradicted", float(bool(text) and _contradicts(judge, text, statement)))
            tally.add("top3_entailed", float(bool(top3) and judge.entailment(top3, statement) >= ENTAILED))
            tally.add("top3_contradicted", float(bool(top3) and _contradicts(judge, top3, statement)))
        tally.rows.append(
            {
                "question": row["Question"],
                "abstained": answer.abstained,
                "reason": answer.abstain_reason,
                "must_have": len(row.get("Must_have", [])),
                "entailed": entailed,
            }
        )
    return tally


def eval_abstain(mc: Medcite, name: str, limit: int, audience: Audience = Audience.CLINICIAN) -> Tally:
    tally = Tally()
    for row in load_jsonl(f"{name.replace('-', '_')}.jsonl")[: limit or None]:
        answer = _ask(mc, row["question"], audience, tally)
        tally.rows.append({"id": row["id"], "abstained": answer.abstained, "reason": answer.abstain_reason})
    return tally


def eval_redflag(mc: Medcite, limit: int) -> Tally:
    tally = Tally()
    for row in load_jsonl("redflag.jsonl")[: limit or None]:
        answer = _ask(mc, row["question"], Audience.CLINICIAN, tally)
        flagged = bool(answer.red_flags)
        if row.get("flag"):
            tally.add("emergencies")
            tally.add("flagged", float(flagged))
        else:
            tally.add("calm")
            tally.add("false_alarm", float(flagged))
    return tally


#: Set name -> question file of the case-vignette sets (held-out: kept aside while tuning; fresh,
#: unseen2 ... unseen24: written in stops 16 to 28 by someone who never saw medcite answer them, each
#: run unseen once at the end of its stop).
VIGNETTE_SETS = {
    "vignettes": "vignettes.jsonl",
    "vignettes-heldout": "vignettes_heldout.jsonl",
    "vignettes-fresh": "vignettes_fresh.jsonl",
    "vignettes-unseen2": "vignettes_unseen2.jsonl",
    "vignettes-unseen3": "vignettes_unseen3.jsonl",
    "vignettes-unseen4": "vignettes_unseen4.jsonl",
    "vignettes-unseen5": "vignettes_unseen5.jsonl",
    "vignettes-unseen6": "vignettes_unseen6.jsonl",
    "vignettes-unseen7": "vignettes_unseen7.jsonl",
    "vignettes-unseen8": "vignettes_unseen8.jsonl",
    "vignettes-unseen9": "vignettes_unseen9.jsonl",
    "vignettes-unseen10": "vignettes_unseen10.jsonl",
    "vignettes-unseen11": "vignettes_unseen11.jsonl",
    "vignettes-unseen12": "vignettes_unseen12.jsonl",
    "vignettes-unseen13": "vignettes_unseen13.jsonl",
    "vignettes-unseen14": "vignettes_unseen14.jsonl",
    "vignettes-unseen15": "vignettes_unseen15.jsonl",
    "vignettes-unseen16": "vignettes_unseen16.jsonl",
    "vignettes-unseen17": "vignettes_unseen17.jsonl",
    "vignettes-unseen18": "vignettes_unseen18.jsonl",
    "vignettes-unseen19": "vignettes_unseen19.jsonl",
    "vignettes-unseen20": "vignettes_unseen20.jsonl",
    "vignettes-unseen21": "vignettes_unseen21.jsonl",
    "vignettes-unseen22": "vignettes_unseen22.jsonl",
    "vignettes-unseen23": "vignettes_unseen23.jsonl",
    "vignettes-unseen24": "vignettes_unseen24.jsonl",
    "vignettes-unseen25": "vignettes_unseen25.jsonl",
    "vignettes-unseen26": "vignettes_unseen26.jsonl",
    "vignettes-unseen27": "vignettes_unseen27.jsonl",
    "vignettes-unseen28": "vignettes_unseen28.jsonl",
    "vignettes-unseen29": "vignettes_unseen29.jsonl",
    "vignettes-unseen30": "vignettes_unseen30.jsonl",
    "vignettes-unseen31": "vignettes_unseen31.jsonl",
    "vignettes-unseen32": "vignettes_unseen32.jsonl",
    "vignettes-unseen33": "vignettes_unseen33.jsonl",
    "vignettes-unseen34": "vignettes_unseen34.jsonl",
    "vignettes-unseen35": "vignettes_unseen35.jsonl",
    "vignettes-unseen36": "vignettes_unseen36.jsonl",
    "vignettes-unseen37": "vignettes_unseen37.jsonl",
    "vignettes-unseen38": "vignettes_unseen38.jsonl",
    "vignettes-unseen39": "vignettes_unseen39.jsonl",
}

#: Set name -> question file of the patient-voice sets (written in stop 29 by helpers who never ran
#: medcite, answered by MedQuAD pages, USPSTF or NGC): scored like the vignettes, asked as a patient.
LAY_SETS = {
    "lay-unseen1": "lay_unseen1.jsonl",
    "lay-unseen2": "lay_unseen2.jsonl",
    "lay-unseen3": "lay_unseen3.jsonl",
    "lay-unseen4": "lay_unseen4.jsonl",
    "lay-unseen5": "lay_unseen5.jsonl",
    "lay-unseen6": "lay_unseen6.jsonl",
    "lay-unseen7": "lay_unseen7.jsonl",
    "lay-unseen8": "lay_unseen8.jsonl",
    "lay-unseen9": "lay_unseen9.jsonl",
    "lay-unseen10": "lay_unseen10.jsonl",
    "lay-unseen11": "lay_unseen11.jsonl",
    "lay-unseen12": "lay_unseen12.jsonl",
    "lay-unseen13": "lay_unseen13.jsonl",
    "lay-unseen14": "lay_unseen14.jsonl",
    "lay-unseen15": "lay_unseen15.jsonl",
    "lay-unseen16": "lay_unseen16.jsonl",
    "lay-unseen17": "lay_unseen17.jsonl",
    "lay-unseen18": "lay_unseen18.jsonl",
    "lay-unseen19": "lay_unseen19.jsonl",
}


#: The sets that should be declined; each also runs asked as a patient as "<set>-patient".
ABSTAIN_SETS = ("unanswerable", "unanswerable-vignettes", "nonmedical")


def answers_eval(settings: Settings, names: Sequence[str], *, limit: int, console: Console) -> tuple[list[str], dict]:
    mc = Medcite(settings)
    judge: Judge = create("judge", settings.llm.judge, settings)
    results: dict[str, Any] = {}
    for name in names:
        console.print(f"[dim]evaluating {name} …[/]")
        if name in VIGNETTE_SETS:
            tally = eval_vignettes(mc, VIGNETTE_SETS[name], judge, limit)
        elif name in LAY_SETS:
            tally = eval_vignettes(mc, LAY_SETS[name], judge, limit, Audience.PATIENT)
        elif name in ("ngc", "uspstf", "open-medicine"):
            file = {
                "ngc": "ngc_clinician.jsonl",
                "uspstf": "uspstf_clinician.jsonl",
                "open-medicine": "open_medicine.jsonl",
            }[name]
            tally = eval_keyed(mc, file, judge, limit)
        elif name == "kqa":
            tally = eval_kqa(mc, judge, limit)
        elif name in ABSTAIN_SETS:
            tally = eval_abstain(mc, name, limit)
        elif name.removesuffix("-patient") in ABSTAIN_SETS:
            # The same questions asked as a patient: a patient's question is declined on its own threshold.
            tally = eval_abstain(mc, name.removesuffix("-patient"), limit, Audience.PATIENT)
        elif name == "redflag":
            tally = eval_redflag(mc, limit)
        else:
            raise ValueError(f"unknown answer set {name!r}")
        results[name] = {"summary": tally.summary(), "rows": tally.rows}
    mc.close()
    return [_table(results, settings)], results


def _table(results: dict[str, Any], settings: Settings) -> str:
    cols = [
        "n",
        "problem_ok",
        "aspect_ok",
        "hit1",
        "hit3",
        "cites_doc",
        "key_hit",
        "both",
        "bottom_line_on_target",
        "bottom_line_key",
        "item_focus",
        "items_median",
        "citation_recall",
        "citation_precision",
        "shown_but_failed",
        "comprehensiveness",
        "contradiction_rate",
        "top3_comprehensiveness",
        "top3_contradiction",
        "abstained",
        "flagged",
        "false_alarm",
        "p50_ms",
        "p95_ms",
        "understand_p50_ms",
        "errors",
    ]
    lines = [
        f"composer: {settings.answer.composer}; judge: {settings.llm.judge}",
        "",
        "| set | " + " | ".join(cols) + " |",
        "|---|" + "---:|" * len(cols),
    ]
    for name, r in results.items():
        s = r["summary"]
        cells = []
        for c in cols:
            v = s.get(c)
            cells.append(
                ""
                if v is None
                else (f"{v:.0f}" if c in ("n", "p50_ms", "p95_ms", "shown_but_failed", "items_median") else f"{v:.3f}")
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
