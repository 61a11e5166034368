"""Bounded path, query and form parameters shared by the routes (bounds: `medcite.limits`).

FastAPI checks them before a route runs and the OpenAPI schema documents them, so out-of-range
input is a 422 in the error shape, never a database overflow.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from medcite import limits

AnswerId = Annotated[str, Path(min_length=1, max_length=limits.ID_MAX, description="Answer id (ans_…) or its slug")]
ThreadId = Annotated[str, Path(min_length=1, max_length=limits.ID_MAX, description="Thread id (thr_…)")]
UserName = Annotated[str, Path(min_length=1, max_length=limits.USER_MAX, description="User name")]
Version = Annotated[int, Path(ge=1, le=limits.VERSION_MAX, description="Version number (1 is the first)")]
VersionQuery = Annotated[
    int | None, Query(ge=1, le=limits.VERSION_MAX, description="Version number (default: see the route)")
]
ThreadQuery = Annotated[
    str | None, Query(min_length=1, max_length=limits.ID_MAX, description="Ask as a follow-up in this thread")
]
