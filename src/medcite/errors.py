"""One exception tree. Every error says what went wrong and what to do about it.

Errors become CLI exit codes or HTTP statuses only at the edges (cli/, api/).
"""

from __future__ import annotations


class MedciteError(Exception):
    """Base of every error medcite raises on purpose."""

    #: HTTP status used by the API edge.
    status_code = 500
    #: Process exit code used by the CLI edge.
    exit_code = 1
    #: Stable machine-readable code for the JSON error shape.
    code = "medcite_error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(MedciteError):
    """A setting is missing or invalid."""

    status_code = 500
    exit_code = 78
    code = "config_error"


class InvalidInput(MedciteError):
    """The caller sent something unusable (empty question, bad filter...)."""

    status_code = 422
    exit_code = 2
    code = "invalid_input"


class SourceError(MedciteError):
    """One input file could not be read. Carries the file so a batch can report and move on."""

    status_code = 422
    exit_code = 65
    code = "source_error"

    def __init__(self, path: str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {reason}", hint=hint)
        self.path = path
        self.reason = reason


class UnsupportedFormat(SourceError):
    code = "unsupported_format"


class IndexStoreError(MedciteError):
    """The index directory is unusable (corrupt, locked, wrong version)."""

    status_code = 503
    exit_code = 74
    code = "index_error"


class NotFound(MedciteError):
    status_code = 404
    exit_code = 4
    code = "not_found"


class ModelUnavailable(MedciteError):
    """An optional model or extra is not installed; the hint holds the install command."""

    status_code = 503
    exit_code = 69
    code = "model_unavailable"


class BackendError(MedciteError):
    """A configured backend (LLM server, database) failed or is not configured."""

    status_code = 502
    exit_code = 69
    code = "backend_error"


class PermissionDenied(MedciteError):
    status_code = 403
    exit_code = 77
    code = "permission_denied"


class AuthenticationRequired(MedciteError):
    status_code = 401
    exit_code = 77
    code = "authentication_required"


class Conflict(MedciteError):
    """The request clashes with the current state (illegal workflow transition, duplicate name)."""

    status_code = 409
    exit_code = 75
    code = "conflict"


class ShardUnavailable(IndexStoreError):
    """A shard of a sharded index did not answer (after retries): the search is refused, never
    answered from the other shards alone, because a partial top-k would be a wrong answer."""

    status_code = 503
    exit_code = 69
    code = "shard_unavailable"
