"""Rate limits (api-conventions.md): per API key, per user, per client address for anonymous calls,
a strict per-address limit on the password forms, and a per-account limit on failed logins.

Counters live in Redis when REDIS_URL is set, so every API process shares them; in the embedded
default they live in process. The `limits` library does the counting (sliding window counter:
two counters per caller, no burst of twice the limit at a window edge as with fixed windows). The
login use cases run in the thread pool and count through the library's blocking client. The
middleware counts on the event loop, in one round trip: the library's own two scripts (take one,
read the window) run as one on redis-py's asyncio client, over the same keys — the same counters.

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
from typing import Any

import redis.asyncio
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import RedisStorage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.auth.tokens import read_access_token
from services.api.partners import keys
from services.api.problems import RETRY_AFTER_HEADER, domain_problem, problem_responses
from services.core.errors import RateLimited, Unauthenticated
from services.core.settings import Settings

log = logging.getLogger(__name__)

# Probes and scrapes come from the platform at a fixed rate; limiting them would fail pods.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# The forms that take a password — to check it, or to hash a new one (argon2 costs ~50 ms of CPU
# by design): the strict limit applies per client address.
PASSWORD_FORMS = frozenset(
    {("POST", "/v1/auth/login"), ("POST", "/v1/oauth/authorize"), ("POST", "/v1/auth/register")}
)
# A hung Redis must not hang requests: short socket timeouts, then the request passes.
STORAGE_TIMEOUT_S = 0.5
REDIS_OPTIONS = {"socket_timeout": STORAGE_TIMEOUT_S, "socket_connect_timeout": STORAGE_TIMEOUT_S}
KEY_PREFIX = "posterior-rate"
# Every request counts: one round trip instead of the blocking client's two (`hit`, then
# `get_window_stats`). The scripts are the library's, so the counting is too; each reads `ARGV`,
# which as a parameter gives each its own (take: limit, expiry, cost; read: expiry).
TAKE_ONE_AND_READ_WINDOW = f"""
local function take_one(ARGV)
{RedisStorage.SCRIPT_ACQUIRE_SLIDING_WINDOW.decode()}
end
local function read_window(ARGV)
{RedisStorage.SCRIPT_SLIDING_WINDOW.decode()}
end
return {{take_one(ARGV), read_window({{ARGV[2]}})}}
"""
HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


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
            "login": Policy("login", parse(settings.rate_limit_login), "password forms from your address"),
            "login-failures": Policy(
                "login-failures", parse(settings.rate_limit_login_failures), "failed logins to this account"
            ),
        }
        self._redis_url = settings.redis_url
        self._limiter = SlidingWindowCounterRateLimiter(_storage(settings))
        # An asyncio Redis connection belongs to the event loop that opened it: a server runs one
        # loop per process, but each test client runs its own.
        self._scripts: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncScript] = (
            weakref.WeakKeyDictionary()
        )

    async def consume(self, policy_name: str, identity: str) -> Decision | None:
        """Counts one request from the event loop; None when the counter store cannot be reached."""
        if self._redis_url is None:
            # In-process counters never wait on I/O: counting on the loop takes microseconds.
            return self.consume_blocking(policy_name, identity)
        policy = self.policies[policy_name]
        key = policy.item.key_for(policy.name, identity)
        # The previous and current window keys of limits.storage.RedisStorage, with its prefix.
        windows = [f"{KEY_PREFIX}:{{{key}}}/-1", f"{KEY_PREFIX}:{{{key}}}"]
        try:
            taken, window = await self._script_of_running_loop()(
                windows, [policy.item.amount, policy.item.get_expiry(), 1]
            )
        except RedisError:
            log.warning("rate limit store unreachable; request not limited", exc_info=True)
            return None
        return Decision(bool(taken), policy.item.amount, *_remaining_and_reset(policy.item, window))

    def consume_blocking(self, policy_name: str, identity: str) -> Decision | None:
        """`consume` for callers in the thread pool, over the same counters."""
        policy = self.policies[policy_name]
        try:
            allowed = self._limiter.hit(policy.item, policy.name, identity)
            stats = self._limiter.get_window_stats(policy.item, policy.name, identity)
        except StorageError:
            log.warning("rate limit store unreachable; request not limited", exc_info=True)
            return None
        return Decision(
            allowed, policy.item.amount, stats.remaining, _reset_after_s(stats.reset_time - time.time())
        )

    def _script_of_running_loop(self) -> AsyncScript:
        loop = asyncio.get_running_loop()
        script = self._scripts.get(loop)
        if script is None:
            client = redis.asyncio.Redis.from_url(self._redis_url, **REDIS_OPTIONS)
            script = self._scripts[loop] = client.register_script(TAKE_ONE_AND_READ_WINDOW)
        return script

    async def close(self) -> None:
        """Closes the running event loop's Redis connections; at shutdown, on that loop."""
        script = self._scripts.pop(asyncio.get_running_loop(), None)
        if script is not None:
            await script.registered_client.aclose()

    def refuse(self, policy_name: str, decision: Decision) -> RateLimited:
        policy = self.policies[policy_name]
        return RateLimited(
            f"Too many requests for {policy.whose}: the limit is {policy.item}. "
            f"Retry in {decision.reset_after_s} s.",
            retry_after_s=decision.reset_after_s,
        )

    def check_login(self, email: str) -> None:
        """Refuses a password check for an account with too many recent failures."""
        policy = self.policies["login-failures"]
        identity = _account(email)
        try:
            exhausted = not self._limiter.test(policy.item, policy.name, identity)
            stats = self._limiter.get_window_stats(policy.item, policy.name, identity)
        except StorageError:
            log.warning("rate limit store unreachable; login not limited", exc_info=True)
            return
        if exhausted:
            reset_after = _reset_after_s(stats.reset_time - time.time())
            raise self.refuse("login-failures", Decision(False, policy.item.amount, 0, reset_after))

    def record_failed_login(self, email: str) -> None:
        self.consume_blocking("login-failures", _account(email))


def _remaining_and_reset(item: RateLimitItem, window: list[Any]) -> tuple[int, int]:
    """As limits' `SlidingWindowCounterRateLimiter.get_window_stats`, from the window the script
    read: previous count and TTL in ms, current count and TTL in ms (nil for a missing key)."""
    previous, current = int(window[0] or 0), int(window[2] or 0)
    previous_ttl_s, current_ttl_s = (max(0.0, float(ttl or 0)) / 1000 for ttl in (window[1], window[3]))
    expiry = item.get_expiry()
    remaining = max(0, item.amount - math.floor(previous * previous_ttl_s / expiry + current))
    frees_up_in = [previous_ttl_s % (expiry / previous)] if previous else []
    if current:
        frees_up_in.append(current_ttl_s % expiry)
    return remaining, _reset_after_s(min(frees_up_in, default=0.0))


def _reset_after_s(seconds: float) -> int:
    return max(1, math.ceil(seconds))


def _storage(settings: Settings) -> Any:
    if settings.redis_url is None:
        return storage_from_string("memory://")
    return storage_from_string(
        settings.redis_url, key_prefix=KEY_PREFIX, wrap_exceptions=True, **REDIS_OPTIONS
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
        decision = await self.limits.consume(policy_name, identity)
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
        address = request.client.host if request.client else "unknown"
        if (request.method, request.url.path) in PASSWORD_FORMS:
            return "login", address
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credential:
            return "anonymous", address
        if credential.startswith(keys.KEY_PREFIX):
            # The key's hash, not a lookup: a revoked or unknown key is counted too, and a
            # database round trip per request is not needed to tell keys apart.
            return "partner", keys.hash_secret(credential)
        try:
            return "user", str(read_access_token(credential, secret=self.settings.signing_secret()))
        except Unauthenticated:
            return "anonymous", address


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
