"""Pure ASGI middleware: request ids, access logs with RED metrics, the body size limit and the
security headers.

Written as raw ASGI (not BaseHTTPMiddleware) so streaming responses pass through untouched.
"""

import re
import time
import uuid
from typing import Any

import structlog
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api import metrics
from services.api.problems import problem_response, unexpected_problem

log = structlog.get_logger("posterior.access")

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


class HttpMiddleware:
    """Raw ASGI middleware that acts on HTTP requests only: lifespan and websocket scopes pass
    straight through to the app, HTTP requests go to the subclass's `handle`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class RequestContextMiddleware(HttpMiddleware):
    """Gives every request an id (echoed when the client sent a sane one), logs and measures it."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        supplied = Request(scope).headers.get("x-request-id", "")
        request_id = supplied if SANE_REQUEST_ID.match(supplied) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration = time.perf_counter() - started
            route = _route_template(scope)
            metrics.observe_request(scope["method"], route, status, duration)
            log.info(
                "request",
                method=scope["method"],
                route=route,
                status=status,
                duration_ms=round(duration * 1000, 2),
            )
            structlog.contextvars.unbind_contextvars("request_id")


def _route_template(scope: Scope) -> str:
    # The template (/v1/programs/{program_id}), never the raw path: bounded label cardinality.
    route: Any = scope.get("route")
    return getattr(route, "path", "unmatched")


class BodySizeLimitMiddleware(HttpMiddleware):
    """Answers 413 to a request body over `max_bytes`, which the app never sees.

    The rest of the refused body is read and dropped (up to DRAIN_FACTOR times the limit) before
    the answer: a client that sends its whole body before reading (urllib, many mobile HTTP
    stacks) would otherwise meet a connection reset instead of the 413 problem, since closing a
    socket with unread data makes the kernel send RST. Bodies beyond the drain bound are cut off.
    """

    DRAIN_FACTOR = 8

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = Request(scope).headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            if int(declared) <= self.max_bytes * self.DRAIN_FACTOR:
                await self._drain(receive, 0)
            await self._reject(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            # A chunked body has no Content-Length: count while the app reads. The exception is an
            # HTTPException so the app's problem handler renders it.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    if message.get("more_body", False):
                        await self._drain(receive, received)
                    raise StarletteHTTPException(
                        413, f"Request bodies are limited to {self.max_bytes} bytes."
                    )
            return message

        await self.app(scope, limited_receive, send)

    async def _drain(self, receive: Receive, received: int) -> None:
        bound = self.max_bytes * self.DRAIN_FACTOR
        while received <= bound:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            received += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            Request(scope),
            status=413,
            slug="payload-too-large",
            detail=f"Request bodies are limited to {self.max_bytes} bytes.",
        )
        await response(scope, receive, send)


class SecurityHeadersMiddleware(HttpMiddleware):
    """Headers no answer should lack (OWASP API8), unless its route set them otherwise.

    `X-Content-Type-Options: nosniff` on every answer: a browser never runs a body as another type
    than it is labelled. `Cache-Control: no-store` on answers to requests with credentials (they
    hold personal data) and to writes (login and refresh hold tokens): no browser or proxy cache
    keeps them. Public reads (catalog, programs, docs) stay cacheable.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        private = _has_credentials(scope) or scope["method"] not in ("GET", "HEAD", "OPTIONS")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                headers.setdefault("x-content-type-options", "nosniff")
                if private:
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _has_credentials(scope: Scope) -> bool:
    return any(name == b"authorization" for name, _ in scope["headers"])


class UnexpectedErrorMiddleware(HttpMiddleware):
    """Renders the 500 problem of an exception no handler took, innermost, so that answer passes
    through the other middleware like any other: request id, security and CORS headers, access
    log and metrics. (Starlette would render it in its outermost middleware, past all of them.)"""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise  # a streamed answer broke midway: its status line is already sent
            response = await unexpected_problem(Request(scope), exc)
            await response(scope, receive, send)
