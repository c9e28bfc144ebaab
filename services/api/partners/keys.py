"""The partners' secrets: API keys (`pk_…`), client ids, OAuth authorization codes and tokens."""

import hashlib
import secrets

KEY_PREFIX = "pk_"
CLIENT_ID_PREFIX = "cl_"
# Prefixes tell a partner's credential apart without a lookup: a key, a user-scoped access token
# (what /v1/users/{user_id}/… accepts besides a key), or a refresh token (only the token endpoint's).
ACCESS_TOKEN_PREFIX = "pat_"
REFRESH_TOKEN_PREFIX = "prt_"


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def new_client_id() -> str:
    return CLIENT_ID_PREFIX + secrets.token_urlsafe(12)


def new_authorization_code() -> str:
    return secrets.token_urlsafe(32)


def new_access_token() -> str:
    return ACCESS_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_refresh_token() -> str:
    return REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # Keys, codes and tokens carry 256 random bits, so no one can guess a preimage and a slow password hash
    # (argon2) would only add latency to every request. A plain sha256 also lets the key be found
    # by its hash in one indexed lookup.
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(key: str) -> str:
    """Enough of a key to tell it apart in an admin listing or a log, far too little to use it."""
    return key[: len(KEY_PREFIX) + 6]
