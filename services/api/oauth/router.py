from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from services.api.deps import PartnerKeyCredentials, SessionDep, SettingsDep
from services.api.oauth import page, service, tokens
from services.api.oauth.route import OAuthRoute
from services.api.oauth.schemas import (
    AuthorizeQuery,
    ConsentForm,
    OAuthError,
    RevocationForm,
    ServerMetadata,
    TokenForm,
    TokenIssued,
)
from services.api.problems import problem_responses
from services.api.ratelimit import LoginLimitsDep

router = APIRouter(tags=["oauth"])
# The token and revocation endpoints answer errors the OAuth way (route.OAuthRoute).
token_router = APIRouter(prefix="/v1/oauth", route_class=OAuthRoute)

_client_basic = HTTPBasic(
    scheme_name="PartnerClient",
    auto_error=False,
    description="client_secret_basic: your client_id (`cl_…`) and an API key (`pk_…`) as the secret",
)
ClientBasic = Annotated[HTTPBasicCredentials | None, Depends(_client_basic)]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {400: "The request or the grant is not valid", 401: "The client could not be authenticated"}
    return {
        status: {"description": described[status], "model": OAuthError} for status in statuses
    } | problem_responses(413)


@router.get(
    "/v1/oauth/authorize",
    operation_id="authorize",
    response_class=HTMLResponse,
    summary="Send the user here: a consent page where they log in and approve scopes (code + PKCE S256)",
    responses={
        200: {"description": "The consent page", "content": {"text/html": {"schema": {"type": "string"}}}},
        302: {
            "description": "Back to redirect_uri with `error` (and `state`) when the request is invalid "
            "but the client and redirect_uri are known"
        },
        **problem_responses(422),
    },
)
def authorize(
    query: Annotated[AuthorizeQuery, Query()], session: SessionDep, settings: SettingsDep
) -> Response:
    return _answer(service.start(session, settings, query), status=302)


# The consent page's own form target, not an API for partners.
@router.post("/v1/oauth/authorize", operation_id="submit_consent", include_in_schema=False)
def submit_consent(
    form: Annotated[ConsentForm, Form()], session: SessionDep, settings: SettingsDep, limits: LoginLimitsDep
) -> Response:
    # 303: the browser follows a POST's redirect with a GET.
    return _answer(service.decide(session, settings, limits, form), status=303)


@token_router.post(
    "/token",
    operation_id="exchange_authorization_code",
    response_model=TokenIssued,
    summary="Exchange an authorization code and its code_verifier, or a refresh token, for tokens",
    description="RFC 6749 §4.1.3 and §6 with PKCE (RFC 7636). A refresh token is single-use: the "
    "answer carries a new one, and presenting a used one again revokes every token it led to. "
    "Errors are RFC 6749 §5.2 bodies, not problem documents.",
    responses=_oauth_errors(400, 401),
)
def exchange_authorization_code(
    form: Annotated[TokenForm, Form()],
    basic: ClientBasic,
    bearer: PartnerKeyCredentials,
    session: SessionDep,
    response: Response,
) -> TokenIssued:
    client = tokens.ClientCredentials(basic, bearer, form.client_id, form.client_secret)
    issued = tokens.issue(session, tokens.authenticate_client(session, client), form)
    response.headers.update(NO_STORE)  # RFC 6749 §5.1
    return issued


@token_router.post(
    "/revoke",
    operation_id="revoke_token",
    status_code=200,
    response_class=Response,
    summary="Revoke an access or refresh token and every token of the same authorization (RFC 7009)",
    description="The user's grant stays. An unknown token is answered 200 as well.",
    responses={200: {"description": "Revoked, or not a token of yours"}, **_oauth_errors(400, 401)},
)
def revoke_token(
    form: Annotated[RevocationForm, Form()],
    basic: ClientBasic,
    bearer: PartnerKeyCredentials,
    session: SessionDep,
) -> Response:
    client = tokens.ClientCredentials(basic, bearer, form.client_id, form.client_secret)
    tokens.revoke(session, tokens.authenticate_client(session, client), form)
    return Response(status_code=200, headers=NO_STORE)


@router.get(
    "/.well-known/oauth-authorization-server",
    operation_id="get_authorization_server_metadata",
    response_model=ServerMetadata,
    summary="Where and how to use OAuth here (RFC 8414)",
)
def get_authorization_server_metadata(request: Request) -> ServerMetadata:
    # The issuer is this server as the caller reached it (behind a proxy: its forwarded host).
    return tokens.metadata(str(request.base_url).rstrip("/"))


router.include_router(token_router)


def document(schema: dict[str, Any]) -> None:
    """FastAPI documents a 422 for every route that takes input; the token and revocation endpoints
    answer bad input with a 400 invalid_request instead, so a 422 there would promise what never comes."""
    for route in token_router.routes:
        if isinstance(route, OAuthRoute):
            for method in route.methods or ():
                schema["paths"][route.path_format][method.lower()]["responses"].pop("422", None)


def _answer(result: service.ConsentPage | service.Redirect, *, status: int) -> Response:
    if isinstance(result, service.Redirect):
        return RedirectResponse(result.url, status_code=status, headers={"Cache-Control": "no-store"})
    return page.render(result)
