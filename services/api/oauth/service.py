"""OAuth 2.0 authorization code with PKCE (RFC 6749 §4.1, RFC 7636, S256 only): the consent a user
gives a partner; `tokens` exchanges the code.

authlib's server classes expect a framework integration FastAPI lacks, so the flow is written out
here, following RFC 9700 (exact redirect URIs, one-time short-lived codes, PKCE required), with
authlib's RFC 7636 helpers for the challenge.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jwt
from authlib.oauth2.rfc7636.challenge import CODE_CHALLENGE_PATTERN
from sqlalchemy.orm import Session

from services.api.auth import service as accounts
from services.api.oauth.schemas import AuthorizeQuery, ConsentForm
from services.api.partners import keys
from services.api.ratelimit import LoginLimits
from services.core.errors import FieldError, InvalidCredentials, InvalidInput, RateLimited
from services.core.models import AuthorizationCode, Partner
from services.core.models.base import utcnow
from services.core.models.partners import GRANTABLE_SCOPES
from services.core.repositories import partners
from services.core.settings import Settings

# RFC 6749 §4.1.2 recommends at most ten minutes; a partner exchanges the code right away.
CODE_TTL = timedelta(minutes=5)
# How long the consent page may stay open before its form is refused.
CONSENT_TTL = timedelta(minutes=15)
CONSENT_TYPE = "oauth_consent"


@dataclass(frozen=True, slots=True)
class Consent:
    """What the user is asked to approve. Signed into the page's form, so the POST can't change
    the partner, the redirect, the scopes or the PKCE challenge the GET validated."""

    client_id: str
    partner_name: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str


@dataclass(frozen=True, slots=True)
class ConsentPage:
    consent: Consent
    token: str  # the signed consent for the form
    error: str | None = None
    status: int = 200


@dataclass(frozen=True, slots=True)
class Redirect:
    url: str


def start(session: Session, settings: Settings, query: AuthorizeQuery) -> ConsentPage | Redirect:
    partner = _registered_partner(session, query.client_id, query.redirect_uri)
    # From here on the redirect URI is trusted: errors go back to the partner (RFC 6749 §4.1.2.1).
    if query.response_type != "code":
        return _redirect(query.redirect_uri, error="unsupported_response_type", state=query.state)
    if query.code_challenge_method != "S256" or not CODE_CHALLENGE_PATTERN.match(query.code_challenge or ""):
        return _redirect(
            query.redirect_uri,
            error="invalid_request",
            error_description="PKCE is required: send code_challenge with code_challenge_method=S256",
            state=query.state,
        )
    scopes = tuple(dict.fromkeys(query.scope.split()))
    if not scopes or any(s not in GRANTABLE_SCOPES or s not in partner.scopes for s in scopes):
        return _redirect(
            query.redirect_uri,
            error="invalid_scope",
            error_description=f"Ask for some of: {' '.join(s for s in GRANTABLE_SCOPES if s in partner.scopes)}",
            state=query.state,
        )
    consent = Consent(
        client_id=partner.client_id,
        partner_name=partner.name,
        redirect_uri=query.redirect_uri,
        scopes=scopes,
        state=query.state,
        code_challenge=query.code_challenge or "",
    )
    return ConsentPage(consent, _sign(consent, settings))


def decide(
    session: Session, settings: Settings, limits: LoginLimits, form: ConsentForm
) -> ConsentPage | Redirect:
    consent = _verify(form.consent, settings)
    _registered_partner(session, consent.client_id, consent.redirect_uri)  # it may have changed since
    if form.decision == "deny":
        return _redirect(consent.redirect_uri, error="access_denied", state=consent.state)
    try:
        user = accounts.authenticate(session, form.email, form.password, limits)
    except InvalidCredentials as exc:
        return ConsentPage(consent, form.consent, error=exc.detail, status=401)
    except RateLimited as exc:
        return ConsentPage(consent, form.consent, error=exc.detail, status=429)
    approved = [s for s in consent.scopes if s in form.scope]
    if not approved:
        return ConsentPage(consent, form.consent, error="Allow at least one thing, or deny.", status=422)
    partner = partners.find_partner_by_client_id(session, consent.client_id)
    assert partner is not None
    code = keys.new_authorization_code()
    session.add(
        AuthorizationCode(
            code_hash=keys.hash_secret(code),
            partner_id=partner.id,
            user_id=user.id,
            redirect_uri=consent.redirect_uri,
            scopes=approved,
            code_challenge=consent.code_challenge,
            expires_at=utcnow() + CODE_TTL,
        )
    )
    session.commit()
    return _redirect(consent.redirect_uri, code=code, state=consent.state)


def _registered_partner(session: Session, client_id: str, redirect_uri: str) -> Partner:
    # Never redirect to an unregistered URI, not even to report the error (RFC 6749 §4.1.2.1).
    partner = partners.find_partner_by_client_id(session, client_id)
    if partner is None:
        raise InvalidInput("Unknown client_id.", [FieldError(field="client_id", message="no such client")])
    if redirect_uri not in partner.redirect_uris:
        raise InvalidInput(
            "redirect_uri is not registered for this client.",
            [FieldError(field="redirect_uri", message="must equal a registered redirect URI exactly")],
        )
    return partner


def _redirect(uri: str, **params: str | None) -> Redirect:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in params.items() if value is not None]
    return Redirect(urlunsplit(parts._replace(query=urlencode(query))))


def _sign(consent: Consent, settings: Settings) -> str:
    now = utcnow()
    claims = {
        "typ": CONSENT_TYPE,
        "cid": consent.client_id,
        "pn": consent.partner_name,
        "ruri": consent.redirect_uri,
        "scp": list(consent.scopes),
        "st": consent.state,
        "cc": consent.code_challenge,
        "iat": now,
        "exp": now + CONSENT_TTL,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.signing_secret(), algorithm="HS256")


def _verify(token: str, settings: Settings) -> Consent:
    try:
        claims = jwt.decode(
            token, settings.signing_secret(), algorithms=["HS256"], options={"require": ["exp"]}
        )
        if claims.get("typ") != CONSENT_TYPE:
            raise jwt.InvalidTokenError("not a consent")
        return Consent(
            client_id=claims["cid"],
            partner_name=claims["pn"],
            redirect_uri=claims["ruri"],
            scopes=tuple(claims["scp"]),
            state=claims["st"],
            code_challenge=claims["cc"],
        )
    except (jwt.InvalidTokenError, KeyError, TypeError) as exc:
        raise InvalidInput(
            "This consent form has expired or was altered; start again from the partner's app.",
            [FieldError(field="consent", message="not a consent form we issued, or too old")],
        ) from exc
