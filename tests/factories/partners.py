"""Partners registered like the admin CLI does, and grants obtained through the real OAuth flow."""

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services.api.admin import service as admin
from services.core.models import Grant, Insight
from services.core.models.partners import GRANTABLE_SCOPES, PARTNER_SCOPES
from services.core.repositories import users
from services.core.usecases import read_models
from tests.factories.users import PASSWORD, Account

REDIRECT_URI = "https://partner.example/oauth/callback"


@dataclass(frozen=True)
class PartnerApp:
    id: uuid.UUID
    client_id: str
    key_id: uuid.UUID
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    @property
    def client_auth(self) -> tuple[str, str]:
        """client_secret_basic: the client id, and an API key as the secret."""
        return (self.client_id, self.api_key)


def make_partner(
    engine: Engine, *, scopes: tuple[str, ...] = PARTNER_SCOPES, name: str | None = None
) -> PartnerApp:
    with Session(engine, expire_on_commit=False) as session:
        partner, issued = admin.create_partner(
            session,
            name=name or f"Partner {uuid.uuid4().hex[:6]}",
            redirect_uris=[REDIRECT_URI],
            scopes=scopes,
        )
    return PartnerApp(partner.id, partner.client_id, issued.key_id, issued.api_key)


def with_key(engine: Engine, partner: PartnerApp, *, scopes: tuple[str, ...]) -> PartnerApp:
    """Another key of the same partner, with other scopes."""
    with Session(engine, expire_on_commit=False) as session:
        issued = admin.create_key(session, partner_id=partner.id, scopes=scopes)
    return PartnerApp(partner.id, partner.client_id, issued.key_id, issued.api_key)


# -- the OAuth flow, step by step ------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)  # 64 characters of the RFC 7636 alphabet
    return verifier, create_s256_code_challenge(verifier)


def authorize_params(partner: PartnerApp, challenge: str, **overrides: Any) -> dict[str, Any]:
    return {
        "response_type": "code",
        "client_id": partner.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": " ".join(GRANTABLE_SCOPES),
        "state": "af0ifjsldkj",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    } | overrides


def open_consent_page(client: TestClient, partner: PartnerApp, challenge: str, **overrides: Any) -> Response:
    return client.get(
        "/v1/oauth/authorize",
        params=authorize_params(partner, challenge, **overrides),
        follow_redirects=False,
    )


def consent_token(page: Response) -> str:
    found = re.search(r'name="consent" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def submit_consent(
    client: TestClient,
    token: str,
    account: Account,
    *,
    scopes: tuple[str, ...] = GRANTABLE_SCOPES,
    decision: str = "approve",
    password: str = PASSWORD,
) -> Response:
    form = {
        "consent": token,
        "decision": decision,
        "email": account.email,
        "password": password,
        "scope": list(scopes),
    }
    return client.post("/v1/oauth/authorize", data=form, follow_redirects=False)


def redirect_params(response: Response) -> dict[str, str]:
    location = urlsplit(response.headers["location"])
    return {name: values[0] for name, values in parse_qs(location.query).items()}


def exchange(
    client: TestClient, partner: PartnerApp, code: str, verifier: str, *, redirect_uri: str = REDIRECT_URI
) -> Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    return client.post("/v1/oauth/token", data=form, auth=partner.client_auth)


def approved_code(
    client: TestClient, partner: PartnerApp, account: Account, *, scopes: tuple[str, ...] = GRANTABLE_SCOPES
) -> tuple[str, str]:
    """A code the user approved, with its verifier."""
    verifier, challenge = pkce_pair()
    page = open_consent_page(client, partner, challenge, scope=" ".join(scopes))
    answer = submit_consent(client, consent_token(page), account, scopes=scopes)
    assert answer.status_code == 303, answer.text
    return redirect_params(answer)["code"], verifier


def grant_access(
    client: TestClient, partner: PartnerApp, account: Account, *, scopes: tuple[str, ...] = GRANTABLE_SCOPES
) -> dict[str, Any]:
    """The whole flow: consent page, approval, code exchange. Returns the token answer."""
    code, verifier = approved_code(client, partner, account, scopes=scopes)
    activated = exchange(client, partner, code, verifier)
    assert activated.status_code == 200, activated.text
    return activated.json()


def grant_directly(
    engine: Engine, partner: PartnerApp, user_id: uuid.UUID, *, scopes: tuple[str, ...] = GRANTABLE_SCOPES
) -> uuid.UUID:
    """An active grant written straight to the database, for tests about what a grant lets through."""
    with Session(engine, expire_on_commit=False) as session:
        grant = Grant(user_id=user_id, partner_id=partner.id, scopes=list(scopes))
        session.add(grant)
        session.commit()
    return grant.id


# -- rows a partner reads --------------------------------------------------------------------


def an_insight(engine: Engine, user_id: uuid.UUID, **overrides: Any) -> str:
    """An insight as the recompute writes it, under the user's lock and a new sync version, with
    the read models brought up to date in the same transaction."""
    insight_id = uuid.uuid4().hex[:16]
    with Session(engine) as session:
        versions = users.SyncVersions(users.lock_for_sync(session, user_id))
        columns = {
            "kind": "imbalance.hamstring_neglect",
            "subject": f"hamstrings-{insight_id}",
            "severity": "warning",
            "status": "open",
            "title": "Hamstrings need more work",
            "explanation": "No knee-flexion sets in the last 3 weeks.",
            "evidence": {"weeks": 3},
            "recommendation": {"add": ["nordic-curl"]},
            "rule_id": "imb.neglect@1.0.0",
            "week_start": datetime.now(UTC).date(),
        } | overrides
        session.add(Insight(user_id=user_id, id=insight_id, version=versions.next(), **columns))
        read_models.refresh(session, user_id, versions)
        versions.save()
        session.commit()
    return insight_id
