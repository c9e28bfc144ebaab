"""RFC 9457 problem details: the one place that maps errors to HTTP statuses and bodies."""

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.core import errors

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

STATUS: dict[type[errors.DomainError], int] = {
    errors.NotFound: 404,
    errors.InvalidInput: 422,
    errors.SyncConflict: 409,
    errors.Conflict: 409,
    errors.InvalidCredentials: 401,
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.UnsupportedSchemaVersion: 400,
    errors.IdempotencyKeyReused: 422,
    errors.PayloadTooLarge: 413,
    errors.ServiceUnavailable: 503,
    errors.RateLimited: 429,
}


@dataclass(frozen=True, slots=True)
class ProblemType:
    """What `/problems/<slug>` explains: every `type` the API emits is one of these."""

    slug: str
    title: str
    page: str


# Problem types of the HTTP layer itself, which no domain error raises.
HTTP_PROBLEM_TYPES = (
    ProblemType("method-not-allowed", "Method not allowed", "The path exists but not with this HTTP method."),
    ProblemType("http-error", "The request could not be handled", "The request could not be handled."),
)


def _registry() -> dict[str, ProblemType]:
    types = {t.slug: t for t in HTTP_PROBLEM_TYPES}
    pending: list[type[errors.DomainError]] = [errors.DomainError]
    while pending:
        klass = pending.pop()
        types.setdefault(klass.slug, ProblemType(klass.slug, klass.title, klass.page))
        pending.extend(klass.__subclasses__())
    return types


# The one registry: bodies, spec examples and pages take their titles and texts from it.
PROBLEM_TYPES = _registry()

# HTTP statuses Starlette raises, by the problem type they answer with.
HTTP_SLUGS = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large", 401: "unauthenticated"}

RETRY_AFTER_S = 5


class ProblemFieldError(BaseModel):
    message: str
    field: str | None = None
    table: str | None = None
    id: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(examples=["/problems/not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No program with id 9b2c…"])
    instance: str = Field(examples=["/v1/programs/9b2c…"])
    request_id: str = Field(examples=["5f0c7f5e6b3a4c1d9e8f7a6b5c4d3e2f"])
    errors: list[ProblemFieldError] | None = None
    conflicts: list[dict[str, str]] | None = None
    required_scope: str | None = Field(
        default=None,
        description="insufficient-scope: the scope the operation needs",
        examples=["workouts:read"],
    )
    min_schema_version: int | None = Field(
        default=None, description="unsupported-schema-version: the oldest sync schema the server speaks"
    )
    max_schema_version: int | None = Field(
        default=None, description="unsupported-schema-version: the newest sync schema the server speaks"
    )


def status_for(exc: errors.DomainError) -> int:
    for klass in type(exc).__mro__:
        if klass in STATUS:
            return STATUS[klass]
    return 500


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    detail: str,
    retry_after_s: int = RETRY_AFTER_S,
    **extra: Any,
) -> JSONResponse:
    """The problem body of a registered type (an unregistered slug is a KeyError: a bug)."""
    body = {
        "type": f"/problems/{slug}",
        "title": PROBLEM_TYPES[slug].title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", ""),
        **{k: v for k, v in extra.items() if v is not None},
    }
    headers = {"Retry-After": str(retry_after_s)} if status in (503, 429) else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def domain_problem(request: Request, exc: errors.DomainError) -> JSONResponse:
    """The problem response of a domain error; also used by middleware, outside the handlers."""
    status = status_for(exc)
    if status == 500:
        log.error("unmapped domain error", exc_info=exc)
    return problem_response(
        request,
        status=status,
        slug=exc.slug,
        detail=exc.detail,
        retry_after_s=getattr(exc, "retry_after_s", RETRY_AFTER_S),
        **exc.extra,
    )


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.DomainError)
    return domain_problem(request, exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    field_errors = [
        {"field": ".".join(str(p) for p in err["loc"] if p != "body") or "body", "message": err["msg"]}
        for err in exc.errors()
    ]
    return _validation_problem(request, field_errors)


def _validation_problem(request: Request, field_errors: list[dict[str, str]]) -> JSONResponse:
    return problem_response(
        request,
        status=422,
        slug="validation-error",
        detail="; ".join(f"{e['field']}: {e['message']}" for e in field_errors[:5]),
        errors=field_errors,
    )


def _is_undecodable_body(exc: StarletteHTTPException) -> bool:
    # FastAPI turns a JSON syntax error into a 422 but wraps a body it cannot even decode (bytes
    # that are not UTF-8: a UnicodeDecodeError) in a bare 400. Both are request-parsing errors.
    return exc.status_code == 400 and isinstance(exc.__cause__, ValueError)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if _is_undecodable_body(exc):
        return _validation_problem(request, [{"field": "body", "message": "not UTF-8 encoded JSON"}])
    slug = HTTP_SLUGS.get(exc.status_code, "http-error")
    detail = exc.detail if isinstance(exc.detail, str) else PROBLEM_TYPES[slug].title
    response = problem_response(request, status=exc.status_code, slug=slug, detail=detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _database_down(request: Request, exc: Exception) -> JSONResponse:
    # A lost or refused connection is an outage, not a bug: tell the client to come back later.
    log.warning("database unavailable", extra={"error": type(exc).__name__})
    return problem_response(
        request,
        status=503,
        slug="service-unavailable",
        detail="The database is unreachable. Nothing was changed; retry later.",
    )


async def unexpected_problem(request: Request, exc: Exception) -> JSONResponse:
    """The 500 of an error nothing else handled: logged here, with no internals in the answer."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return await _database_down(request, exc)
    log.error("unhandled error", exc_info=exc)
    return problem_response(
        request,
        status=500,
        slug="internal-error",
        detail="Something went wrong on our side. It has been logged.",
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_down)
    # Starlette answers these in its outermost middleware; UnexpectedErrorMiddleware catches them
    # first, inside ours, and this handler covers what is raised outside it.
    app.add_exception_handler(Exception, unexpected_problem)


DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, expired or invalid credentials",
    403: "Not allowed",
    404: "Not found (also for objects owned by someone else)",
    409: "Conflict",
    413: "Payload too large",
    422: "Validation error",
    429: "Too many requests",
    503: "Temporarily unavailable (database or broker unreachable); retry after the given delay",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the error statuses an operation can return."""
    return {status: response_example(status, *EXAMPLES[status]) for status in statuses}


def response_example(status: int, slug: str, detail: str, extra: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI response entry: the Problem schema with one example body."""
    return {
        "description": DESCRIPTIONS[status],
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": _example(status, slug, detail, extra),
            }
        },
    }


# status → (slug, detail, extra members): what a partner reading the spec sees first.
EXAMPLES: dict[int, tuple[str, str, dict[str, Any]]] = {
    401: ("unauthenticated", "The access token is not valid.", {}),
    403: (
        "insufficient-scope",
        "This operation needs the scope 'workouts:read' on both the API key and the user's grant.",
        {"required_scope": "workouts:read"},
    ),
    404: ("not-found", "No workout with id 01HV3K8Q2W.", {}),
    409: (
        "idempotency-key-in-use",
        "Retry once the first request has finished.",
        {},
    ),
    413: ("payload-too-large", "Request bodies are limited to 4194304 bytes.", {}),
    422: (
        "validation-error",
        "reps: Input should be greater than or equal to 0",
        {"errors": [{"field": "reps", "message": "Input should be greater than or equal to 0"}]},
    ),
    429: (
        "rate-limited",
        "Too many requests for your API key: the limit is 1200 per 1 minute. Retry in 12 s.",
        {},
    ),
    503: (
        "service-unavailable",
        "The database is unreachable. Nothing was changed; retry later.",
        {},
    ),
}


def _example(status: int, slug: str, detail: str, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": f"/problems/{slug}",
        "title": PROBLEM_TYPES[slug].title,
        "status": status,
        "detail": detail,
        "instance": "/v1/me/workouts/01HV3K8Q2W",
        "request_id": "5f0c7f5e6b3a4c1d9e8f7a6b5c4d3e2f",
        **extra,
    }


RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before retrying",
    "schema": {"type": "integer", "minimum": 1},
}


def document(schema: dict[str, Any]) -> None:
    """Every operation but the liveness probe reads the database, so each may answer 503 (with
    Retry-After) while it is unreachable."""
    for path, operations in schema.get("paths", {}).items():
        if path == "/healthz":
            continue
        for operation in operations.values():
            for status, response in problem_responses(503).items():
                operation["responses"].setdefault(str(status), response)
            operation["responses"]["503"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER_HEADER
