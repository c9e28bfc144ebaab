"""Rate limits (api-conventions.md): per API key, per user, per client address for anonymous calls,
a strict per-address limit on sign-ups and on the account-mail forms, a limit on the mail sent to
one address, and limits on failed passwords per account and per address.

Logins and consent forms from one address are limited only through their failures (and the
anonymous limit of every call without credentials): many people behind one carrier NAT or gym
Wi-Fi sign in from one address, and must not lock each other out (docs/security.md, API2).

Counters live in Redis when REDIS_URL is set, so every API process shares them; in the embedded
default they live in process. All count with a sliding window counter (two fixed windows per
caller, the previous one weighted by how much of it the sliding window still covers: no burst of
twice the limit at a window edge as with fixed windows). The `limits` library counts the login
failures and the mail sent, and everything in the embedded default; the count every request pays
is one Lua script on one hash per caller (`WINDOW_SCRIPT`), sent with EVALSHA on redis-py's asyncio
client from the event loop: one round trip, no thread-pool hop.

Every limited answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
(seconds until the window frees up; the separate-fields form of the IETF httpapi draft). Over the
limit the answer is a 429 problem with `Retry-After`. If the counter store is unreachable, requests
pass unlimited: an outage of the limiter must not become an outage of the API.
"""

import asyncio
import hashlib
import logging
import math
import time
import weakref
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.auth.callers import PartnerCaller, PartnerTokenCaller, bearer_credential, identify_once
from services.api.problems import RETRY_AFTER_HEADER, domain_problem, problem_responses
from services.core.errors import RateLimited, Unauthenticated
from services.core.settings import Settings

log = logging.getLogger(__name__)

# Probes and scrapes come from the platform at a fixed rate; limiting them would fail pods.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# A sign-up hashes a new password (argon2 costs ~50 ms of CPU by design) and creates an account
# whether or not anyone will use it: the strict limit applies per client address, to every attempt.
SIGN_UP = ("POST", "/v1/auth/register")
# The forms that send account mail or take a mailed token: strict per client address as well, so
# one address can neither flood mailboxes nor try tokens at the anonymous rate.
ACCOUNT_FORMS = frozenset(
    {
        ("POST", "/v1/auth/password-reset"),
        ("POST", "/v1/auth/password-reset/confirm"),
        ("POST", "/v1/auth/verify-email"),
    }
)
STORAGE_TIMEOUT_S = 0.5
HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
REQUEST_KEY_PREFIX = "posterior-rate:requests"
# KEYS[1]: the caller's hash of counts by window number; ARGV: the limit, the window in ms.
# Counts one request if the weighted count leaves room for it. Returns {allowed (1 or 0), what is
# left, ms until the current window ends}. Redis' clock, so API pods' clocks need not agree.
WINDOW_SCRIPT = """
local limit, window_ms = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = redis.call('TIME')
local now_ms = now[1] * 1000 + math.floor(now[2] / 1000)
local current = math.floor(now_ms / window_ms)
local into = now_ms - current * window_ms
local counts = redis.call('HMGET', KEYS[1], current, current - 1)
local this, previous = tonumber(counts[1]) or 0, tonumber(counts[2]) or 0
local weighted = math.floor(previous * (window_ms - into) / window_ms) + this
local allowed = 0
if weighted < limit then
  allowed, weighted = 1, weighted + 1
  redis.call('HINCRBY', KEYS[1], current, 1)
  redis.call('HDEL', KEYS[1], current - 2)
  redis.call('PEXPIRE', KEYS[1], 2 * window_ms)
end
return {allowed, limit - weighted, window_ms - into}
"""


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    item: RateLimitItem
    whose: str  # for the 429's detail: "your API key", "this account"…


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_after_s: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        values = (self.limit, self.remaining, self.reset_after_s)
        return [
            (name.lower().encode(), str(value).encode()) for name, value in zip(HEADERS, values, strict=True)
        ]


class RateLimits:
    """The policies and the counter store; used by the middleware and by the login use cases."""

    def __init__(self, settings: Settings) -> None:
        self.policies = {
            "partner": Policy("partner", parse(settings.rate_limit_partner), "your API key"),
            "user": Policy("user", parse(settings.rate_limit_user), "your account"),
            "anonymous": Policy("anonymous", parse(settings.rate_limit_anonymous), "your address"),
            "sign-up": Policy("sign-up", parse(settings.rate_limit_signup), "sign-ups from your address"),
            "account-forms": Policy(
                "account-forms", parse(settings.rate_limit_account_forms), "account forms from your address"
            ),
            "mail-per-address": Policy(
                "mail-per-address", parse(settings.rate_limit_mail_per_address), "mail to this email address"
            ),
            "login-failures": Policy(
                "login-failures", parse(settings.rate_limit_login_failures), "failed logins to this account"
            ),
            "address-login-failures": Policy(
                "address-login-failures",
                parse(settings.rate_limit_login_failures_per_address),
                "failed logins from your address",
            ),
        }
        self._limiter = SlidingWindowCounterRateLimiter(_storage(settings))
        self._windows = None if settings.redis_url is None else RequestWindows(settings.redis_url)

    async def count_request(self, policy_name: str, identity: str) -> Decision | None:
        """Counts one request of the caller (the middleware's count); None when the counter store
        cannot be reached. In process (the embedded default) the count does no I/O."""
        if self._windows is None:
            return self.consume(policy_name, identity)
        policy = self.policies[policy_name]
        try:
            allowed, remaining, reset_ms = await self._windows.hit(policy, identity)
        except (RedisError, OSError):
            log.warning("rate limit store unreachable; request not limited", exc_info=True)
            return None
        return Decision(
            bool(allowed), policy.item.amount, max(0, remaining), max(1, math.ceil(reset_ms / 1000))
        )

    def consume(self, policy_name: str, identity: str) -> Decision | None:
        """Counts one request; None when the counter store cannot be reached."""
        policy = self.policies[policy_name]
        try:
            allowed = self._limiter.hit(policy.item, policy.name, identity)
            stats = self._limiter.get_window_stats(policy.item, policy.name, identity)
        except StorageError:
            log.warning("rate limit store unreachable; request not limited", exc_info=True)
            return None
        reset_after = max(1, math.ceil(stats.reset_time - time.time()))
        return Decision(allowed, policy.item.amount, stats.remaining, reset_after)

    def refuse(self, policy_name: str, decision: Decision) -> RateLimited:
        policy = self.policies[policy_name]
        return RateLimited(
            f"Too many requests for {policy.whose}: the limit is {policy.item}. "
            f"Retry in {decision.reset_after_s} s.",
            retry_after_s=decision.reset_after_s,
        )

    def check_login(self, email: str, address: str) -> None:
        """Refuses a password check for an account, or from an address, with too many recent failures."""
        for policy_name, identity in _login_counters(email, address):
            policy = self.policies[policy_name]
            try:
                exhausted = not self._limiter.test(policy.item, policy.name, identity)
                stats = self._limiter.get_window_stats(policy.item, policy.name, identity)
            except StorageError:
                log.warning("rate limit store unreachable; login not limited", exc_info=True)
                return
            if exhausted:
                reset_after = max(1, math.ceil(stats.reset_time - time.time()))
                raise self.refuse(policy_name, Decision(False, policy.item.amount, 0, reset_after))

    def record_failed_login(self, email: str, address: str) -> None:
        for policy_name, identity in _login_counters(email, address):
            self.consume(policy_name, identity)

    def count_mail(self, email: str) -> None:
        """Counts a mail asked for to `email` (whether it has an account or not, so the answer
        tells nothing); refuses it when that address has had its share."""
        decision = self.consume("mail-per-address", _account(email))
        if decision is not None and not decision.allowed:
            raise self.refuse("mail-per-address", decision)


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """The failure counters one caller's password checks read and feed."""

    limits: RateLimits
    address: str

    def check(self, email: str) -> None:
        self.limits.check_login(email, self.address)

    def record_failure(self, email: str) -> None:
        self.limits.record_failed_login(email, self.address)


def _login_counters(email: str, address: str) -> tuple[tuple[str, str], ...]:
    return (("login-failures", _account(email)), ("address-login-failures", address))


class RequestWindows:
    """The per-request counts in Redis: `WINDOW_SCRIPT` on redis-py's asyncio client. A client's
    connections belong to the event loop that opened them, so there is one client per loop (one
    in a server process; tests start a loop per client)."""

    def __init__(self, redis_url: str) -> None:
        self._url = redis_url
        self._scripts: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncScript] = (
            weakref.WeakKeyDictionary()
        )

    async def hit(self, policy: Policy, identity: str) -> tuple[int, int, int]:
        window_ms = policy.item.get_expiry() * 1000
        # The limit is part of the key, as in `limits`: a changed limit starts its own counts.
        key = f"{REQUEST_KEY_PREFIX}:{policy.name}:{policy.item.amount}/{window_ms}:{identity}"
        allowed, remaining, reset_ms = await self._script()(keys=[key], args=[policy.item.amount, window_ms])
        return int(allowed), int(remaining), int(reset_ms)

    def _script(self) -> AsyncScript:
        loop = asyncio.get_running_loop()
        script = self._scripts.get(loop)
        if script is None:
            # A hung or absent Redis must not hang or slow requests: short timeouts, no retries.
            client = Redis.from_url(
                self._url,
                socket_timeout=STORAGE_TIMEOUT_S,
                socket_connect_timeout=STORAGE_TIMEOUT_S,
                retry=Retry(NoBackoff(), 0),
            )
            script = self._scripts[loop] = client.register_script(WINDOW_SCRIPT)
        return script


def _storage(settings: Settings) -> Any:
    if settings.redis_url is None:
        return storage_from_string("memory://")
    # A hung Redis must not hang requests: short socket timeouts, then the request passes.
    return storage_from_string(
        settings.redis_url,
        key_prefix="posterior-rate",
        socket_timeout=STORAGE_TIMEOUT_S,
        socket_connect_timeout=STORAGE_TIMEOUT_S,
        wrap_exceptions=True,
    )


def _account(email: str) -> str:
    # Hashed: the counter store needs no email addresses.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: RateLimits, settings: Settings) -> None:
        self.app = app
        self.limits = limits
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        policy_name, identity = self._caller(request)
        decision = await self.limits.count_request(policy_name, identity)
        if decision is None:
            await self.app(scope, receive, send)
            return
        if not decision.allowed:
            response = domain_problem(request, self.limits.refuse(policy_name, decision))
            response.raw_headers.extend(decision.headers())
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).extend(decision.headers())
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _caller(self, request: Request) -> tuple[str, str]:
        """Which policy applies, and to whom: the key, the user, or the client's address."""
        address = client_address(request)
        if (request.method, request.url.path) == SIGN_UP:
            return "sign-up", address
        if (request.method, request.url.path) in ACCOUNT_FORMS:
            return "account-forms", address
        credential = bearer_credential(request.headers.get("authorization"))
        if credential is None:
            return "anonymous", address
        try:
            caller = identify_once(
                request.scope.setdefault("state", {}), credential, secret=self.settings.signing_secret()
            )
        except Unauthenticated:
            return "anonymous", address
        if isinstance(caller, PartnerCaller):
            # The key's hash, not a lookup: a revoked or unknown key is counted too, and a
            # database round trip per request is not needed to tell keys apart.
            return "partner", caller.key_hash
        if isinstance(caller, PartnerTokenCaller):
            return "partner", caller.token_hash
        return "user", str(caller.user_id)


def client_address(request: Request) -> str:
    # uvicorn has already put the X-Forwarded-For address of a trusted proxy here.
    return request.client.host if request.client else "unknown"


def get_login_limits(request: Request) -> LoginLimits:
    return LoginLimits(request.app.state.rate_limits, client_address(request))


LoginLimitsDep = Annotated[LoginLimits, Depends(get_login_limits)]


def get_rate_limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits


RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]

RESPONSE_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests allowed in the current window for this caller",
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current window",
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window frees up",
        "schema": {"type": "integer", "minimum": 0},
    },
}


def document(schema: dict[str, Any]) -> None:
    """Adds the rate-limit headers to every answer, and the 429, to every limited operation."""
    for path, operations in schema.get("paths", {}).items():
        if path in EXEMPT_PATHS:
            continue
        for operation in operations.values():
            responses = operation["responses"]
            for status, response in problem_responses(429).items():
                responses.setdefault(str(status), response)
            for status, response in responses.items():
                headers = response.setdefault("headers", {})
                headers.update(RESPONSE_HEADERS)
                if status == "429":
                    headers["Retry-After"] = RETRY_AFTER_HEADER
