"""Bounds on what callers may send: every number and string the HTTP API (and MCP) accepts.

One place, so the OpenAPI schema documents each bound and out-of-range input is refused at the
edge (422 in the error shape) instead of overflowing a database integer (a 500). Generous enough
that no real request meets them.
"""

from __future__ import annotations

#: Publication years (`since`/`until`, `filters.year_min`/`year_max`): four digits.
YEAR_MIN, YEAR_MAX = 1, 9999
#: Answer version numbers start at 1; far below PostgreSQL's 32-bit INTEGER.
VERSION_MAX = 1_000_000
#: Answer ids ("ans_" + 12 hex), slugs (60 characters + an audience suffix), thread ids.
ID_MAX = 200
#: Collection and organisation names.
NAME_MAX = 200
#: Document ids ("file:<collection>/<path>" may be as long as a path).
PATH_MAX = 4096
#: User names (`medcite.store.users.check_name` allows 64 characters).
USER_MAX = 64
#: API tokens ("mct_<16 hex>_<43 characters>") and session secrets.
TOKEN_MAX = 1000
#: Review comments and editors' notes.
TEXT_MAX = 10_000
#: Items in a repeatable filter (sources, organisations, source types) or a list of document ids.
LIST_MAX = 50
DOC_IDS_MAX = 100
SOURCE_TYPES_MAX = 20
#: Edits: item references ("2.3", "v4:1.2") and how many one edit names.
ITEM_REF_MAX = 40
ITEMS_MAX = 1000
#: Saved answers listed in one page.
PAGE_MAX = 1000
#: A same-site redirect target after login.
URL_MAX = 2000
