"""The HTTP API and the page routes, in-process through Starlette's TestClient (an ASGI client).

A three-guideline corpus (gout, hypertension, hypertension in pregnancy) indexed with the
deterministic hashing embedder keeps these tests fast and offline; the browser test uses the
real embedded corpus.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from medcite.answer.render import to_json
from medcite.api import create_app
from medcite.engine import Medcite
from medcite.errors import BackendError
from medcite.records import AnswerStatus, Block, BlockKind, Document, SourceType
from medcite.settings import Settings
from medcite.store.base import Transition

GOUT = "What is the first-line treatment for an acute gout flare?"
HTN = "What is the first-line treatment for hypertension?"
REC = BlockKind.RECOMMENDATION


ACR = "American College of Rheumatology (ACR)"
NICE = "National Institute for Health and Care Excellence (NICE)"
GOUT_REFS = {"doi": "10.1002/acr.24180", "pmid": "32391934", "url": "https://example.org/gout"}
Blocks = list[tuple[str, tuple[str, ...], str | None]]
# (doc id, title, organisation, year, extra fields, [(text, heading path, stated grading)])
DOCS: list[tuple[str, str, str, int, dict[str, str], Blocks]] = [
    (
        "t:gout",
        "Management of acute gout",
        ACR,
        2020,
        GOUT_REFS,
        [
            (
                "For an acute gout flare, we strongly recommend colchicine, a nonsteroidal anti-inflammatory "
                "drug (NSAID) or glucocorticoids as first-line treatment.",
                ("Acute gout flare", "Treatment"),
                "Strong, High",
            ),
            (
                "Low-dose colchicine is preferred over high-dose colchicine for an acute gout flare because it "
                "causes fewer gastrointestinal adverse effects.",
                ("Acute gout flare", "Colchicine dosing"),
                "Strong, Moderate",
            ),
        ],
    ),
    (
        "t:htn",
        "Hypertension in adults: diagnosis and management",
        NICE,
        2023,
        {"url": "https://example.org/htn"},
        [
            (
                "Offer an ACE inhibitor or an angiotensin II receptor blocker as first-line treatment for "
                "hypertension in adults under 55 without type 2 diabetes.",
                ("Treating hypertension", "Step 1 treatment"),
                "Strong",
            ),
            (
                "Offer a calcium-channel blocker as first-line treatment for hypertension in adults aged 55 and over.",
                ("Treating hypertension", "Step 1 treatment"),
                None,
            ),
        ],
    ),
    (
        "t:preg",
        "Hypertension in pregnancy",
        NICE,
        2019,
        {"url": "https://example.org/preg"},
        [
            (
                "Offer labetalol to treat chronic hypertension in pregnancy; consider nifedipine if labetalol "
                "is not suitable.",
                ("Chronic hypertension in pregnancy", "Treatment"),
                "Strong",
            ),
            (
                "Stop ACE inhibitors and angiotensin II receptor blockers in pregnancy because of an "
                "increased risk of congenital abnormalities.",
                ("Chronic hypertension in pregnancy", "Medicines to stop"),
                None,
            ),
        ],
    ),
]


def corpus() -> list[Document]:
    return [
        Document(
            id=doc_id,
            source="testdocs",
            title=title,
            source_type=SourceType.GUIDELINE,
            organisation=org,
            year=year,
            **extra,
            blocks=[Block(text=t, heading_path=h, kind=REC, evidence=e) for t, h, e in blocks],
        )
        for doc_id, title, org, year, extra, blocks in DOCS
    ]


def build_home(home: Path) -> Settings:
    settings = Settings(home=home, database_url=None)
    settings.embedding.model = "hashing"
    mc = Medcite(settings)
    mc.store.ingest(corpus())
    mc.close()
    return settings


@pytest.fixture(scope="module")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_home(tmp_path_factory.mktemp("api-home"))


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as c:
        yield c


def events(text: str) -> list[tuple[str, Any]]:
    """Parse a server-sent-event stream into (event, data) pairs."""
    out = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        out.append((fields["event"], json.loads(fields["data"])))
    return out


# -- answers -------------------------------------------------------------------------------
def test_ask_returns_the_answer_json_of_ask_cli_plus_its_permalink(client: TestClient, api_settings: Settings) -> None:
    r = client.post("/api/ask", json={"question": GOUT})
    assert r.status_code == 200, r.text
    body = r.json()
    cli = to_json(Medcite(api_settings).ask(GOUT))
    assert set(cli) <= set(body)
    assert body["bottom_line"]["text"] == cli["bottom_line"]["text"]
    assert body["references"][0]["doi"] == "10.1002/acr.24180"
    assert body["references"][0]["passages"], "citations must carry their passages"
    assert body["id"].startswith("ans_") and body["permalink"] == f"/answers/{body['id']}"
    assert r.headers["location"] == f"/api/answers/{body['id']}"
    assert client.get(f"/api/answers/{body['id']}").json()["bottom_line"] == body["bottom_line"]


def test_a_saved_question_is_served_from_the_store(client: TestClient) -> None:
    first = client.post("/api/ask", json={"question": HTN}).json()
    again = client.post("/api/ask", json={"question": "what is the FIRST-LINE treatment for hypertension"}).json()
    assert again["id"] == first["id"]


def test_an_approved_answer_is_served_with_its_approval(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": GOUT, "audience": "student"}).json()
    service = client.app.state.answers  # type: ignore[attr-defined]
    approve = Transition(
        answer_id=body["id"],
        action="approve",
        actor="dr-lee",
        from_status=AnswerStatus.DRAFT,
        from_version=1,
        to_status=AnswerStatus.APPROVED,
        updates={"approved_version": 1, "approved_by": "dr-lee", "approved_at": datetime.now(UTC)},
    )
    client.portal.call(service.in_store, service.store.apply, approve)  # type: ignore[union-attr]
    served = client.post("/api/ask", json={"question": GOUT, "audience": "student"}).json()
    assert served["id"] == body["id"] and served["status"] == "approved"
    assert "dr-lee" in served["status_label"] and served["saved"]["approved_by"] == "dr-lee"
    page = client.get(f"/answers/{body['id']}").text
    assert "badge-approved" in page and "Approved by dr-lee" in page


PREG = "How should hypertension be treated, and what changes in pregnancy?"  # sections cite a second document
# The bottom line cites one guideline and the sections a second one, for either reader.
TWO_DOCS = "What is the first-line treatment for high blood pressure, and which drugs must stop in pregnancy?"


def stream(client: TestClient, body: dict[str, Any]) -> list[tuple[str, Any]]:
    with client.stream("POST", "/api/ask/stream", json=body) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        return events(r.read().decode())


def test_stream_sends_progress_then_the_bottom_line_then_each_section_then_the_answer(client: TestClient) -> None:
    got = stream(client, {"question": PREG})
    names = [name for name, _ in got]
    n = names.count("section")
    assert n >= 1 and names == [
        "status",
        "retrieved",
        "composed",
        "bottom_line",
        *["section"] * n,
        "references",
        "answer",
    ]
    retrieved = got[1][1]
    assert retrieved["passages"] >= retrieved["documents"] >= 2
    assert "Hypertension in pregnancy" in retrieved["titles"]
    answer = got[-1][1]
    assert answer["id"] and client.get(f"/api/answers/{answer['id']}").json()["sections"] == answer["sections"]


@pytest.mark.parametrize(("question", "audience"), [(TWO_DOCS, "clinician"), (TWO_DOCS, "patient")])
def test_streamed_bottom_line_and_sections_equal_the_final_answer(
    client: TestClient, question: str, audience: str
) -> None:
    """Citation numbers (numbered group by group as each is checked) and the reader's wording
    are those of the saved answer."""
    got = stream(client, {"question": question, "audience": audience})
    assert "retrieved" in dict(got), "computed, not served from the store"
    answer = got[-1][1]
    bottom = next(d for name, d in got if name == "bottom_line")
    sections = [d for name, d in got if name == "section"]
    assert bottom["bottom_line"] == answer["bottom_line"] and bottom["red_flags"] == answer["red_flags"]
    assert (bottom["question"], bottom["audience"], bottom["abstained"]) == (answer["question"], audience, False)
    assert bottom["id"] is None and bottom["permalink"] is None, "not saved yet: the answer event has them"
    assert [s.pop("index") for s in sections] == list(range(len(answer["sections"])))
    assert sections == answer["sections"]
    in_bottom = set(bottom["bottom_line"]["citations"])
    in_sections = {n for s in sections for item in s["items"] for n in item["citations"]}
    assert in_sections - in_bottom, "a section introduces a reference the bottom line does not cite"
    assert in_bottom | in_sections == {r["n"] for r in answer["references"]}
    if audience == "patient":
        assert "[high blood pressure]" in json.dumps([bottom, sections]), "patient glosses are streamed too"


def test_the_pipeline_announces_what_it_returns(api_settings: Settings) -> None:
    """`Medcite.ask(on_event=...)`: the same answer as without a listener, announced as it is built."""
    mc = Medcite(api_settings)
    heard: list[tuple[str, dict[str, Any]]] = []
    answer = mc.ask(PREG, on_event=lambda event, data: heard.append((event, data)))
    quiet = mc.ask(PREG)
    timed = {"timings_ms", "provenance"}
    assert answer.model_dump(exclude=timed) == quiet.model_dump(exclude=timed)
    data = to_json(answer)
    assert [e for e, _ in heard] == ["retrieved", "composed", "bottom_line", *["section"] * len(data["sections"])]
    assert heard[2][1]["bottom_line"] == data["bottom_line"]
    assert [{k: v for k, v in d.items() if k != "index"} for _, d in heard[3:]] == data["sections"]
    heard.clear()
    assert mc.ask("What is the capital of Mongolia?", on_event=lambda e, d: heard.append((e, d))).abstained
    assert [e for e, _ in heard] == ["retrieved"], "an abstention announces no bottom line"


def test_a_stored_answer_is_streamed_from_the_store(client: TestClient) -> None:
    first = stream(client, {"question": GOUT, "audience": "patient"})[-1][1]
    got = stream(client, {"question": GOUT, "audience": "patient"})
    names = [name for name, _ in got]
    assert names == ["status", "bottom_line", *["section"] * len(first["sections"]), "references", "answer"]
    assert got[1][1]["id"] == first["id"] and got[-1][1]["sections"] == first["sections"]


def test_a_stream_that_abstains_ends_with_the_abstained_answer(client: TestClient) -> None:
    got = stream(client, {"question": "What is the capital of Mongolia?"})
    assert [name for name, _ in got] == ["status", "retrieved", "bottom_line", "references", "answer"]
    assert got[2][1]["abstained"] and got[2][1]["abstain_reason"] == got[-1][1]["abstain_reason"]
    assert got[-1][1]["abstained"] and got[-1][1]["id"]


def test_a_failure_mid_stream_is_an_error_event_after_what_was_sent(api_settings: Settings) -> None:
    with TestClient(create_app(api_settings), raise_server_exceptions=False) as c:

        def fails_after_retrieval(question: str, **kwargs: Any) -> Any:
            kwargs["on_event"]("retrieved", {"passages": 1, "documents": 1, "titles": ["t"]})
            raise BackendError("the judge server did not answer", hint="check MEDCITE_LLM__BASE_URL")

        c.app.state.medcite.ask = fails_after_retrieval  # type: ignore[attr-defined]
        got = stream(c, {"question": "a question that fails"})
        assert [name for name, _ in got] == ["status", "retrieved", "error"]
        assert got[-1][1] == {
            "error": {
                "code": "backend_error",
                "message": "the judge server did not answer",
                "hint": "check MEDCITE_LLM__BASE_URL",
            }
        }

        def crashes(question: str, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

        c.app.state.medcite.ask = crashes  # type: ignore[attr-defined]
        got = stream(c, {"question": "a question that crashes"})
        assert [name for name, _ in got] == ["status", "error"]
        assert got[-1][1]["error"]["code"] == "internal_error" and "boom" not in json.dumps(got)


def test_the_bottom_line_is_sent_before_the_sections_are_checked(api_settings: Settings) -> None:
    """Over a real socket: the server holds the answer after its bottom line until the client
    has read that event, so the test passes only if the event left before the answer was done."""
    app = create_app(api_settings)
    read_it = threading.Event()
    held: list[bool] = []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        engine = app.state.medcite
        real_ask = engine.ask

        def held_ask(*args: Any, on_event: Any = None, **kwargs: Any) -> Any:
            def listener(event: str, data: dict[str, Any]) -> None:
                on_event(event, data)
                if event == "bottom_line":
                    held.append(read_it.wait(timeout=10))

            return real_ask(*args, on_event=listener, **kwargs)

        engine.ask = held_ask
        names = []
        with httpx.stream(
            "GET", f"http://127.0.0.1:{port}/api/ask/stream", params={"q": PREG, "audience": "student"}, timeout=30
        ) as r:
            for line in r.iter_lines():
                if line.startswith("event: "):
                    names.append(line.removeprefix("event: "))
                    if names[-1] == "bottom_line":
                        read_it.set()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert held == [True], "the bottom line reached the client while the sections were still being checked"
    assert names[:4] == ["status", "retrieved", "composed", "bottom_line"] and names[-1] == "answer"


def test_stream_by_get_for_eventsource(client: TestClient) -> None:
    r = client.get("/api/ask/stream", params={"q": GOUT})
    assert [n for n, _ in events(r.text)][-1] == "answer"


# -- threads -------------------------------------------------------------------------------
def test_a_follow_up_is_resolved_against_the_thread(client: TestClient) -> None:
    thread = client.post("/api/threads").json()
    assert thread["turns"] == []
    tid = thread["id"]
    first = client.post(f"/api/threads/{tid}/ask", json={"question": HTN}).json()
    follow = client.post(f"/api/threads/{tid}/ask", json={"question": "and in pregnancy?"})
    assert follow.status_code == 200, follow.text
    body = follow.json()
    assert body["thread_id"] == tid
    assert body["question"] == f"and in pregnancy? (follow-up to: {HTN})"
    assert "labetalol" in json.dumps(body["bottom_line"]) + json.dumps(body["sections"])
    assert {r["doc_id"] for r in body["references"]} >= {"t:preg"}
    turns = client.get(f"/api/threads/{tid}").json()["turns"]
    assert [t["question"] for t in turns] == [HTN, "and in pregnancy?"]
    assert [t["answer_id"] for t in turns] == [first["id"], body["id"]]


def test_a_follow_up_streams_live_under_its_saved_question(client: TestClient) -> None:
    first = "How is hypertension managed in adults?"
    tid = client.post("/api/threads").json()["id"]
    client.post(f"/api/threads/{tid}/ask", json={"question": first})
    got = events(client.get("/api/ask/stream", params={"q": "and in pregnancy?", "thread": tid}).text)
    assert [n for n, _ in got][:4] == ["status", "retrieved", "composed", "bottom_line"]
    bottom, answer = got[3][1], got[-1][1]
    assert bottom["question"] == answer["question"] == f"and in pregnancy? (follow-up to: {first})"
    assert bottom["thread_id"] == answer["thread_id"] == tid
    assert [d for n, d in got if n == "section"] == [{"index": i, **s} for i, s in enumerate(answer["sections"])]
    turns = client.get(f"/api/threads/{tid}").json()["turns"]
    assert [t["answer_id"] for t in turns][-1] == answer["id"]


def test_a_thread_can_continue_a_saved_answer(client: TestClient) -> None:
    saved = client.post("/api/ask", json={"question": HTN}).json()
    thread = client.post("/api/threads", json={"answer_id": saved["id"]}).json()
    assert [t["answer_id"] for t in thread["turns"]] == [saved["id"]]


# -- index ---------------------------------------------------------------------------------
def test_search_returns_hits_with_their_sources(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "colchicine gout flare", "k": 3}).json()
    assert body["hits"][0]["source"]["id"] == "t:gout"
    assert body["hits"][0]["heading_path"] and body["timings_ms"]
    lexical = client.get("/api/search", params={"q": "labetalol", "mode": "lexical", "type": "guideline"}).json()
    assert lexical["hits"][0]["chunk_id"].startswith("t:preg")


def test_sources_and_health(client: TestClient) -> None:
    assert client.get("/api/sources").json()["documents"] == 3
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["documents"] == 3 and health["store"].startswith("sqlite")


def test_openapi_documents_every_route_and_the_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/ask",
        "/api/ask/stream",
        "/api/search",
        "/api/answers/{answer_id}",
        "/api/threads",
        "/api/threads/{thread_id}/ask",
        "/api/sources",
        "/healthz",
    ):
        assert path in schema["paths"], path
    assert "ErrorResponse" in schema["components"]["schemas"]
    assert "/answers/{answer_id}" not in schema["paths"], "page routes stay out of the API schema"


def test_asking_does_not_block_the_event_loop(api_settings: Settings) -> None:
    with TestClient(create_app(api_settings, max_concurrency=1)) as c:
        engine = c.app.state.medcite  # type: ignore[attr-defined]
        real_ask = engine.ask

        def slow_ask(*args: Any, **kwargs: Any) -> Any:
            time.sleep(1.0)
            return real_ask(*args, **kwargs)

        engine.ask = slow_ask
        worker = threading.Thread(target=c.post, args=("/api/ask",), kwargs={"json": {"question": "slow gout?"}})
        worker.start()
        time.sleep(0.2)
        t = time.perf_counter()
        assert c.get("/healthz").status_code == 200
        assert time.perf_counter() - t < 0.5
        worker.join()


# -- one error shape -----------------------------------------------------------------------
BAD_REQUESTS = [
    ("POST", "/api/ask", {"json": {}}, 422),
    ("POST", "/api/ask", {"json": {"question": "   "}}, 422),
    ("POST", "/api/ask", {"json": {"question": "x" * 2001}}, 422),
    ("POST", "/api/ask", {"content": b"not json", "headers": {"content-type": "application/json"}}, 422),
    ("POST", "/api/ask", {"json": {"question": GOUT, "audience": "martian"}}, 422),
    ("GET", "/api/ask", {}, 405),
    ("POST", "/api/ask/stream", {"json": {"question": ""}}, 422),
    ("GET", "/api/ask/stream", {"params": {"q": "  "}}, 422),
    ("GET", "/api/ask/stream", {"params": {"q": "gout", "thread": "thr_missing"}}, 404),
    ("GET", "/api/search", {}, 422),
    ("GET", "/api/search", {"params": {"q": "gout", "k": 0}}, 422),
    ("GET", "/api/search", {"params": {"q": "gout", "mode": "psychic"}}, 422),
    ("GET", "/api/search", {"params": {"q": "gout", "type": "horoscope"}}, 422),
    ("GET", "/api/answers/ans_missing", {}, 404),
    ("POST", "/api/threads", {"json": {"answer_id": "ans_missing"}}, 404),
    ("GET", "/api/threads/thr_missing", {}, 404),
    ("POST", "/api/threads/thr_missing/ask", {"json": {"question": GOUT}}, 404),
    ("POST", "/api/threads/thr_missing/ask", {"json": {}}, 422),
    ("POST", "/api/sources", {}, 405),
    ("POST", "/healthz", {}, 405),
    ("GET", "/api/nowhere", {}, 404),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"), BAD_REQUESTS, ids=[f"{m} {p} {s}" for m, p, _, s in BAD_REQUESTS]
)
def test_error_shape(client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int) -> None:
    r = client.request(method, path, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "hint"}
    assert isinstance(body["error"]["code"], str) and body["error"]["message"]


def _schema_routes(client: TestClient) -> list[tuple[str, str, list[str]]]:
    """(method, path template, tags) of every documented route, the review routes included."""
    paths = client.get("/openapi.json").json()["paths"]
    return [(m.upper(), p, op.get("tags", [])) for p, ops in paths.items() for m, op in ops.items()]


def test_every_api_route_has_a_bad_request_case(client: TestClient) -> None:
    covered = {re.sub(r"/(ans|thr)_missing", "/{x}", p) for _, p, _, _ in BAD_REQUESTS}
    for method, path, tags in _schema_routes(client):
        if "review" in tags:  # the review workflow's routes: see the generic check below
            continue
        assert re.sub(r"\{\w+\}", "{x}", path) in covered, f"{method} {path} has no bad-request case"


def test_every_documented_route_fails_in_the_one_shape(client: TestClient) -> None:
    """A bogus id, an empty body and no credentials: whatever fails, fails in the error shape."""
    for method, path, _ in _schema_routes(client):
        url = re.sub(r"\{\w+\}", "ans_missing", path)
        r = client.request(method, url, json={} if method in ("POST", "PUT", "PATCH") else None)
        if r.status_code < 400:
            continue
        body = r.json()
        shape_ok = set(body) == {"error"} and set(body["error"]) == {"code", "message", "hint"}
        assert shape_ok, (method, path, body)


def test_an_unexpected_failure_has_the_error_shape(api_settings: Settings) -> None:
    with TestClient(create_app(api_settings), raise_server_exceptions=False) as c:

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

        c.app.state.medcite.ask = broken  # type: ignore[attr-defined]
        r = c.post("/api/ask", json={"question": "a question nobody asked before"})
        assert r.status_code == 500
        assert r.json()["error"]["code"] == "internal_error" and "boom" not in r.text


# -- the page, rendered on the server (the browser test drives it for real) ---------------------
def test_home_page_has_a_labelled_question_box_and_audience_choice(client: TestClient) -> None:
    page = client.get("/").text
    assert '<label class="ask-label" for="ask-q">' in page and 'id="ask-q"' in page
    assert "Which best describes you?" in page and 'lang="en"' in page and '<main id="main"' in page


def test_ask_page_redirects_to_the_permalink_and_renders_the_answer(client: TestClient) -> None:
    r = client.get("/ask", params={"q": GOUT, "audience": "clinician"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/answers/ans_")
    page = client.get(r.headers["location"]).text
    assert "Bottom line" in page and "colchicine" in page
    assert 'aria-controls="cite-b0-1"' in page and 'id="cite-b0-1"' in page
    assert "https://doi.org/10.1002/acr.24180" in page and "https://pubmed.ncbi.nlm.nih.gov/32391934/" in page
    assert "badge-pending" in page and "decision-support tool" in page
    assert f'href="{r.headers["location"]}"' in page, "the page links its own permalink"


def test_audience_switch_rewords_and_keeps_the_question(client: TestClient) -> None:
    answer_id = client.post("/api/ask", json={"question": GOUT}).json()["id"]
    r = client.get(f"/answers/{answer_id}/audience", params={"audience": "patient"}, follow_redirects=False)
    assert r.status_code == 303 and r.cookies.get("medcite_audience") == "patient"
    patient = client.get(r.headers["location"]).text
    assert "Worded for: <strong>Patient or carer</strong>" in patient
    assert "anti-inflammatory painkiller" in patient, "patient wording adds plain-language glosses"


def test_follow_up_form_starts_a_thread_and_shows_the_conversation(client: TestClient) -> None:
    answer_id = client.post("/api/ask", json={"question": HTN}).json()["id"]
    r = client.post(
        f"/answers/{answer_id}/follow-up",
        data={"question": "and in pregnancy?", "audience": "clinician"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "?thread=thr_" in r.headers["location"]
    page = client.get(r.headers["location"]).text
    assert "Conversation so far" in page and HTN in page and "labetalol" in page
    assert '<h1 id="answer-question">and in pregnancy?</h1>' in page


def test_a_missing_answer_page_is_an_html_error_page(client: TestClient) -> None:
    r = client.get("/answers/ans_missing", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "No saved answer" in r.text and "ask-q" in r.text


def test_red_flags_are_a_banner_above_the_answer(client: TestClient) -> None:
    question = "my husband has had heavy tight chest pain for 20 minutes, he's grey and sweating — help?"
    r = client.get("/ask", params={"q": question, "audience": "patient"})
    assert r.status_code == 200
    page = r.text
    assert 'class="red-flags" role="alert"' in page
    body_at = min(i for i in (page.find('class="bottom-line"'), page.find('class="abstain"')) if i >= 0)
    assert page.index('class="red-flags"') < body_at


def test_an_abstention_says_so_and_lists_the_closest_sources(client: TestClient) -> None:
    page = client.get("/ask", params={"q": "What is the capital of Mongolia?"}).text
    assert "medcite did not answer this question" in page
    assert 'class="bottom-line"' not in page


def test_api_reference_page_works_offline(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/api/threads/{thread_id}/ask" in page and "ErrorResponse" not in page
    assert "cdn" not in page.lower(), "no asset may come from a CDN: the machine may be offline"
