from medcite.index.chunking import chunk_document
from medcite.records import Block, BlockKind, Document, SourceType
from medcite.settings import IndexSettings
from medcite.text import content_terms, split_sentences


def test_split_sentences_keeps_abbreviations_decimals_and_list_lines():
    text = (
        "Give 1.2 mg orally, then 0.6 mg 1 h later; max 1.8 mg. See Smith J. et al. for details, e.g. the "
        "AGREE trial. Do not offer traction!\n- Item one\n- Item two. Second sentence."
    )
    assert split_sentences(text) == [
        "Give 1.2 mg orally, then 0.6 mg 1 h later; max 1.8 mg.",
        "See Smith J. et al. for details, e.g. the AGREE trial.",
        "Do not offer traction!",
        "- Item one",
        "- Item two.",
        "Second sentence.",
    ]


def test_split_sentences_is_linear_on_a_huge_line():
    text = "word " * 200_000
    assert len(split_sentences(text)) == 1


def test_content_terms_drop_stopwords_and_dedupe():
    assert content_terms("What is the best treatment for the gout flare treatment?") == ["treatment", "gout", "flare"]


def _doc(blocks):
    return Document(id="t:1", source="t", title="Test", source_type=SourceType.GUIDELINE, blocks=blocks)


def test_chunks_follow_sections_and_never_split_a_recommendation():
    long_rec = "Offer drug A to adults with condition B. " * 60  # ~480 words, over the hard cap
    blocks = [
        Block(text="Short intro paragraph about the condition.", heading_path=("Intro",)),
        Block(text="Another intro sentence here.", heading_path=("Intro",)),
        Block(text=long_rec, heading_path=("Treatment",), kind=BlockKind.RECOMMENDATION, evidence="Strong, High"),
        Block(text="A paragraph after it.", heading_path=("Treatment",)),
    ]
    chunks = chunk_document(_doc(blocks), IndexSettings(chunk_words=50, max_chunk_words=100))
    assert [c.heading_path for c in chunks] == [("Intro",), ("Treatment",), ("Treatment",)]
    assert chunks[0].text == "Short intro paragraph about the condition.\nAnother intro sentence here."
    assert chunks[1].text == long_rec.strip() and chunks[1].kind is BlockKind.RECOMMENDATION
    assert chunks[1].evidence == "Strong, High"
    assert [c.id for c in chunks] == ["t:1#0", "t:1#1", "t:1#2"]


def test_long_paragraph_is_split_at_sentence_boundaries():
    para = " ".join(f"Sentence number {i} has exactly seven words." for i in range(40))
    chunks = chunk_document(
        _doc([Block(text=para, heading_path=("A",))]), IndexSettings(chunk_words=50, max_chunk_words=100)
    )
    assert len(chunks) > 3
    for c in chunks:
        assert c.text.endswith("words.")
        assert len(c.text.split()) <= 56
    assert " ".join(c.text for c in chunks) == para


def test_a_clinical_adjective_stems_as_its_noun_and_plurals_in_y_meet():
    from medcite.text import light_stem, stem

    pairs = [
        ("prophylactic", "prophylaxis"), ("anaphylactic", "anaphylaxis"), ("septic", "sepsis"),
        ("anaesthetic", "anaesthesia"), ("anesthetics", "anesthesia"), ("allergic", "allergy"),
        ("ischaemic", "ischaemia"), ("anemic", "anaemia"), ("psychotic", "psychosis"),
        ("epileptic", "epilepsy"), ("arthritic", "arthritis"), ("hypertensive", "hypertension"),
        ("surgical", "surgery"), ("diabetic", "diabetes"), ("therapeutic", "therapy"),
        ("therapies", "therapy"), ("surgeries", "surgery"), ("allergies", "allergic"),
    ]  # fmt: skip
    for adjective, noun in pairs:
        assert stem(adjective) == stem(noun), (adjective, noun)
    # Short words and other endings are left alone.
    for a, b in (("optic", "opsis"), ("day", "da"), ("key", "ke"), ("clinic", "clinical")):
        assert stem(a) != stem(b) or a == "clinic", (a, b)
    # The word-overlap judge keeps the plain stem it was measured with.
    assert light_stem("prophylactic") != light_stem("prophylaxis")


def test_british_and_american_spellings_stem_alike():
    from medcite.text import stem, us_spelling

    pairs = [
        ("apnoea", "apnea"), ("anaemia", "anemia"), ("oedema", "edema"), ("oesophagitis", "esophagitis"),
        ("paediatric", "pediatric"), ("haemorrhage", "hemorrhage"), ("diarrhoea", "diarrhea"),
        ("coeliac", "celiac"), ("tumours", "tumors"), ("behavioural", "behavioral"), ("centre", "center"),
        ("litres", "liters"), ("randomised", "randomized"), ("analyse", "analyze"), ("sulphate", "sulfate"),
        ("aetiology", "etiology"), ("caesarean", "cesarean"), ("leukaemia", "leukemia"),
    ]  # fmt: skip
    for british, american in pairs:
        assert stem(british) == stem(american), (british, american)
        assert us_spelling(american) == american
    # Short everyday words are left alone: "four" is not "for", "does" not "des", "hour" not "hor".
    for word in ("four", "your", "hour", "does", "goes", "toes", "flour", "odour", "noise"):
        assert us_spelling(word) == word
    assert us_spelling("covid-19") == "covid-19"


def test_fix_text_skips_ftfy_only_for_text_it_would_leave_alone():
    import string

    import ftfy
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from medcite.text import fix_text

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=string.printable, max_size=80))
    def same_as_ftfy(text: str) -> None:
        assert fix_text(text) == ftfy.fix_text(text)

    same_as_ftfy()
    assert fix_text("cafÃ© &amp; bar") == "café & bar"


def test_a_kept_file_is_written_whole_or_not_at_all(tmp_path):
    from medcite.kept import keep

    target = tmp_path / "models" / "list.txt"
    assert keep(target, b"one\ntwo") and target.read_bytes() == b"one\ntwo"
    assert keep(target, b"three") and target.read_bytes() == b"three"
    assert [p.name for p in target.parent.iterdir()] == ["list.txt"]  # no temporary file left
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert not keep(blocked / "sub" / "list.txt", b"x")  # an unwritable folder only costs the speed-up
