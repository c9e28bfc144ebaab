from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import PartnerKey, SessionDep, SettingsDep
from services.api.oauth import page, service
from services.api.oauth.schemas import AuthorizeQuery, ConsentForm, GrantActivated, TokenForm
from services.api.problems import problem_responses
from services.api.ratelimit import LoginLimitsDep

router = APIRouter(prefix="/v1/oauth", tags=["oauth"])


@router.get(
    "/authorize",
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
@router.post("/authorize", operation_id="submit_consent", include_in_schema=False)
def submit_consent(
    form: Annotated[ConsentForm, Form()], session: SessionDep, settings: SettingsDep, limits: LoginLimitsDep
) -> Response:
    # 303: the browser follows a POST's redirect with a GET.
    return _answer(service.decide(session, settings, limits, form), status=303)


@router.post(
    "/token",
    operation_id="exchange_authorization_code",
    response_model=GrantActivated,
    summary="Exchange an authorization code and its code_verifier for an active grant",
    responses=problem_responses(400, 401, 413, 422),
)
def exchange_authorization_code(
    form: Annotated[TokenForm, Form()], key: PartnerKey, session: SessionDep
) -> GrantActivated:
    return service.exchange(session, key, form)


def _answer(result: service.ConsentPage | service.Redirect, *, status: int) -> Response:
    if isinstance(result, service.Redirect):
        return RedirectResponse(result.url, status_code=status, headers={"Cache-Control": "no-store"})
    return page.render(result)
