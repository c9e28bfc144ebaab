"""Health, readiness, metrics and the human-readable pages behind problem `type` URIs."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from services.api import metrics as api_metrics
from services.api.ops import readiness
from services.api.problems import problem_response, problem_responses

router = APIRouter(tags=["ops"])

PROBLEM_PAGES = {
    "validation-error": "The request was well-formed JSON but some fields are not valid; `errors` lists them.",
    "not-found": "The resource does not exist, or it belongs to someone else (which looks the same).",
    "method-not-allowed": "The path exists but not with this HTTP method.",
    "unauthenticated": "Send a valid access token: `Authorization: Bearer <token>`.",
    "invalid-credentials": "Email or password is wrong. The answer is the same for an unknown email.",
    "email-taken": "An account with this email already exists. Log in instead.",
    "sync-conflict": "Records you pushed were changed on the server since your last pull. Pull, then push again.",
    "unsupported-schema-version": "The app's local database schema is older (or newer) than the sync "
    "schemas this server speaks (`min_schema_version`..`max_schema_version`). Update the app; nothing was changed.",
    "payload-too-large": "The request body or the number of records is over the limit.",
    "service-unavailable": "A dependency (database or broker) is unreachable. Retry after `Retry-After` seconds.",
    "internal-error": "Something failed on our side. Quote the `request_id` when you contact us.",
    "http-error": "The request could not be handled.",
    "conflict": "The request conflicts with the current state of the resource.",
}


@router.get("/healthz", operation_id="healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    operation_id="readyz",
    summary="This pod can serve: PostgreSQL answers (an unreachable Redis is reported, not fatal)",
    responses={
        200: {
            "description": "Ready; `degraded` lists the optional dependencies it is serving without",
            "content": {"application/json": {"example": {"status": "ready", "degraded": ["redis"]}}},
        },
        503: {**problem_responses(503)[503], "description": "PostgreSQL is unreachable"},
    },
)
def readyz(request: Request) -> Response:
    state = readiness.check(request.app.state.engine, request.app.state.settings.redis_url)
    if state.ready:
        # Ready, and `degraded` names what the pod serves without (Redis: rate limits fail open).
        return JSONResponse({"status": "ready", "degraded": state.degraded})
    return problem_response(
        request,
        status=503,
        slug="service-unavailable",
        title="Service temporarily unavailable",
        detail=f"Unreachable: {', '.join(state.unreachable)}.",
    )


@router.get("/metrics", operation_id="metrics", summary="Prometheus metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(api_metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


@router.get(
    "/problems/{slug}",
    operation_id="get_problem_type",
    response_class=HTMLResponse,
    summary="What a problem type means",
    include_in_schema=False,
)
def get_problem_type(slug: str) -> HTMLResponse:
    text = PROBLEM_PAGES.get(slug)
    if text is None:
        return HTMLResponse("<h1>Unknown problem type</h1>", status_code=404)
    return HTMLResponse(f"<!doctype html><title>{slug}</title><h1>{slug}</h1><p>{text}</p>")
