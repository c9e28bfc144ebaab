"""`Idempotency-Key` on POST (api-conventions.md, "Writes"), as pure ASGI middleware so it covers
every POST without touching the routes.

Keys are per caller: the partner of an API key (so a key rotation keeps them) or the user of an
access token. A POST without a caller (register, login, the consent form) has no one to scope a key
to, and its answers hold credentials that must not be stored, so the header is ignored there.

For a (caller, key) the first request is recorded as pending before it runs; a successful (2xx)
answer is then stored for 24 hours and replayed, marked `Idempotent-Replayed: true`, to the same
request. The same key with another request is a 422; while the first is still running, a 409.
An error answer is not stored: the request changed nothing, so a retry with the same key runs again.
"""

import hashlib
import json
import logging
import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.auth.callers import PartnerTokenCaller, UserCaller, bearer_credential, identify
from services.api.problems import domain_problem, problem_response, problem_responses
from services.core.errors import (
    DomainError,
    FieldError,
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    InvalidInput,
    Unauthenticated,
)
from services.core.models import ApiKey, IdempotencyRecord, OAuthToken
from services.core.models.base import utcnow
from services.core.repositories import idempotency_records, oauth_tokens, partners
from services.core.settings import Settings

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = timedelta(hours=24)
# A pending record older than this belongs to a request whose process died: the key is free again.
ABANDONED_AFTER = timedelta(minutes=2)
MAX_STORED_BODY = 1024 * 1024
VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as the IETF draft's examples
STORED_HEADERS = ("content-type", "location")


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        key = request.headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            if not VALID_KEY.match(key):
                raise InvalidInput(
                    f"{HEADER} must be 1 to 255 visible ASCII characters.",
                    [FieldError(field=HEADER, message="1–255 visible ASCII characters")],
                )
            body = await _read_body(receive)
        except DomainError as exc:
            await domain_problem(request, exc)(scope, receive, send)
            return
        except StarletteHTTPException as exc:  # the body size limit, raised while we read
            await problem_response(
                request,
                status=exc.status_code,
                slug="payload-too-large",
                detail=str(exc.detail),
            )(scope, receive, send)
            return
        replay_body = _replaying(body, receive)
        state = scope["app"].state
        caller = await run_in_threadpool(
            caller_of, state.sessionmaker, state.settings, request.headers.get("authorization")
        )
        if caller is None:
            await self.app(scope, replay_body, send)
            return
        ledger = Ledger(state.sessionmaker, caller, key)
        try:
            stored = await run_in_threadpool(ledger.begin, fingerprint(scope, body))
        except DomainError as exc:
            response = domain_problem(request, exc)
            if isinstance(exc, IdempotencyKeyInUse):
                response.headers["Retry-After"] = "1"
            await response(scope, receive, send)
            return
        if stored is not None:
            await _replay(stored)(scope, receive, send)
            return
        await self._run_and_record(scope, replay_body, send, ledger)

    async def _run_and_record(self, scope: Scope, receive: Receive, send: Send, ledger: "Ledger") -> None:
        # The answer is held back until it is stored, so a retry that follows it finds it.
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        try:
            await self.app(scope, receive, hold)
        except BaseException:
            await run_in_threadpool(ledger.release)
            raise
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        if 200 <= start["status"] < 300 and len(body) <= MAX_STORED_BODY:
            headers = {
                name.decode("latin-1"): value.decode("latin-1")
                for name, value in start.get("headers", [])
                if name.decode("latin-1").lower() in STORED_HEADERS
            }
            await run_in_threadpool(ledger.store, start["status"], headers, body)
        else:
            await run_in_threadpool(ledger.release)
        for message in messages:
            await send(message)


class Ledger:
    """The record of one (caller, key), each step in its own short transaction."""

    def __init__(self, factory: sessionmaker[Session], caller: str, key: str) -> None:
        self.factory, self.caller, self.key = factory, caller, key

    def begin(self, request_hash: str) -> IdempotencyRecord | None:
        """Claims the key (None: run the request), or returns the stored answer to replay."""
        now = utcnow()
        with self.factory() as session:
            record = idempotency_records.claim_idempotency_key(
                session,
                caller=self.caller,
                key=self.key,
                request_hash=request_hash,
                now=now,
                expires_at=now + RETENTION,
                abandoned_before=now - ABANDONED_AFTER,
            )
            session.commit()
        if record is None:
            return None
        if record.request_hash != request_hash:
            raise IdempotencyKeyReused(
                f"This {HEADER} was used within the last 24 hours with a different request; use a new key."
            )
        if record.status_code is None:
            raise IdempotencyKeyInUse(
                f"The first request with this {HEADER} is still running; retry shortly."
            )
        return record

    def store(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            with self.factory() as session:
                idempotency_records.store_idempotent_response(
                    session, caller=self.caller, key=self.key, status_code=status, headers=headers, body=body
                )
                session.commit()
        except Exception:
            # The request itself succeeded and must be answered; the pending record is freed
            # after ABANDONED_AFTER.
            log.exception("could not store an idempotent response")

    def release(self) -> None:
        with self.factory() as session:
            idempotency_records.release_idempotency_key(session, caller=self.caller, key=self.key)
            session.commit()


def caller_of(factory: sessionmaker[Session], settings: Settings, authorization: str | None) -> str | None:
    """Who is calling, for scoping keys; None when the credentials are absent or not valid (the
    route then answers 401 itself)."""
    credential = bearer_credential(authorization)
    if credential is None:
        return None
    try:
        caller = identify(credential, secret=settings.signing_secret())
    except Unauthenticated:
        return None
    if isinstance(caller, UserCaller):
        return f"user:{caller.user_id}"
    found: ApiKey | OAuthToken | None
    with factory() as session:
        if isinstance(caller, PartnerTokenCaller):
            # Keys stay per partner whichever credential it sends, so a retry may switch.
            found = oauth_tokens.find_active_access_token(
                session, access_hash=caller.token_hash, now=utcnow()
            )
        else:
            found = partners.find_active_key(session, key_hash=caller.key_hash, now=utcnow())
    return None if found is None else f"partner:{found.partner_id}"


def fingerprint(scope: Scope, body: bytes) -> str:
    """The request, so that a different one under the same key is told apart: method, path,
    query and body (JSON compared by value, so key order and spacing don't matter)."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    query = sorted(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), json.dumps(query).encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _replay(record: IdempotencyRecord) -> Response:
    assert record.status_code is not None
    headers = {**(record.headers or {}), REPLAYED_HEADER: "true"}
    return Response(record.body or b"", status_code=record.status_code, headers=headers)


# -- OpenAPI ---------------------------------------------------------------------------------

KEY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Makes the POST safe to retry: within 24 hours the same key with the same request "
    "returns the first (successful) response again, with `Idempotent-Replayed: true`; the same key "
    "with a different request is a 422. Keys are per caller.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]{1,255}$"},
    "example": "5d1c7a0e-7b8f-4a53-9f57-0f6b1f2f9f10",
}
REPLAYED_RESPONSE_HEADER = {
    "description": "`true` when this is the stored response of an earlier request with the same key",
    "schema": {"type": "string", "enum": ["true"]},
}


def document(schema: dict[str, Any]) -> None:
    """Adds the header, its replay marker and its errors to every POST that has a caller."""
    for path in schema.get("paths", {}).values():
        operation = path.get("post")
        if operation is None or not operation.get("security"):
            continue
        operation.setdefault("parameters", []).append(KEY_PARAMETER)
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                response.setdefault("headers", {})[REPLAYED_HEADER] = REPLAYED_RESPONSE_HEADER
        for status, response in problem_responses(409, 422).items():
            operation["responses"].setdefault(str(status), response)
