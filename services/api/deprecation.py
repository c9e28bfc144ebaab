"""Deprecated operations announce themselves (docs/partners.md, "Versions, changes and deprecation").

A route is marked with `**deprecated(since=…, sunset=…, link=…)`: the spec gets `deprecated: true`
and the dates, and every answer routed to it — errors included — carries
`Deprecation: @<unix seconds>` (RFC 9745), `Sunset: <HTTP-date>` (RFC 8594) and
`Link: <…>; rel="deprecation"` (RFC 9745 §3). The dates live in the route's `openapi_extra`, so the
spec and the headers cannot disagree.
"""

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from services.api.middleware import HttpMiddleware

SINCE, SUNSET, LINK = "x-deprecated-since", "x-sunset", "x-deprecation-link"
HEADERS = {
    "Deprecation": {
        "description": "When this operation was deprecated, as `@<unix seconds>` (RFC 9745)",
        "schema": {"type": "string", "pattern": r"^@-?\d+$"},
    },
    "Sunset": {
        "description": "After this moment the operation may stop working (RFC 8594, an HTTP-date)",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": 'The page that says what to use instead (`rel="deprecation"`)',
        "schema": {"type": "string"},
    },
}


def deprecated(*, since: datetime, sunset: datetime, link: str) -> dict[str, Any]:
    """Keyword arguments for a route decorator that deprecate the operation."""
    if sunset <= since:
        raise ValueError("An operation's sunset comes after its deprecation.")
    return {
        "deprecated": True,
        "openapi_extra": {SINCE: _rfc3339(since), SUNSET: _rfc3339(sunset), LINK: link},
    }


def headers_of(extra: dict[str, Any]) -> dict[str, str]:
    """The answer headers of an operation whose `openapi_extra` is `extra`; none unless deprecated."""
    if SINCE not in extra:
        return {}
    since, sunset = (datetime.fromisoformat(extra[key]) for key in (SINCE, SUNSET))
    return {
        "deprecation": f"@{int(since.timestamp())}",
        "sunset": format_datetime(sunset.astimezone(UTC), usegmt=True),
        "link": f'<{extra[LINK]}>; rel="deprecation"; type="text/html"',
    }


class DeprecationMiddleware(HttpMiddleware):
    """Adds the headers to every answer routed to a deprecated operation, read from the route
    Starlette put in the scope, so its validation errors and 500s carry them too. Answers given
    before routing (the rate limit's 429, the body limit's 413) do not: no operation was chosen."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = getattr(scope.get("route"), "openapi_extra", None) or {}
                headers = MutableHeaders(scope=message)
                for name, value in headers_of(extra).items():
                    headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def document(schema: dict[str, Any]) -> None:
    """Every answer of a deprecated operation documents the three headers."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if operation.get("deprecated"):
                for response in operation["responses"].values():
                    response.setdefault("headers", {}).update(HEADERS)


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Deprecation dates need a time zone.")
    return moment.astimezone(UTC).isoformat()
