"""Access tokens (JWT, HS256, 15 min) and opaque refresh tokens (random, stored as sha256)."""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

import jwt

from services.core.errors import Unauthenticated

ISSUER = "posterior"
ALGORITHM = "HS256"


def issue_access_token(user_id: uuid.UUID, *, secret: str, now: datetime, ttl_s: int) -> str:
    claims = {
        "sub": str(user_id),
        "iss": ISSUER,
        "typ": "access",
        "iat": now,
        "exp": now + timedelta(seconds=ttl_s),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret: str) -> uuid.UUID:
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "sub", "iss"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The access token has expired; refresh it.") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated("The access token is not valid.") from exc
    if claims.get("typ") != "access":
        raise Unauthenticated("The access token is not valid.")
    try:
        return uuid.UUID(claims["sub"])
    except ValueError as exc:
        raise Unauthenticated("The access token is not valid.") from exc


def new_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    # The token has 256 bits of entropy, so a fast hash is enough (unlike a password).
    return hashlib.sha256(token.encode()).hexdigest()
