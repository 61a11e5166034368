"""The corpus problem tables (understand/data/problems_corpus_*.yaml), read as clinicians write.

Each table holds conditions of indexed guidelines that no other entry described; its cases live in
`corpus_cases_<x>.py`. Each vignette describes a presentation without naming the condition and must be
read as the entry's problem first (as inferred, not named, where the table says so); each near miss describes a
neighbouring presentation and must not be read as the entry it resembles; questions about other
conditions, and the non-medical question set, read no problem of the table; questions that name the
condition are read as named.
"""

from __future__ import annotations

from types import ModuleType

import corpus_cases_a
import corpus_cases_b
import corpus_cases_c
import corpus_cases_d
import pytest
from problem_tables import nonmedical_questions_reading, problems_of_table_read, reader, table_names

from medcite.understand import tables

CASES: list[ModuleType] = [corpus_cases_a, corpus_cases_b, corpus_cases_c, corpus_cases_d]


def _names(table: ModuleType) -> dict[str, str]:
    """Entry key -> shown name, for every entry of the table."""
    return table_names(table.FILE)


def _read_names(question: str) -> list[str]:
    return [p.name for p in reader().read(question).problems]


def _cases(attribute: str) -> list[pytest.param]:
    """(table, key, question) for every case of one kind, across the tables."""
    out = []
    for table in CASES:
        rows = getattr(table, attribute)
        pairs = [(k, q) for q, k in rows.items()] if isinstance(rows, dict) else rows
        for i, (key, question) in enumerate(pairs):
            out.append(pytest.param(table, key, question, id=f"{table.FILE[16]}-{key}-{i}"))
    return out


def _tables() -> list[pytest.param]:
    return [pytest.param(t, id=t.FILE) for t in CASES]


@pytest.mark.parametrize(("table", "key", "question"), _cases("FIRST"))
def test_vignette_is_read_as_its_problem_first(table: ModuleType, key: str, question: str) -> None:
    problems = reader().read(question).problems
    assert problems, f"nothing read from {question!r}"
    assert problems[0].name == _names(table)[key], [(p.name, p.how, p.cue, p.score) for p in problems]
    if table.FIRST_INFERRED:
        assert problems[0].how == "inferred", (question, problems[0])  # described, not named


@pytest.mark.parametrize(("table", "key", "question"), _cases("AMONG"))
def test_other_phrasings_are_read_as_the_problem(table: ModuleType, key: str, question: str) -> None:
    assert _names(table)[key] in _read_names(question)


@pytest.mark.parametrize(("table", "key", "question"), _cases("NOT_AS"))
def test_near_miss_is_not_read_as_the_entry(table: ModuleType, key: str, question: str) -> None:
    assert _names(table)[key] not in _read_names(question)


@pytest.mark.parametrize(("table", "key", "question"), _cases("WITHIN"))
def test_words_inside_other_words_do_not_name_a_problem(table: ModuleType, key: str, question: str) -> None:
    """A name that is part of another condition's name must not name the entry."""
    assert _names(table)[key] not in _read_names(question)


@pytest.mark.parametrize(("table", "key", "question"), _cases("NAMED"))
def test_named_questions_are_read_by_name(table: ModuleType, key: str, question: str) -> None:
    """A question naming the condition (as a patient or a title would) is read as it, not inferred."""
    problems = reader().read(question).problems
    assert problems and problems[0].name == _names(table)[key] and problems[0].how == "named", (question, problems)


@pytest.mark.parametrize("table", _tables())
def test_the_vignettes_cover_the_entries(table: ModuleType) -> None:
    keys = set(_names(table))
    first = {k for k, _ in table.FIRST}
    assert len(first) >= 0.8 * len(keys)
    assert len({k for k, _ in table.NOT_AS}) >= 10 and len(table.NONE_OF_MINE) >= 10 and len(table.NAMED) >= 10
    assert first | {k for k, _ in table.AMONG} | {k for k, _ in table.NOT_AS} | set(table.NAMED.values()) <= keys


@pytest.mark.parametrize(
    ("table", "question"),
    [pytest.param(t, q, id=f"{t.FILE[16]}-{i}") for t in CASES for i, q in enumerate(t.NONE_OF_MINE)],
)
def test_other_questions_read_no_problem_of_this_table(table: ModuleType, question: str) -> None:
    read = problems_of_table_read(question, _names(table))
    assert not read, read


@pytest.mark.parametrize("table", _tables())
def test_non_medical_question_set_reads_no_problem_of_this_table(table: ModuleType) -> None:
    assert not nonmedical_questions_reading(_names(table))


@pytest.mark.parametrize("table", _tables())
def test_table_loads_with_the_other_tables_and_keys_do_not_clash(table: ModuleType) -> None:
    keys = [r.key for r in tables.problem_rules()]
    assert len(keys) == len(set(keys))
    assert table.FILE in tables.problem_files()
    names = _names(table)
    assert table.MIN_ENTRIES <= len(names) <= 40
    for rule in tables.problem_rules():
        if rule.key in names:
            for cues in [*rule._names, *(rx for f in rule.features for rx in f._regexes)]:
                cues.check()  # every pattern compiles
            assert len(rule.features) >= 2, rule.key  # two independent cues at least
            assert sum(f.weight for f in rule.features) >= rule.needs, rule.key
            assert max(f.weight for f in rule.features) < rule.needs, rule.key  # no single cue reaches it
