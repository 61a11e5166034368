"""MEDLINE/PubMed XML: baseline files (``MedlineCitationSet`` or ``PubmedArticleSet``, .xml or
.xml.gz) and E-utilities ``efetch`` output. Records are streamed with iterparse, so a baseline
file of 30,000 citations never sits in memory at once. One Document per citation with an
abstract; a citation without one is counted as a SourceError ("no abstract").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from medcite.errors import SourceError
from medcite.records import Audience, Block, Document, SourceType
from medcite.sources._input import Input
from medcite.sources._registry import BaseReader
from medcite.sources._text import clean, split_long
from medcite.sources._xml import iter_records, text_of

LICENCE = "NLM terms; abstracts may carry publisher copyright"
_RECORDS = frozenset({"PubmedArticle", "MedlineCitation"})
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")

# Most specific first: a trial report that is also a "Review" stays a trial.
PUBLICATION_TYPES: tuple[tuple[frozenset[str], SourceType], ...] = (
    (frozenset({"practice guideline", "guideline"}), SourceType.GUIDELINE),
    (frozenset({"meta-analysis", "systematic review"}), SourceType.SYSTEMATIC_REVIEW),
    (
        frozenset({"randomized controlled trial", "clinical trial, phase iii", "pragmatic clinical trial"}),
        SourceType.RANDOMISED_TRIAL,
    ),
    (frozenset({"review"}), SourceType.REVIEW),
)


def source_type_for(publication_types: list[str]) -> SourceType:
    """Map PubMed publication types to a SourceType (guideline > systematic review > RCT > review)."""
    lowered = {p.lower() for p in publication_types}
    for names, source_type in PUBLICATION_TYPES:
        if lowered & names:
            return source_type
    return SourceType.RESEARCH


class PubMedReader(BaseReader):
    """Reads MEDLINE baseline and efetch XML, plain or gzipped."""

    name = "pubmed"
    description = "MEDLINE/PubMed citations with abstracts (baseline or efetch XML, .xml/.xml.gz)"
    licence = LICENCE

    def detect_input(self, inp: Input) -> bool:
        if inp.suffix != ".xml":
            return False
        head = inp.head()
        return b"<MedlineCitationSet" in head or b"<PubmedArticleSet" in head

    def read_input(self, inp: Input) -> Iterator[Document | SourceError]:
        for item in iter_records(inp):
            if isinstance(item, SourceError):
                yield item
            elif item.tag in _RECORDS:
                yield _document(inp, item)
            elif item.tag == "PubmedBookArticle":
                yield inp.error("book records (PubmedBookArticle) are not read")


def _document(inp: Input, record: Element) -> Document | SourceError:
    citation = record if record.tag == "MedlineCitation" else record.find("MedlineCitation")
    if citation is None:
        return inp.error("PubmedArticle without MedlineCitation")
    pmid = clean(text_of(citation.find("PMID")))
    where = f"{inp.origin}#pmid:{pmid or '?'}"
    if not pmid:
        return SourceError(where, "citation without PMID")
    article = citation.find("Article")
    if article is None:
        return SourceError(where, "citation without Article")
    blocks = _abstract_blocks(article)
    if not blocks:
        return SourceError(where, "no abstract")
    ids = _article_ids(record, article)
    pub_types = [clean(text_of(p)) for p in article.iterfind("PublicationTypeList/PublicationType")]
    published = _pub_date(article.find("Journal/JournalIssue/PubDate"))
    year = _YEAR.search(published)
    title = clean(text_of(article.find("ArticleTitle"))) or clean(text_of(article.find("VernacularTitle")))
    title = title[:-1] if title.endswith(".") and not title.endswith("..") else title
    return Document(
        id=f"pmid:{pmid}",
        source="pubmed",
        title=title or f"PubMed {pmid}",
        source_type=source_type_for(pub_types),
        blocks=blocks,
        audience=Audience.CLINICIAN,
        journal=clean(text_of(article.find("Journal/Title"))) or None,
        year=int(year.group(1)) if year else None,
        published=published or None,
        authors=_authors(article),
        doi=ids.get("doi"),
        pmid=pmid,
        pmcid=ids.get("pmc"),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        native_id=pmid,
        licence=LICENCE,
        origin=inp.origin,
        extra={
            "mesh": [clean(text_of(d)) for d in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")],
            "publication_types": pub_types,
            "keywords": [clean(text_of(k)) for k in citation.iterfind("KeywordList/Keyword")],
            "language": clean(text_of(article.find("Language"))) or None,
        },
    )


def _abstract_blocks(article: Element) -> list[Block]:
    """One block per abstract section, under its Label ("BACKGROUND", "METHODS", ...)."""
    blocks: list[Block] = []
    for part in article.iterfind("Abstract/AbstractText"):
        text = clean(text_of(part))
        if not text:
            continue
        label = clean(part.get("Label") or "")
        path = (label,) if label else ()
        blocks.extend(Block(text=piece, heading_path=path) for piece in split_long(text))
    return blocks


def _article_ids(record: Element, article: Element) -> dict[str, str]:
    """DOI and PMC id: PubmedData/ArticleIdList (efetch), else ELocationID. Never the reference list's ids."""
    ids: dict[str, str] = {}
    for node in record.iterfind("PubmedData/ArticleIdList/ArticleId"):
        kind = (node.get("IdType") or "").lower()
        if kind in ("doi", "pmc") and kind not in ids and clean(node.text):
            ids[kind] = clean(node.text)
    for node in article.iterfind("ELocationID"):
        kind = (node.get("EIdType") or "").lower()
        if kind == "doi" and "doi" not in ids and clean(node.text):
            ids["doi"] = clean(node.text)
    return ids


def _pub_date(node: Element | None) -> str:
    """'2018 May 17' from Year/Month/Day, or the free-text MedlineDate ('1998 Dec-1999 Jan')."""
    if node is None:
        return ""
    medline = clean(text_of(node.find("MedlineDate")))
    if medline:
        return medline
    parts = [clean(text_of(node.find(tag))) for tag in ("Year", "Season", "Month", "Day")]
    return " ".join(p for p in parts if p)


def _authors(article: Element) -> list[str]:
    """'LastName Initials' for people, the collective name for groups."""
    names: list[str] = []
    for author in article.iterfind("AuthorList/Author"):
        last = clean(text_of(author.find("LastName")))
        if last:
            initials = clean(text_of(author.find("Initials")))
            names.append(f"{last} {initials}".strip())
        else:
            collective = clean(text_of(author.find("CollectiveName")))
            if collective:
                names.append(collective)
    return names
