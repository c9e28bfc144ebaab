"""The partners' secrets: API keys (`pk_…`), client ids and OAuth authorization codes."""

import hashlib
import secrets

KEY_PREFIX = "pk_"
CLIENT_ID_PREFIX = "cl_"


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def new_client_id() -> str:
    return CLIENT_ID_PREFIX + secrets.token_urlsafe(12)


def new_authorization_code() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # Keys and codes carry 256 random bits, so no one can guess a preimage and a slow password hash
    # (argon2) would only add latency to every request. A plain sha256 also lets the key be found
    # by its hash in one indexed lookup.
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(key: str) -> str:
    """Enough of a key to tell it apart in an admin listing or a log, far too little to use it."""
    return key[: len(KEY_PREFIX) + 6]
