"""Safe XML parsing shared by the NGC, MedQuAD and PubMed readers.

Everything goes through defusedxml: entity declarations (billion laughs) and external entities
are refused, and nothing is ever fetched. A DOCTYPE that merely names an external DTD (MEDLINE
files do) is allowed and ignored: expat never loads it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from medcite.errors import SourceError
from medcite.sources._input import Input

ENTITY_REASON = "XML entity declarations are not allowed (possible entity expansion bomb)"


def xml_reason(exc: Exception) -> str:
    """A short, stable reason for a refused or broken XML file."""
    if isinstance(exc, EntitiesForbidden):
        return ENTITY_REASON
    if isinstance(exc, ExternalReferenceForbidden):
        return "XML external references are not allowed"
    if isinstance(exc, DTDForbidden):
        return "XML document type declarations are not allowed"
    if isinstance(exc, ParseError):
        return f"malformed XML ({exc})"
    if isinstance(exc, LookupError):  # <?xml encoding="..."?> names a codec Python does not have
        return f"XML declares an unknown text encoding ({exc})"
    return f"unreadable XML ({exc.__class__.__name__}: {exc})"


_XML_ERRORS = (ParseError, EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden, ValueError, LookupError)


def parse_xml(inp: Input) -> Element:
    """Parse a whole (small) XML file. Raises SourceError naming the file and the reason."""
    data = inp.read_bytes()
    try:
        root: Element = SafeET.fromstring(data)
    except _XML_ERRORS as exc:
        raise inp.error(xml_reason(exc)) from exc
    return root


def iter_records(inp: Input) -> Iterator[Element | SourceError]:
    """Stream the direct children of the root element, each complete, clearing as it goes.

    Memory stays bounded by one record: the root drops every record once the caller has moved
    on. A parse error mid-file yields one SourceError (records before it were already yielded)
    and stops.
    """
    root: Element | None = None
    depth = 0
    try:
        with inp.open() as stream:
            for event, elem in SafeET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    root = elem if root is None else root
                    depth += 1
                    continue
                depth -= 1
                if depth == 1 and root is not None:
                    yield elem
                    root.clear()
    except _XML_ERRORS as exc:
        yield inp.error(xml_reason(exc))
    except (OSError, EOFError, zlib.error) as exc:
        yield inp.error(f"cannot read file ({exc})")


def text_of(elem: Element | None) -> str:
    """All text inside ``elem`` (sub/superscripts included), or '' for None."""
    if elem is None:
        return ""
    return "".join(elem.itertext())
