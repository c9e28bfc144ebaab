"""Standard Webhooks signing: endpoint secrets, the signature of a delivery, its headers.

Signing uses the `standardwebhooks` package (the reference implementation of the spec): the
signature is `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the base64-decoded part of
`whsec_<base64>`. Besides the spec's own test vector, a receiver's verifier is then the same code.
"""

import base64
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # Standard Webhooks: between 24 and 64 bytes


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 signature>` of one secret."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return Webhook(secret).sign(msg_id=msg_id, timestamp=moment, data=body.decode())


def signed_headers(
    signing_secrets: Sequence[str], *, msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The Standard Webhooks headers; one signature per secret (space-separated), so during a
    rotation a receiver that still has the previous secret verifies too."""
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in signing_secrets
        ),
    }


def signing_secrets(endpoint: Any, now: datetime) -> list[str]:
    keep_previous = (
        endpoint.previous_secret is not None
        and endpoint.previous_secret_expires_at is not None
        and endpoint.previous_secret_expires_at > now
    )
    return [endpoint.secret, endpoint.previous_secret] if keep_previous else [endpoint.secret]
