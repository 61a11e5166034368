"""Shared helpers of the problem-table tests (test_understand_specialties.py, test_understand_more.py,
test_understand_presentations.py, test_cue_robustness.py)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from medcite.understand import tables
from medcite.understand.rules import RuleUnderstander

QUESTIONS = Path(__file__).resolve().parents[2] / "src" / "medcite" / "evaluate" / "questions"


@cache
def table_names(file: str) -> dict[str, str]:
    """Entry key -> shown name, for every entry of one problems*.yaml file."""
    text = resources.files("medcite.understand").joinpath("data", file).read_text("utf-8")
    keys = set(yaml.safe_load(text)["problems"])
    return {r.key: r.name for r in tables.problem_rules() if r.key in keys}


@cache
def reader() -> RuleUnderstander:
    return RuleUnderstander()


def read_names(question: str) -> list[str]:
    """The names of the problems the offline reading finds in `question`, first first."""
    return [p.name for p in reader().read(question).problems]


def nonmedical_questions() -> list[str]:
    lines = (QUESTIONS / "nonmedical.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def problems_of_table_read(question: str, names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, how, cue) of the problems of one table that the reading finds in `question`."""
    mine = set(names.values())
    return [(p.name, p.how, p.cue) for p in reader().read(question).problems if p.name in mine]


def nonmedical_questions_reading(names: dict[str, str]) -> dict[str, list[tuple[str, str, str]]]:
    """The non-medical question set's questions in which the reading finds a problem of one table."""
    questions = nonmedical_questions()
    assert len(questions) >= 20
    read = {q: problems_of_table_read(q, names) for q in questions}
    return {q: found for q, found in read.items() if found}
