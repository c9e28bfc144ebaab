"""Domain errors. No HTTP here: `services/api/problems.py` maps each to a status."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    """An error the API answers with an RFC 9457 problem: `slug` names its type, `title` is the
    problem's title and `page` the explanation served at `/problems/<slug>`."""

    slug = "internal-error"
    title = "Internal error"
    page = "Something failed on our side. Quote the `request_id` when you contact us."

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra


class NotFound(DomainError):
    slug = "not-found"
    title = "Not found"
    page = "The resource does not exist, or it belongs to someone else (which looks the same)."

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
    page = "The request was well-formed JSON but some fields are not valid; `errors` lists them."

    def __init__(self, detail: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail, errors=[e.as_dict() for e in errors])


class InvalidAccountToken(InvalidInput):
    slug = "invalid-account-token"
    title = "The link is not valid"
    page = "The token of an email verification or password reset link is unknown, expired or already used. Ask for a new mail; nothing was changed."

    def __init__(self) -> None:
        super().__init__(
            "The token is unknown, expired or already used: ask for a new mail.",
            [FieldError(field="token", message="unknown, expired or already used")],
        )


class Conflict(DomainError):
    slug = "conflict"
    title = "Conflict"
    page = "The request conflicts with the current state of the resource."


class SyncConflict(Conflict):
    slug = "sync-conflict"
    title = "Records changed on the server since your last pull"
    page = "Records you pushed were changed on the server since your last pull (`conflicts` lists them). Pull, then push again."

    def __init__(self, ids: Sequence[dict[str, str]]) -> None:
        super().__init__(
            "Some pushed records were changed on the server after last_pulled_at. Pull, then push again.",
            conflicts=list(ids),
        )


class UnsupportedSchemaVersion(DomainError):
    """A phone whose local database schema this server no longer (or not yet) speaks."""

    slug = "unsupported-schema-version"
    title = "Update the app: its sync schema version is not supported"
    page = (
        "The app's local database schema is older (or newer) than the sync schemas this server speaks "
        "(`min_schema_version`..`max_schema_version`). Update the app; nothing was changed."
    )

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
    page = "Send a valid access token (`Authorization: Bearer <token>`) or API key."


class InvalidCredentials(Unauthenticated):
    slug = "invalid-credentials"
    title = "Email or password is wrong"
    page = (
        "Email or password is wrong, or the account's address is not confirmed yet. The answer is "
        "the same for an unknown email and for an account that has not opened the link mailed at "
        "sign-up (POST /v1/auth/verify-email), so it tells nobody whether an address has an account."
    )


class PayloadTooLarge(DomainError):
    slug = "payload-too-large"
    title = "Payload too large"
    page = "The request body (4 MiB) or the number of records in a push (5,000) is over the limit: split it."


class ServiceUnavailable(DomainError):
    slug = "service-unavailable"
    title = "Service temporarily unavailable"
    page = (
        "A dependency (the database) is unreachable. Nothing was changed; retry after `Retry-After` seconds."
    )


class RateLimited(DomainError):
    slug = "rate-limited"
    title = "Too many requests"
    page = "Too many requests for your API key, user or address. Retry after `Retry-After` seconds; `RateLimit-*` headers show the budget."

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class Forbidden(DomainError):
    slug = "forbidden"
    title = "Not allowed"
    page = "You are authenticated but may not do this."


class WrongPassword(Forbidden):
    slug = "wrong-password"
    title = "The password is not the account's"
    page = "This operation asks for your password again, and the one sent is wrong: nothing was changed. Failures count towards the account's login limit."


class InsufficientScope(Forbidden):
    slug = "insufficient-scope"
    title = "The API key or the user's grant lacks a scope"
    page = "The operation needs a scope (`required_scope`) on both your API key and the user's grant. Ask the user to grant it, or use a key that has it."

    def __init__(self, scope: str) -> None:
        super().__init__(
            f"This operation needs the scope {scope!r} on both the API key and the user's grant.",
            required_scope=scope,
        )


class IdempotencyKeyReused(DomainError):
    slug = "idempotency-key-reused"
    title = "This Idempotency-Key was used with a different request"
    page = "An Idempotency-Key identifies one request: reuse it only to retry the same method, path and body. Use a new key for a new request."


class IdempotencyKeyInUse(Conflict):
    slug = "idempotency-key-in-use"
    title = "A request with this Idempotency-Key is still being processed"
    page = "The first request with this Idempotency-Key has not finished. Retry once it has; you will get its answer."
