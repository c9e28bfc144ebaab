"""Accounts for tests, created through the public API like a real user would."""

import uuid
from dataclasses import dataclass

from fastapi.testclient import TestClient
from httpx import Response

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


def register(client: TestClient, *, email: str | None = None, **settings: object) -> Account:
    email = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
    created = client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert created.status_code == 202, created.text
    tokens = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    account = Account(uuid.UUID(me["id"]), email, tokens["access_token"], tokens["refresh_token"])
    if settings:
        assert client.patch("/v1/me", json=settings, headers=account.headers).status_code == 200
    return account


def delete_account(client: TestClient, account: Account, *, password: str = PASSWORD) -> Response:
    return client.request("DELETE", "/v1/me", json={"password": password}, headers=account.headers)
