"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi

from services.api.auth.router import router as auth_router
from services.api.catalog.router import router as catalog_router
from services.api.coaching.router import router as coaching_router
from services.api.deprecation import DeprecationMiddleware
from services.api.deprecation import document as document_deprecations
from services.api.docs import install_docs
from services.api.equipment.router import router as equipment_router
from services.api.grants.router import router as grants_router
from services.api.history.router import router as history_router
from services.api.idempotency import IdempotencyMiddleware
from services.api.idempotency import document as document_idempotency
from services.api.insights.router import router as insights_router
from services.api.me.router import router as me_router
from services.api.middleware import (
    BodySizeLimitMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
    UnexpectedErrorMiddleware,
)
from services.api.oauth.router import document as document_oauth_errors
from services.api.oauth.router import router as oauth_router
from services.api.ops.router import router as ops_router
from services.api.partners.router import router as partners_router
from services.api.problems import Problem, install_problem_handlers
from services.api.problems import document as document_unavailable
from services.api.programs.router import router as programs_router
from services.api.ratelimit import HEADERS as RATE_LIMIT_HEADERS
from services.api.ratelimit import RateLimitMiddleware, RateLimits
from services.api.ratelimit import document as document_rate_limits
from services.api.sync.contract import document as document_sync
from services.api.sync.router import router as sync_router
from services.api.webhooks.contract import router as webhook_events
from services.api.webhooks.router import router as webhooks_router
from services.core.db import create_db_engine, create_session_factory
from services.core.logs import configure_logging
from services.core.settings import Settings, get_settings
from services.core.usecases.jobs import InProcessJobs, QueuedJobs

GZIP_MIN_BYTES = 1024  # smaller answers fit in a packet or two: compressing them costs more than it saves

TAGS = [
    {"name": "auth", "description": "Accounts: register, log in, rotate and revoke tokens."},
    {
        "name": "catalog",
        "description": "The exercise catalog: hip hinges, knee flexion and the quad work around them.",
    },
    {"name": "programs", "description": "Starter programs: days, slots, sets, rep ranges, tempo and rest."},
    {"name": "me", "description": "Your settings, enrollment and next session."},
    {"name": "history", "description": "Your logged workouts and sets, and exports of everything you own."},
    {
        "name": "insights",
        "description": "Deload suggestions, imbalance alerts, weekly volume and e1RM progress.",
    },
    {"name": "sync", "description": "Offline-first mobile sync: the WatermelonDB pull/push protocol."},
    {"name": "grants", "description": "The partners you let act on your data: list and revoke."},
    {
        "name": "oauth",
        "description": "How a user grants a partner access: OAuth 2.0 authorization code with PKCE (S256).",
    },
    {
        "name": "partners",
        "description": "A partner acting for a user who granted it access: `/v1/users/{user_id}/…` "
        "with the partner's API key (`Authorization: Bearer pk_…`) and scopes.",
    },
    {
        "name": "webhooks",
        "description": "Signed event deliveries to partners (Standard Webhooks): endpoints, secrets, "
        "test pings, the delivery log and replays. API key with scope `webhooks:manage`.",
    },
    {"name": "ops", "description": "Health and readiness probes."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.environment)
    app = FastAPI(
        lifespan=_lifespan,
        title="Posterior API",
        version="1.0.0",
        summary="Hamstrings-first strength training: catalog, programs, offline sync, insights.",
        openapi_tags=TAGS,
        docs_url=None,  # install_docs serves it, without a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = create_db_engine(settings)
    app.state.sessionmaker = create_session_factory(app.state.engine)
    app.state.jobs = QueuedJobs() if settings.redis_url else InProcessJobs(app.state.sessionmaker, settings)

    install_problem_handlers(app)
    install_docs(app)
    for router in (
        auth_router,
        catalog_router,
        programs_router,
        me_router,
        equipment_router,
        insights_router,
        history_router,
        sync_router,
        grants_router,
        oauth_router,
        partners_router,
        coaching_router,
        webhooks_router,
        ops_router,
    ):
        app.include_router(router)
    app.webhooks.include_router(webhook_events)  # documented in the spec, never routed
    app.add_middleware(UnexpectedErrorMiddleware)  # innermost: a 500 passes through all the others
    app.add_middleware(DeprecationMiddleware)  # after routing has chosen the route, 500s included
    app.add_middleware(IdempotencyMiddleware)  # inside the size limit: it reads whole bodies
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    # Outside the body limit (a refused caller's body is never read), inside CORS and the request
    # context (a 429 still gets CORS headers, a request id, a log line and a metric).
    app.state.rate_limits = RateLimits(settings)
    app.add_middleware(RateLimitMiddleware, limits=app.state.rate_limits, settings=settings)
    # Outside idempotency (a stored answer replays to clients with or without gzip); level 5:
    # a 100,000-set pull shrinks about as much as at 9 for a fraction of the CPU.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=5)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After", *RATE_LIMIT_HEADERS],
        )
    app.add_middleware(SecurityHeadersMiddleware)  # outside CORS and the limits: on every answer
    app.add_middleware(RequestContextMiddleware)
    # FastAPI's documented way to extend the schema is to replace this method on the instance.
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.jobs.start()
    yield
    app.state.jobs.shutdown()
    app.state.engine.dispose()


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
            webhooks=app.webhooks.routes,
            tags=app.openapi_tags,
        )
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        document_oauth_errors(schema)
        document_unavailable(schema)
        document_idempotency(schema)
        document_rate_limits(schema)
        document_sync(schema)
        document_deprecations(schema)
        app.openapi_schema = schema
    return app.openapi_schema
