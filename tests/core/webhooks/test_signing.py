"""Standard Webhooks signatures (https://www.standardwebhooks.com): the spec's test vector, the
headers of a delivery, and several signatures while a secret is being rotated."""

import base64
import hashlib
import hmac
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from services.core.webhooks import events, signing

# The test vector of the spec's reference libraries (libraries/python/tests/test_webhooks.py).
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signing_the_spec_test_vector_gives_its_signature():
    signature = signing.sign(VECTOR_SECRET, msg_id=VECTOR_ID, timestamp=VECTOR_TIMESTAMP, body=VECTOR_BODY)
    assert signature == VECTOR_SIGNATURE


def test_the_signature_is_the_base64_hmac_sha256_of_id_timestamp_and_body():
    key = base64.b64decode(VECTOR_SECRET.removeprefix("whsec_"))
    digest = hmac.new(key, f"{VECTOR_ID}.{VECTOR_TIMESTAMP}.".encode() + VECTOR_BODY, hashlib.sha256).digest()
    assert "v1," + base64.b64encode(digest).decode() == VECTOR_SIGNATURE


def test_a_receiver_verifies_the_headers_of_a_delivery():
    secret = signing.new_secret()
    body = events.encode_body({"type": "deload.suggested", "data": {"insight_id": "abc"}})
    headers = signing.signed_headers([secret], msg_id="evt_1", timestamp=int(time.time()), body=body)
    assert Webhook(secret).verify(body, headers) == {
        "type": "deload.suggested",
        "data": {"insight_id": "abc"},
    }
    assert headers["webhook-id"] == "evt_1"
    assert headers["content-type"] == "application/json"


def test_a_changed_body_fails_verification():
    secret = signing.new_secret()
    headers = signing.signed_headers([secret], msg_id="evt_1", timestamp=int(time.time()), body=b'{"a":1}')
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a":2}', headers)


def test_during_a_rotation_either_secret_verifies():
    new, old = signing.new_secret(), signing.new_secret()
    body = b'{"type":"webhook.ping"}'
    headers = signing.signed_headers([new, old], msg_id="evt_2", timestamp=int(time.time()), body=body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(body, headers)
    Webhook(old).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)


def test_a_secret_is_whsec_and_32_random_bytes_in_base64():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != signing.new_secret()


class _Endpoint:
    def __init__(self, previous_expires_in_s: float | None) -> None:
        from datetime import UTC, datetime, timedelta

        self.now = datetime.now(UTC)
        self.secret = "whsec_new"
        self.previous_secret = None if previous_expires_in_s is None else "whsec_old"
        self.previous_secret_expires_at = (
            None if previous_expires_in_s is None else self.now + timedelta(seconds=previous_expires_in_s)
        )


def test_the_previous_secret_signs_until_it_expires():
    assert signing.signing_secrets(_Endpoint(3600), _Endpoint(3600).now) == ["whsec_new", "whsec_old"]
    expired = _Endpoint(-1)
    assert signing.signing_secrets(expired, expired.now) == ["whsec_new"]
    never_rotated = _Endpoint(None)
    assert signing.signing_secrets(never_rotated, never_rotated.now) == ["whsec_new"]
