"""The token endpoint (RFC 6749 §3.2: the authorization code grant with PKCE, RFC 7636, and the
refresh token grant with rotation), revocation (RFC 7009) and the server's metadata (RFC 8414).

Errors are authlib's RFC 6749 §5.2 errors, rendered by `route.OAuthRoute`. authlib's server
classes expect a framework integration FastAPI lacks, so the grants are written out here,
following RFC 9700: single-use codes, refresh tokens rotated on every use, a replay of a used one
ending the tokens of the whole authorization (§4.14.2).
"""

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote

from authlib.oauth2.rfc6749.errors import (
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    UnsupportedGrantTypeError,
)
from authlib.oauth2.rfc7636.challenge import create_s256_code_challenge
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasicCredentials
from sqlalchemy.orm import Session

from services.api.grants import service as grants
from services.api.oauth.schemas import RevocationForm, ServerMetadata, TokenForm, TokenIssued
from services.api.partners import keys
from services.core.models import AuthorizationCode, Grant, OAuthToken
from services.core.models.base import utcnow
from services.core.models.partners import GRANTABLE_SCOPES
from services.core.repositories import authorization_codes, oauth_tokens, partners
from services.core.repositories import grants as grant_repository

# Long enough that a partner refreshes rarely, short enough that a leaked token soon stops working;
# revoking the grant ends it at once anyway.
ACCESS_TOKEN_TTL = timedelta(hours=1)
# A partner that has not refreshed for this long has to ask the user again (RFC 9700 §4.14.2).
REFRESH_TOKEN_TTL = timedelta(days=90)
CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """What the request carried to authenticate the client, each way it may."""

    basic: HTTPBasicCredentials | None
    bearer: HTTPAuthorizationCredentials | None
    client_id: str | None
    client_secret: str | None


def authenticate_client(session: Session, credentials: ClientCredentials) -> uuid.UUID:
    """The partner calling, by its client_id and one of its active API keys as the secret
    (RFC 6749 §2.3.1), or, as before 1.1, by an API key alone as a bearer token."""
    ways = [credentials.basic, credentials.bearer, credentials.client_secret]
    if sum(way is not None for way in ways) > 1:
        raise InvalidRequestError(
            "Authenticate the client one way only: HTTP Basic, the form or a bearer API key."
        )
    now = utcnow()
    if credentials.bearer is not None:
        key = partners.find_active_key(
            session, key_hash=keys.hash_secret(credentials.bearer.credentials), now=now
        )
        if key is None:
            raise _invalid_client()
        return key.partner_id
    if credentials.basic is not None:
        # Basic's user and password are form-encoded first (RFC 6749 §2.3.1).
        client_id, secret = unquote(credentials.basic.username), unquote(credentials.basic.password)
    elif credentials.client_secret is not None and credentials.client_id is not None:
        client_id, secret = credentials.client_id, credentials.client_secret
    else:
        raise _invalid_client()
    partner = partners.find_partner_by_client_id(session, client_id)
    key = partners.find_active_key(session, key_hash=keys.hash_secret(secret), now=now)
    if partner is None or key is None or key.partner_id != partner.id:
        raise _invalid_client()
    return partner.id


def _invalid_client() -> InvalidClientError:
    # 401 with WWW-Authenticate: Basic, as RFC 6749 §5.2 asks when the client tried a header.
    return InvalidClientError(
        "Authenticate with your client_id and an active API key as the client secret.", status_code=401
    )


def issue(session: Session, partner_id: uuid.UUID, form: TokenForm) -> TokenIssued:
    if form.grant_type == "authorization_code":
        return _exchange_code(session, partner_id, form)
    if form.grant_type == "refresh_token":
        return _refresh(session, partner_id, form)
    raise UnsupportedGrantTypeError(form.grant_type)


def _exchange_code(session: Session, partner_id: uuid.UUID, form: TokenForm) -> TokenIssued:
    """Turns an approved code into an active grant and its first tokens (RFC 6749 §4.1.3, RFC 7636 §4.6)."""
    if form.code is None or form.redirect_uri is None or form.code_verifier is None:
        raise InvalidRequestError("Send code, redirect_uri and code_verifier.")
    now = utcnow()
    code = authorization_codes.find_code(session, keys.hash_secret(form.code))
    if code is None or code.partner_id != partner_id:
        raise InvalidGrantError("The authorization code is not valid.")
    if code.used_at is not None:
        # A code used twice was intercepted or replayed: revoke what it granted (RFC 6749 §4.1.2).
        _revoke_granted_by(session, code, now)
        session.commit()
        raise InvalidGrantError("The authorization code was already used; the grant it activated is revoked.")
    if code.expires_at <= now:
        raise InvalidGrantError("The authorization code has expired; ask the user again.")
    if form.redirect_uri != code.redirect_uri:
        raise InvalidGrantError("redirect_uri differs from the one of the authorization request.")
    if not hmac.compare_digest(create_s256_code_challenge(form.code_verifier), code.code_challenge):
        raise InvalidGrantError("code_verifier does not match the code_challenge.")
    grant = _activate(session, code, now)
    code.used_at, code.grant_id = now, grant.id
    issued = _issue_tokens(session, grant, list(code.scopes), family_id=uuid.uuid4(), now=now)
    session.commit()
    return issued


def _refresh(session: Session, partner_id: uuid.UUID, form: TokenForm) -> TokenIssued:
    """RFC 6749 §6 with rotation: the refresh token is used up and a new pair is issued."""
    if form.refresh_token is None:
        raise InvalidRequestError("Send refresh_token.")
    now = utcnow()
    token = oauth_tokens.find_by_refresh_token(session, refresh_hash=keys.hash_secret(form.refresh_token))
    if token is None or token.partner_id != partner_id or token.revoked_at is not None:
        raise InvalidGrantError("The refresh token is not valid.")
    if token.refreshed_at is not None:
        # Only one holder may have used it: the other copy was stolen, and we can't tell which is
        # which, so every token of this authorization ends (RFC 9700 §4.14.2).
        oauth_tokens.revoke_family(session, user_id=token.user_id, family_id=token.family_id, now=now)
        session.commit()
        raise InvalidGrantError("The refresh token was already used; every token it led to is revoked.")
    if token.refresh_expires_at <= now:
        raise InvalidGrantError("The refresh token has expired; ask the user again.")
    grant = grant_repository.find_active_grant(session, user_id=token.user_id, partner_id=partner_id)
    if grant is None or grant.id != token.grant_id:
        raise InvalidGrantError("The user revoked this grant.")
    scopes = [s for s in token.scopes if s in grant.scopes]
    if form.scope is not None:
        asked = list(dict.fromkeys(form.scope.split()))
        if not asked or any(s not in scopes for s in asked):
            raise InvalidScopeError(f"Ask for some of: {' '.join(scopes)}")
        scopes = asked
    token.refreshed_at = now
    issued = _issue_tokens(session, grant, scopes, family_id=token.family_id, now=now)
    session.commit()
    return issued


def _issue_tokens(
    session: Session, grant: Grant, scopes: list[str], *, family_id: uuid.UUID, now: datetime
) -> TokenIssued:
    access, refresh = keys.new_access_token(), keys.new_refresh_token()
    session.add(
        OAuthToken(
            user_id=grant.user_id,
            partner_id=grant.partner_id,
            grant_id=grant.id,
            family_id=family_id,
            access_token_hash=keys.hash_secret(access),
            refresh_token_hash=keys.hash_secret(refresh),
            scopes=scopes,
            access_expires_at=now + ACCESS_TOKEN_TTL,
            refresh_expires_at=now + REFRESH_TOKEN_TTL,
            created_at=now,
        )
    )
    return TokenIssued(
        access_token=access,
        token_type="Bearer",
        expires_in=int(ACCESS_TOKEN_TTL.total_seconds()),
        refresh_token=refresh,
        scope=" ".join(scopes),
        user_id=grant.user_id,
        grant_id=grant.id,
        scopes=scopes,
    )


def _activate(session: Session, code: AuthorizationCode, now: datetime) -> Grant:
    """One active grant per user and partner: a new consent replaces the scopes of the last one."""
    grant = grant_repository.find_active_grant(
        session, user_id=code.user_id, partner_id=code.partner_id, lock=True
    )
    if grant is None:
        grant = Grant(user_id=code.user_id, partner_id=code.partner_id, created_at=now)
        session.add(grant)
    grant.scopes, grant.updated_at = list(code.scopes), now
    session.flush()
    return grant


def _revoke_granted_by(session: Session, code: AuthorizationCode, now: datetime) -> None:
    grant = grant_repository.find_active_grant(
        session, user_id=code.user_id, partner_id=code.partner_id, lock=True
    )
    if grant is not None and grant.id == code.grant_id:
        grants.revoke(session, grant, now)


def revoke(session: Session, partner_id: uuid.UUID, form: RevocationForm) -> None:
    """RFC 7009: ends the token's whole family, access and refresh tokens alike (the user's grant
    stays). An unknown token, or another partner's, is answered the same and left alone (§2.2)."""
    token = oauth_tokens.find_by_either_token(session, token_hash=keys.hash_secret(form.token))
    if token is not None and token.partner_id == partner_id:
        oauth_tokens.revoke_family(session, user_id=token.user_id, family_id=token.family_id, now=utcnow())
        session.commit()


def metadata(issuer: str) -> ServerMetadata:
    return ServerMetadata(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/v1/oauth/authorize",
        token_endpoint=f"{issuer}/v1/oauth/token",
        revocation_endpoint=f"{issuer}/v1/oauth/revoke",
        response_types_supported=["code"],
        grant_types_supported=["authorization_code", "refresh_token"],
        code_challenge_methods_supported=["S256"],
        token_endpoint_auth_methods_supported=CLIENT_AUTH_METHODS,
        revocation_endpoint_auth_methods_supported=CLIENT_AUTH_METHODS,
        scopes_supported=list(GRANTABLE_SCOPES),
        service_documentation=f"{issuer}/docs",
    )
