"""The route class of the token and revocation endpoints, whose errors are RFC 6749 §5.2 bodies
(`{"error", "error_description"}`, `Cache-Control: no-store`) rather than problem documents: that
is what OAuth clients parse (api-conventions.md, "Errors")."""

from collections.abc import Callable, Coroutine
from typing import Any

from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidRequestError, OAuth2Error
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response


class OAuthRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def oauth_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                fields = sorted({".".join(str(p) for p in e["loc"][1:]) for e in exc.errors()})
                return oauth_error(InvalidRequestError(f"Missing or invalid: {', '.join(fields)}."))
            except HTTPException as exc:
                if exc.status_code != 401:
                    raise
                # A malformed Basic header, which FastAPI's HTTPBasic refuses before we see it.
                return oauth_error(InvalidClientError("Malformed client credentials.", status_code=401))
            except OAuth2Error as exc:
                return oauth_error(exc)

        return oauth_handler


def oauth_error(error: OAuth2Error) -> JSONResponse:
    status, body, headers = error()
    return JSONResponse(body, status_code=status, headers=dict(headers))
