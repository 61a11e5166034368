"""Shared reader helpers: text cleaning, grading markers, block building, HTML and Markdown structure."""

from __future__ import annotations

import time

import pytest

from medcite.records import BlockKind
from medcite.sources._grading import find_grading, heading_grading, is_grading_only
from medcite.sources._html import html_events, html_text, parse_fragment
from medcite.sources._markdown import markdown_blocks, split_front_matter
from medcite.sources._text import BlockBuilder, clean, split_long, table_row_text


def test_clean_repairs_mojibake_and_keeps_curly_quotes() -> None:
    assert clean("the patientâ€™s  dose\n\t was   low") == "the patient’s dose was low"
    assert clean("ACR Appropriateness CriteriaÂ®") == "ACR Appropriateness Criteria®"
    assert clean("It’s fine") == "It’s fine"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Colchicine is recommended (Strong, High).", "Strong, High"),
        (
            "Offer it (Strong recommendation, moderate-quality evidence).",
            "Strong recommendation, moderate-quality evidence",
        ),
        ("Do this [A]", "A"),
        ("Use it (Level of Evidence: B)", "Level of Evidence: B"),
        ("This is a Grade B recommendation", "Grade B"),
        ("Give aspirin (Class I, Level of Evidence A).", "Class I, Level of Evidence A"),
        ("Strength of recommendation: Strong", "Strength of recommendation: Strong"),
        ("Do that [Conditional, Low Quality of Evidence]", "Conditional, Low Quality of Evidence"),
        ("Start early (COR 2b, LOE C-LD)", "COR 2b, LOE C-LD"),
        ("Treat (Grade 2C)", "Grade 2C"),
    ],
)
def test_grading_markers_are_found(text: str, expected: str) -> None:
    assert find_grading(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'see the "Major Recommendations" field (see the "Definitions" field)',
        "the Grading of Recommendations Assessment (GRADE) system",
        "given intravenously (IV) once daily",
        "do (1) this and (2) that, as in reference [12]",
        "(Recommendation 4) applies here",
        "Strength of recommendation: see below",
    ],
)
def test_ordinary_brackets_are_not_gradings(text: str) -> None:
    assert find_grading(text) is None


def test_grading_only_lines_and_grading_headings() -> None:
    assert is_grading_only("(Level of Evidence = V)")
    assert not is_grading_only("Offer aspirin (Grade A).")
    assert heading_grading("Class IIa") == "Class IIa"
    assert heading_grading("Class III: Harm") == "Class III: Harm"
    assert heading_grading("Recommendation 2.1") is None


def test_lead_in_and_its_bullets_are_one_recommendation_block() -> None:
    builder = BlockBuilder(("Guideline",), mode="guideline")
    builder.heading(2, "Imaging")
    builder.paragraph("Consider imaging when:")
    builder.bullets(["red flags are present", "pain lasts 6 weeks (Weak, Low)"])
    builder.paragraph("Do not image routinely.")
    blocks = builder.finish()
    assert [b.text for b in blocks] == [
        "Consider imaging when:\n- red flags are present\n- pain lasts 6 weeks (Weak, Low)",
        "Do not image routinely.",
    ]
    assert blocks[0].kind == BlockKind.RECOMMENDATION
    assert blocks[0].evidence == "Weak, Low"
    assert blocks[0].heading_path == ("Guideline", "Imaging")
    assert blocks[1].kind == BlockKind.PARAGRAPH


def test_lead_in_without_a_list_stays_a_paragraph_and_headings_replace_siblings() -> None:
    builder = BlockBuilder()
    builder.heading(1, "Top")
    builder.heading(2, "First")
    builder.paragraph("Note the following:")
    builder.heading(2, "Second")
    builder.paragraph("Text under second.")
    blocks = builder.finish()
    assert [(b.heading_path, b.text) for b in blocks] == [
        (("Top", "First"), "Note the following:"),
        (("Top", "Second"), "Text under second."),
    ]


def test_grading_on_its_own_line_joins_the_block_above() -> None:
    builder = BlockBuilder(mode="recommendations")
    builder.paragraph("Offer compression stockings.")
    builder.paragraph("(Level of Evidence = IV)")
    [block] = builder.finish()
    assert block.text == "Offer compression stockings. (Level of Evidence = IV)"
    assert block.evidence == "Level of Evidence = IV"


def test_blocks_under_a_class_heading_inherit_it_as_evidence() -> None:
    builder = BlockBuilder(mode="recommendations")
    builder.heading(3, "Class IIa")
    builder.paragraph("It is reasonable to repeat the echocardiogram.")
    assert builder.finish()[0].evidence == "Class IIa"


def test_table_rows_read_as_text() -> None:
    assert table_row_text(["Parameter", "Recommendation"], ["Regimen", "1.2 mg then 0.6 mg"]) == (
        "Regimen: 1.2 mg then 0.6 mg"
    )
    assert table_row_text(["Agent", "Dose", "Notes"], ["Colchicine", "0.6 mg", ""]) == (
        "Agent: Colchicine; Dose: 0.6 mg"
    )
    builder = BlockBuilder()
    builder.table(["Therapy", "COR", "LOE"], [["Statin", "I", "A"]])
    [block] = builder.finish()
    assert block.kind == BlockKind.TABLE
    assert block.evidence == "I, A"


def test_split_long_is_linear_and_cuts_at_sentences() -> None:
    text = "Short sentence here. " * 400_000  # 8.4 MB, one paragraph
    started = time.perf_counter()
    parts = split_long(text, limit=20_000)
    assert time.perf_counter() - started < 2
    assert all(len(p) <= 20_000 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert "".join(p.replace(" ", "") for p in parts) == text.replace(" ", "")


def test_html_styled_paragraphs_become_headings_at_depths() -> None:
    html = (
        '<p><strong><span style="text-decoration: underline;">Treatment</span></strong></p>'
        "<p><strong>Medicines</strong></p><p><em>First line</em></p><p>Offer X.</p>"
        "<p><strong>Note</strong>: not a heading.</p>"
    )
    events = html_events(parse_fragment(html), styled_headings=True)
    assert [(e.kind, e.level, e.text) for e in events] == [
        ("heading", 7, "Treatment"),
        ("heading", 8, "Medicines"),
        ("heading", 9, "First line"),
        ("paragraph", 0, "Offer X."),
        ("paragraph", 0, "Note: not a heading."),
    ]


def test_html_lists_nest_and_scripts_vanish() -> None:
    html = "<ul><li>Outer<ul><li>inner</li></ul></li></ul><script>alert(1)</script><p>After &amp; more</p>"
    events = html_events(parse_fragment(html))
    assert events[0].items == ["Outer\n  - inner"]
    assert html_text(html) == "- Outer - inner After & more"


def test_markdown_front_matter_headings_lists_and_tables() -> None:
    meta, body = split_front_matter("---\ntitle: A\ntype: guideline\n---\n# H1\n\nText\n")
    assert meta == {"title": "A", "type": "guideline"}
    assert body == "# H1\n\nText\n"
    title, blocks = markdown_blocks(
        "# Doc\n\n## Part\n\nDo this:\n\n- one\n  - one a\n- two\n\n| A | B |\n|---|---|\n| **x** | y |\n",
        mode="guideline",
    )
    assert title == "Doc"
    assert [b.text for b in blocks] == ["Do this:\n- one\n  - one a\n- two", "x: y"]
    assert [b.kind for b in blocks] == [BlockKind.RECOMMENDATION, BlockKind.TABLE]
    assert all(b.heading_path == ("Doc", "Part") for b in blocks)
