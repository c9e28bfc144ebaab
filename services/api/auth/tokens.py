"""Access tokens (JWT, HS256, 15 min) and opaque refresh tokens (random, stored as sha256).

An access token names its login session (`sid`: the family of refresh tokens the login started),
so that a logout or a detected refresh-token reuse ends the session's access tokens at once
instead of after their 15 minutes.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from services.core.errors import Unauthenticated
from services.core.tokens import hash_token, new_token

ISSUER = "posterior"
ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID  # the refresh-token family of the login that issued the token


def issue_access_token(
    user_id: uuid.UUID, *, session_id: uuid.UUID, secret: str, now: datetime, ttl_s: int
) -> str:
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "iss": ISSUER,
        "typ": "access",
        "iat": now,
        "exp": now + timedelta(seconds=ttl_s),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret: str) -> uuid.UUID:
    """The user the token was issued to (for keys of per-caller counters and records)."""
    return read_access_claims(token, secret=secret).user_id


def read_access_claims(token: str, *, secret: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "sub", "sid", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The access token has expired; refresh it.") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated("The access token is not valid.") from exc
    if claims.get("typ") != "access":
        raise Unauthenticated("The access token is not valid.")
    try:
        return AccessClaims(user_id=uuid.UUID(claims["sub"]), session_id=uuid.UUID(claims["sid"]))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Unauthenticated("The access token is not valid.") from exc


def new_refresh_token() -> str:
    return new_token("rt_")


def hash_refresh_token(token: str) -> str:
    return hash_token(token)
