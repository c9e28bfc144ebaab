"""Random bearer tokens kept only as their sha256: refresh tokens and the tokens of account mail."""

import hashlib
import secrets


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # The token has 256 bits of entropy, so a fast hash is enough (unlike a password).
    return hashlib.sha256(token.encode()).hexdigest()
