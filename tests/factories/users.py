"""Accounts for tests, created through the public API like a real user would: registered, then
verified with the link of the mail that arrives (which signs them in)."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient
from httpx import Response

from tests.factories.mailbox import mailed_token

PASSWORD = "correct-horse-battery-9"


@dataclass(frozen=True)
class Account:
    id: uuid.UUID
    email: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def register(client: httpx.Client, *, email: str | None = None, **settings: object) -> Account:
    email = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
    tokens = sign_up(client, email)
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    account = Account(uuid.UUID(me["id"]), email, tokens["access_token"], tokens["refresh_token"])
    if settings:
        assert client.patch("/v1/me", json=settings, headers=account.headers).status_code == 200
    return account


def delete_account(client: TestClient, account: Account, *, password: str = PASSWORD) -> Response:
    return client.request("DELETE", "/v1/me", json={"password": password}, headers=account.headers)


def sign_up(client: httpx.Client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    """Registers `email` and opens the verification link mailed to it, as the app does; returns
    the tokens the verification answers with (an unverified account cannot sign in)."""
    created = client.post("/v1/auth/register", json={"email": email, "password": password})
    assert created.status_code == 202, created.text
    verified = client.post("/v1/auth/verify-email", json={"token": mailed_token(client, email)})
    assert verified.status_code == 200, verified.text
    tokens: dict[str, Any] = verified.json()
    return tokens
