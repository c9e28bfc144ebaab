"""Domain errors. No HTTP here: `services/api/problems.py` maps each to a status."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    slug = "internal-error"
    title = "Internal error"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra


class NotFound(DomainError):
    slug = "not-found"
    title = "Not found"

    def __init__(self, resource: str, ident: object) -> None:
        super().__init__(f"No {resource} with id {ident!s}.")


@dataclass(frozen=True, slots=True)
class FieldError:
    message: str
    field: str | None = None
    table: str | None = None
    id: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("table", self.table),
                ("id", self.id),
                ("field", self.field),
                ("message", self.message),
            )
            if v is not None
        }


class InvalidInput(DomainError):
    slug = "validation-error"
    title = "Your request is not valid"

    def __init__(self, detail: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail, errors=[e.as_dict() for e in errors])


class Conflict(DomainError):
    slug = "conflict"
    title = "Conflict"


class EmailTaken(Conflict):
    slug = "email-taken"
    title = "Email already registered"


class SyncConflict(Conflict):
    slug = "sync-conflict"
    title = "Records changed on the server since your last pull"

    def __init__(self, ids: Sequence[dict[str, str]]) -> None:
        super().__init__(
            "Some pushed records were changed on the server after last_pulled_at. Pull, then push again.",
            conflicts=list(ids),
        )


class UnsupportedSchemaVersion(DomainError):
    """A phone whose local database schema this server no longer (or not yet) speaks."""

    slug = "unsupported-schema-version"
    title = "Update the app: its sync schema version is not supported"

    def __init__(self, schema_version: int, *, oldest: int, newest: int) -> None:
        super().__init__(
            f"This app syncs with schema version {schema_version}; the server speaks versions "
            f"{oldest} to {newest}. Update the app, then sync again (nothing was changed).",
            schema_version=schema_version,
            min_schema_version=oldest,
            max_schema_version=newest,
        )


class Unauthenticated(DomainError):
    slug = "unauthenticated"
    title = "Authentication required"


class InvalidCredentials(Unauthenticated):
    slug = "invalid-credentials"
    title = "Email or password is wrong"


class PayloadTooLarge(DomainError):
    slug = "payload-too-large"
    title = "Payload too large"


class ServiceUnavailable(DomainError):
    slug = "service-unavailable"
    title = "Service temporarily unavailable"


class RateLimited(DomainError):
    slug = "rate-limited"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class Forbidden(DomainError):
    slug = "forbidden"
    title = "Not allowed"


class InsufficientScope(Forbidden):
    slug = "insufficient-scope"
    title = "The API key or the user's grant lacks a scope"

    def __init__(self, scope: str) -> None:
        super().__init__(
            f"This operation needs the scope {scope!r} on both the API key and the user's grant.",
            required_scope=scope,
        )


class InvalidGrant(DomainError):
    """OAuth 2.0 `invalid_grant` (RFC 6749 §5.2); the problem body also carries `error`."""

    slug = "invalid-grant"
    title = "The authorization code is not valid"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, error="invalid_grant")


class IdempotencyKeyReused(DomainError):
    slug = "idempotency-key-reused"
    title = "This Idempotency-Key was used with a different request"


class IdempotencyKeyInUse(Conflict):
    slug = "idempotency-key-in-use"
    title = "A request with this Idempotency-Key is still being processed"
