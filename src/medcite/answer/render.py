"""Render an Answer as JSON (the contract), Markdown, or rich terminal text.

The HTML page is rendered by the web templates from the same Answer record.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from medcite.records import Answer, Claim, Reference

LEVEL_LABEL = {"high": "High", "moderate": "Moderate", "low": "Low", "very_low": "Very low", "ungraded": "Not graded"}


def to_json(answer: Answer) -> dict[str, Any]:
    """The `ask --json` / `POST /api/ask` contract (a superset of the documented keys)."""
    data: dict[str, Any] = answer.model_dump(mode="json")
    data["bottom_line"] = {
        "text": answer.bottom_line.text,
        "citations": answer.bottom_line.citations,
        "claims": data["bottom_line"]["claims"],
    }
    return data


def to_json_text(answer: Answer) -> str:
    return json.dumps(to_json(answer), indent=2, ensure_ascii=False)


def _cites(claim: Claim) -> str:
    return "".join(f"[{n}]" for n in claim.citations)


def _support_mark(claim: Claim) -> str:
    return "" if claim.support.value == "supported" else f" _(support: {claim.support.value})_"


def reference_line(r: Reference) -> str:
    parts = [f"**{r.type}**", r.title]
    if r.source:
        parts.append(r.source)
    if r.year:
        parts.append(str(r.year))
    ids = []
    if r.doi:
        ids.append(f"doi:{r.doi}")
    if r.pmid:
        ids.append(f"PMID {r.pmid}")
    if r.url and not r.doi:
        ids.append(r.url)
    line = ". ".join(p.rstrip(".") for p in parts) + "."
    if ids:
        line += " " + " · ".join(ids)
    if r.evidence:
        line += f" — stated grading: {r.evidence}"
    return line + f" — evidence level: {LEVEL_LABEL[r.level.value]}"


def read_as(answer: Answer) -> str | None:
    """ "Read as: ..." — how the question was understood, so a reader can re-ask with a correction."""
    u = answer.understood
    return f"Read as: {u.summary}" if u is not None else None


def to_markdown(answer: Answer) -> str:
    out: list[str] = [f"# {answer.question}", ""]
    if read_as(answer):
        out += [f"_{read_as(answer)}_", ""]
    for flag in answer.red_flags:
        out += [f"> **⚠ {flag.condition}.** {flag.action}", ""]
    if answer.abstained:
        out += ["**medcite did not answer this question.**", "", answer.abstain_reason or "", ""]
        if answer.closest:
            out += ["Closest indexed sources:", *[f"- {c}" for c in answer.closest], ""]
    else:
        bl = " ".join(f"{c.text}{_cites(c)}{_support_mark(c)}" for c in answer.bottom_line.claims)
        out += ["## Bottom line", "", bl, ""]
        for section in answer.sections:
            out += [f"## {section.title}", ""]
            out += [f"- {c.text}{_cites(c)}{_support_mark(c)}" for c in section.items]
            out.append("")
        if answer.conflicts:
            out += ["## Where sources differ", "", *[f"- {c}" for c in answer.conflicts], ""]
        out += ["## References", ""]
        out += [f"{r.n}. {reference_line(r)}" for r in answer.references]
        out.append("")
        if answer.follow_ups:
            out += ["## Follow-up questions", "", *[f"- {q}" for q in answer.follow_ups], ""]
    for note in answer.notes:
        out += [f"_{note}_", ""]
    if answer.unsupported:
        out += ["<details><summary>Statements removed by the support check</summary>", ""]
        out += [f"- ~~{c.text}~~ (support {c.support_score:.2f})" for c in answer.unsupported]
        out += ["", "</details>", ""]
    out += [
        f"Evidence level: {LEVEL_LABEL[answer.evidence_level.value]} · Status: {answer.status_label} · "
        f"Last updated: {answer.last_updated.isoformat()}",
        "",
        f"_{answer.disclaimer}_",
        "",
    ]
    return "\n".join(out)


def to_terminal(answer: Answer) -> Group:
    parts: list[Any] = []
    for flag in answer.red_flags:
        parts.append(Panel(f"[bold]{escape(flag.action)}[/]", title=f"⚠ {escape(flag.condition)}", border_style="red"))
    parts.append(Text(answer.question, style="bold"))
    if read_as(answer):
        parts.append(Text(read_as(answer) or "", style="dim italic"))
    if answer.abstained:
        parts.append(Panel(escape(answer.abstain_reason or ""), title="Not answered", border_style="yellow"))
        for c in answer.closest:
            parts.append(Text(f"  closest: {c}", style="dim"))
    else:
        bottom = Text()
        for claim in answer.bottom_line.claims:
            bottom.append(claim.text + " ")
            bottom.append(_cites(claim) + " ", style="cyan")
        parts.append(Panel(bottom, title="Bottom line", border_style="green"))
        for section in answer.sections:
            parts.append(Text(section.title, style="bold underline"))
            for item in section.items:
                mark = "" if item.support.value == "supported" else f" ({item.support.value})"
                parts.append(Text(f"  • {item.text} {_cites(item)}{mark}"))
        for conflict in answer.conflicts:
            parts.append(Text(f"≠ {conflict}", style="magenta"))
        parts.append(Text("References", style="bold underline"))
        for r in answer.references:
            parts.append(Text(f"  [{r.n}] {reference_line(r).replace('**', '')}", style="dim"))
        if answer.follow_ups:
            parts.append(Text("Follow-up questions", style="bold underline"))
            parts += [Text(f"  ? {q}") for q in answer.follow_ups]
    for note in answer.notes:
        parts.append(Text(note, style="italic"))
    if answer.unsupported:
        parts.append(Text(f"{len(answer.unsupported)} statement(s) removed by the support check.", style="yellow"))
    parts.append(
        Text(
            f"Evidence level: {LEVEL_LABEL[answer.evidence_level.value]} · {answer.status_label} · "
            f"last updated {answer.last_updated.isoformat()}",
            style="dim",
        )
    )
    parts.append(Text(answer.disclaimer, style="dim italic"))
    return Group(*parts)
