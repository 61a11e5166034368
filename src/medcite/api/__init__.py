"""HTTP edge: `create_app(settings)` builds the FastAPI app (API, answer page, reviewer routes)."""

from medcite.api.app import create_app

__all__ = ["create_app"]
