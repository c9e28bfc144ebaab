"""Who is calling: the one reading of an `Authorization: Bearer …` credential, shared by the
authentication dependencies, the rate limiter and the Idempotency-Key middleware.

It needs no database: a user's access token is checked by its signature and expiry, a partner's
API key and OAuth access token are known by their hashes. Whether the account's session or the key is still active is the
caller's question to the database (authentication asks it; the limiter does not need to).
"""

import uuid
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from services.api.auth.tokens import AccessClaims, read_access_claims
from services.api.partners.keys import ACCESS_TOKEN_PREFIX, KEY_PREFIX, hash_secret
from services.core.errors import Unauthenticated


@dataclass(frozen=True, slots=True)
class UserCaller:
    claims: AccessClaims

    @property
    def user_id(self) -> uuid.UUID:
        return self.claims.user_id


@dataclass(frozen=True, slots=True)
class PartnerCaller:
    key_hash: str  # how API keys are stored: the secret itself is never kept


@dataclass(frozen=True, slots=True)
class PartnerTokenCaller:
    """A partner acting for one user with the OAuth access token that user's consent gave it."""

    token_hash: str


Caller = UserCaller | PartnerCaller | PartnerTokenCaller


def bearer_credential(authorization: str | None) -> str | None:
    """The credential of an `Authorization: Bearer <credential>` header, if that is what it holds."""
    scheme, _, credential = (authorization or "").partition(" ")
    return credential if scheme.lower() == "bearer" and credential else None


def identify(credential: str, *, secret: str) -> Caller:
    """A partner API key (`pk_…`), a partner's OAuth access token (`pat_…`) or a user's access
    token; raises Unauthenticated for a user's token whose signature, issuer or expiry is wrong."""
    if credential.startswith(KEY_PREFIX):
        return PartnerCaller(hash_secret(credential))
    if credential.startswith(ACCESS_TOKEN_PREFIX):
        return PartnerTokenCaller(hash_secret(credential))
    return UserCaller(read_access_claims(credential, secret=secret))


def identify_once(state: MutableMapping[str, Any], credential: str, *, secret: str) -> Caller:
    """`identify`, remembered in the request's state (its ASGI scope's): the rate limiter reads the
    credential first and authentication reads it again, and a user's token costs a signature check
    and a JSON parse each time. Only a valid reading is remembered; a bad token raises every time."""
    known = state.get("caller")
    if known is not None and known[0] == credential:
        return known[1]
    caller = identify(credential, secret=secret)
    state["caller"] = (credential, caller)
    return caller


def session_ended() -> Unauthenticated:
    """The answer to a well-signed access token whose account or login session is gone."""
    return Unauthenticated("The access token is not valid: its account or its login session has ended.")
