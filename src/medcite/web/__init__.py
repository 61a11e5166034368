"""The answer page: server-rendered Jinja templates, one stylesheet and a little JavaScript.

`templates()` builds the Jinja environment every page (and the reviewer pages under
`templates/review/`, which extend `base.html` through its `title` and `content` blocks) renders with.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from medcite.answer.render import LEVEL_LABEL

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


def human_date(value: date | datetime | str | None) -> str:
    """'25 November 2026' (unambiguous across locales, unlike 11/25/2026)."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            parsed = date.fromisoformat(value[:10])
        except ValueError:
            return value
        value = parsed
    return f"{value.day} {value:%B %Y}"


def level_label(value: object) -> str:
    key = getattr(value, "value", value)
    return LEVEL_LABEL.get(str(key), str(key).replace("_", " ").capitalize())


def templates() -> Jinja2Templates:
    """Jinja templates with medcite's filters (autoescaping on, as for any .html template)."""
    tpl = Jinja2Templates(directory=str(TEMPLATES_DIR))
    tpl.env.filters["human_date"] = human_date
    tpl.env.filters["level_label"] = level_label
    tpl.env.globals["asset_version"] = _asset_version()
    return tpl


def _asset_version() -> str:
    """Changes when the CSS or JS changes, so browsers do not keep a stale copy."""
    stamps = [int(p.stat().st_mtime) for p in STATIC_DIR.glob("*") if p.is_file()]
    return str(max(stamps, default=0))
