"""Health, readiness, metrics and the human-readable pages behind problem `type` URIs."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from services.api import metrics as api_metrics
from services.api.ops.readiness import check_dependencies
from services.api.problems import PROBLEM_MEDIA_TYPE, RETRY_AFTER_S, problem_responses

router = APIRouter(tags=["ops"])

PROBLEM_PAGES = {
    "validation-error": "The request was well-formed JSON but some fields are not valid; `errors` lists them.",
    "not-found": "The resource does not exist, or it belongs to someone else (which looks the same).",
    "method-not-allowed": "The path exists but not with this HTTP method.",
    "unauthenticated": "Send a valid access token: `Authorization: Bearer <token>`.",
    "invalid-credentials": "Email or password is wrong. The answer is the same for an unknown email.",
    "email-taken": "An account with this email already exists. Log in instead.",
    "sync-conflict": "Records you pushed were changed on the server since your last pull. Pull, then push again.",
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
    summary="The database (and the broker, when configured) answer",
    responses={503: {**problem_responses(503)[503], "description": "A dependency is unreachable"}},
)
def readyz(request: Request) -> Response:
    failing = check_dependencies(request.app.state.engine, request.app.state.settings.redis_url)
    if not failing:
        return JSONResponse({"status": "ready"})
    return JSONResponse(
        {
            "type": "/problems/service-unavailable",
            "title": "Service temporarily unavailable",
            "status": 503,
            "detail": f"Unreachable: {', '.join(failing)}.",
            "instance": "/readyz",
            "request_id": request.state.request_id,
        },
        status_code=503,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"Retry-After": str(RETRY_AFTER_S)},
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
