"""Health, readiness, metrics and the human-readable pages behind problem `type` URIs."""

from html import escape

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from services.api import metrics as api_metrics
from services.api.ops import readiness
from services.api.problems import PROBLEM_TYPES, problem_response, problem_responses

router = APIRouter(tags=["ops"])


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
    problem = PROBLEM_TYPES.get(slug)
    if problem is None:
        return HTMLResponse("<h1>Unknown problem type</h1>", status_code=404)
    return HTMLResponse(
        f"<!doctype html><title>{escape(problem.title)}</title><h1>{escape(problem.title)}</h1>"
        f"<p><code>{slug}</code></p><p>{escape(problem.page)}</p>"
    )
