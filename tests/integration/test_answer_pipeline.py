"""`ask` end to end on the embedded default corpus (open-medicine) with the real packaged model."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from medcite.answer.render import to_json, to_markdown
from medcite.cli import main as cli_main
from medcite.engine import Medcite
from medcite.errors import BackendError, InvalidInput
from medcite.models.generators import FakeGenerator
from medcite.models.judges import is_quote
from medcite.records import Audience, SupportVerdict

pytestmark = pytest.mark.integration

GOUT = "What is the first-line treatment for an acute gout flare?"
CONTRACT = {
    "question",
    "audience",
    "bottom_line",
    "sections",
    "references",
    "red_flags",
    "abstained",
    "abstain_reason",
    "follow_ups",
    "status",
    "last_updated",
    "disclaimer",
    "timings_ms",
}


@pytest.fixture(scope="module")
def mc(om_settings):
    m = Medcite(om_settings)
    yield m
    m.close()


def _passages(answer):
    return {p.chunk_id: p.text for r in answer.references for p in r.passages}


def test_gout_answer_is_structured_cited_and_every_sentence_is_a_checked_quote(mc):
    answer = mc.ask(GOUT)
    data = to_json(answer)
    assert set(data) >= CONTRACT
    assert set(data["bottom_line"]) >= {"text", "citations"}
    assert not answer.abstained and answer.status.value == "draft"
    assert answer.status_label == "Pending human review" and answer.disclaimer
    assert "colchicine" in answer.bottom_line.text.lower() or "nsaid" in answer.bottom_line.text.lower()
    assert answer.references[0].doc_id == "open-medicine:acr_gout_2020"
    assert answer.references[0].type == "Guideline" and answer.references[0].doi
    assert len(answer.sections) >= 2 and all(s.items for s in answer.sections)
    passages = _passages(answer)
    refs = {r.n for r in answer.references}
    claims = [*answer.bottom_line.claims, *(c for s in answer.sections for c in s.items)]
    for claim in claims:
        assert claim.citations and set(claim.citations) <= refs
        assert claim.support is SupportVerdict.SUPPORTED
        assert any(is_quote(claim.text, passages[p]) for p in claim.passages)
    assert len(answer.follow_ups) >= 1 and answer.timings_ms["total"] > 0
    assert answer.provenance["index_version"].startswith("g") and answer.provenance["hits"]


def test_same_question_same_index_same_settings_gives_the_same_answer(mc):
    a, b = mc.ask(GOUT), mc.ask(GOUT)
    strip = {"timings_ms", "provenance"}
    assert a.model_dump(exclude=strip) == b.model_dump(exclude=strip)


def test_non_medical_and_unknown_drug_questions_abstain_with_a_reason(mc):
    cooking = mc.ask("How long should I knead sourdough bread dough?")
    assert cooking.abstained and "medical question" in cooking.abstain_reason
    unknown = mc.ask("What is the starting dose of orforglipron for obesity?")
    assert unknown.abstained and "orforglipron" in unknown.abstain_reason
    assert unknown.sections == [] and unknown.references == []


def test_a_question_about_a_medicine_is_answered_about_that_medicine_or_declined(mc):
    # Before: "weight gain (2-4 kg)" from pioglitazone's side effects answered a question about sertraline.
    zoloft = mc.ask("Does Zoloft cause weight gain?", audience=Audience.PATIENT)
    assert zoloft.abstained and "“zoloft” (sertraline)" in zoloft.abstain_reason
    colchicine = mc.ask("how should I take my colchicine?", audience=Audience.PATIENT)
    assert not colchicine.abstained and "colchicine" in colchicine.bottom_line.text.lower()


def test_red_flag_banner_comes_with_the_answer(mc):
    answer = mc.ask("crushing chest pain radiating to the left arm with sweating right now — what do I do?")
    assert answer.red_flags and answer.red_flags[0].condition == "Possible acute coronary syndrome"
    assert "ECG" in answer.red_flags[0].action
    assert to_markdown(answer).index("acute coronary") < to_markdown(answer).index("##")


def test_patient_wording_glosses_jargon_and_frames_the_answer(mc):
    answer = mc.ask("is it ok to take advil for my gout attack?", audience=Audience.PATIENT)
    assert answer.audience is Audience.PATIENT and not answer.abstained
    assert any("doctor" in n for n in answer.notes)
    assert "not medical advice" in answer.disclaimer
    text = " ".join(c.text for s in answer.sections for c in s.items) + answer.bottom_line.text
    assert "[" in text  # plain-language glosses are added, and the support check ignores them


def test_follow_up_is_resolved_against_the_thread(mc):
    answer = mc.ask("and in people with chronic kidney disease?", context=[GOUT])
    assert not answer.abstained
    cited = " ".join(p.text for r in answer.references for p in r.passages).lower()
    assert "gout" in cited or "colchicine" in cited


def test_empty_and_oversized_questions_are_refused(mc):
    with pytest.raises(InvalidInput):
        mc.ask("  ")
    with pytest.raises(InvalidInput):
        mc.ask("x" * 5000)


def test_fake_generator_goes_through_the_support_check(om_settings):
    settings = om_settings.model_copy(deep=True)
    settings.answer.composer = "fake"
    answer = Medcite(settings).ask(GOUT)
    assert answer.provenance["models"]["composer"] == "fake"
    assert FakeGenerator.UNSUPPORTED.split(":")[0] not in json.dumps(to_json(answer)["sections"])
    assert any("moonlight" in c.text.lower() for c in answer.unsupported)
    assert all(c.support is SupportVerdict.UNSUPPORTED for c in answer.unsupported)
    assert all(c.citations for s in answer.sections for c in s.items)


class _StubOpenAI(BaseHTTPRequestHandler):
    """A local OpenAI-compatible server: answers from the first numbered passage, plus one invention."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        first = prompt.split('<passage n="1"', 1)[1].split("\n", 1)[1].split(". ")[0] + "."
        text = f"BOTTOM LINE: {first} [1]\nSECTION: Pitfalls to avoid\n- Bananas cure gout overnight. [2]"
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_openai_compatible_backend_on_a_loopback_stub(om_settings):
    server = HTTPServer(("127.0.0.1", 0), _StubOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = om_settings.model_copy(deep=True)
        settings.answer.composer = "openai"
        settings.llm.base_url = f"http://127.0.0.1:{server.server_port}/v1"
        settings.llm.model = "stub"
        answer = Medcite(settings).ask(GOUT)
    finally:
        server.shutdown()
    assert answer.bottom_line.claims and answer.bottom_line.claims[0].support is not SupportVerdict.UNSUPPORTED
    assert any("Bananas" in c.text for c in answer.unsupported)
    assert answer.provenance["models"]["composer"] == "openai:stub"


def test_openai_backend_without_endpoint_fails_closed(om_settings):
    settings = om_settings.model_copy(deep=True)
    settings.answer.composer = "openai"
    settings.llm.base_url = None
    with pytest.raises(BackendError, match="no OpenAI-compatible endpoint"):
        Medcite(settings).ask(GOUT)


def test_cli_ask_json_and_search_json(om_settings, capsys):
    home = str(om_settings.home)
    cli_main(["--home", home, "ask", GOUT, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= CONTRACT and data["references"]
    cli_main(["--home", home, "search", "gout flare colchicine", "--k", "3", "--json"])
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and {"rank", "score", "chunk_id", "text", "heading_path", "source"} <= set(hits[0])
    assert {"id", "type", "title", "organisation", "year", "doi", "pmid", "url"} <= set(hits[0]["source"])


def test_cli_errors_have_a_hint_and_an_exit_code(om_settings, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["--home", str(om_settings.home), "ask", "gout", "--audience", "martian"])
    assert exit_info.value.code == 2
    assert "unknown audience" in capsys.readouterr().err


def test_answers_reuse_sentence_vectors_and_do_not_change_with_the_cache(om_settings, tmp_path):
    from medcite.models.vector_cache import CachedEmbedder

    strip = {"timings_ms", "provenance"}
    off = om_settings.model_copy(deep=True)
    off.embedding.sentence_cache_rows = 0
    with_cache = Medcite(om_settings)
    without = Medcite(off)
    try:
        cached = with_cache.corpus.sentence_embedder
        assert isinstance(cached, CachedEmbedder) and cached.path.parent == om_settings.models_dir
        first = with_cache.ask(GOUT)
        embedded: list[int] = []
        inner_embed = cached.inner.embed_passages
        cached.inner.embed_passages = lambda texts: embedded.append(len(texts)) or inner_embed(texts)  # type: ignore[method-assign]
        second = with_cache.ask(GOUT)
        assert embedded == []  # every candidate sentence came from the cache
        assert not isinstance(without.corpus.sentence_embedder, CachedEmbedder)
        plain = without.ask(GOUT)
        assert first.model_dump(exclude=strip) == second.model_dump(exclude=strip) == plain.model_dump(exclude=strip)
    finally:
        with_cache.close()
        without.close()


def test_a_reading_that_fails_closed_is_a_counted_miss_in_the_vignette_evaluation(om_settings):
    from medcite.evaluate.answers import eval_vignettes
    from medcite.models import create

    settings = om_settings.model_copy(deep=True)
    settings.understand.backend = "llm"
    settings.understand.generator = "fake"  # answers no JSON: the LLM reader fails closed on every question
    mc = Medcite(settings)
    try:
        with pytest.raises(BackendError, match="did not return JSON"):
            mc.ask(GOUT)
        tally = eval_vignettes(mc, "vignettes_heldout.jsonl", create("judge", "lexical", settings), 2)
    finally:
        mc.close()
    summary = tally.summary()
    assert summary["n"] == 2 and summary["errors"] == 2
    assert summary["both"] == 0.0 and summary["problem_ok"] == 0.0
    assert all("did not return JSON" in row["error"] for row in tally.rows)


def test_british_and_american_spellings_get_the_same_answer(mc):
    british = mc.ask("What blood pressure target after a spontaneous intracerebral haemorrhage?")
    american = mc.ask("What blood pressure target after a spontaneous intracerebral hemorrhage?")
    assert mc.search("intracerebral haemorrhage", k=3).query.spellings == {"haemorrhage": ["hemorrhage"]}
    assert not british.abstained
    assert british.bottom_line.text == american.bottom_line.text
    assert [r.doc_id for r in british.references] == [r.doc_id for r in american.references]
    assert "aha_asa_ich" in british.references[0].doc_id


def test_warm_embeds_every_sentence_an_answer_compares_so_answers_embed_none(om_settings, capsys):
    import json

    from medcite.models.vector_cache import CachedEmbedder

    cli_main(["--home", str(om_settings.home), "warm", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["passages"] > 1000 and report["sentences"] > report["passages"]
    mc = Medcite(om_settings)
    try:
        cached = mc.corpus.sentence_embedder
        assert isinstance(cached, CachedEmbedder)
        embedded: list[int] = []
        inner_embed = cached.inner.embed_passages
        cached.inner.embed_passages = lambda texts: embedded.append(len(texts)) or inner_embed(texts)  # type: ignore[method-assign]
        for question in (
            "How should adults with atrial fibrillation be anticoagulated?",
            "Pneumonia: first-line antibiotics?",
        ):
            assert not mc.ask(question).abstained
        assert embedded == []  # every candidate sentence of both answers was warmed
    finally:
        mc.close()
    cli_main(["--home", str(om_settings.home), "warm", "--json"])
    assert json.loads(capsys.readouterr().out)["embedded"] == 0  # a second run embeds nothing


def test_the_declined_sets_also_run_asked_as_a_patient(om_settings):
    from rich.console import Console

    from medcite.evaluate.answers import answers_eval

    _, results = answers_eval(om_settings, ["nonmedical-patient"], limit=3, console=Console(quiet=True))
    rows = results["nonmedical-patient"]["rows"]
    assert len(rows) == 3 and all(row["abstained"] for row in rows), rows
    with pytest.raises(ValueError, match="unknown answer set"):
        answers_eval(om_settings, ["redflag-patient"], limit=1, console=Console(quiet=True))
