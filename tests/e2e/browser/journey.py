"""Runs of tests/browser/journey.js: headless Chromium (Debian's `chromium`, driven by
playwright-core) opens the consent page of a real API server, a user logs in and approves a partner
whose redirect URI is a site on 127.0.0.1, then the same browser reads /docs (`run`; screenshots of
both pages are kept in test-artifacts/browser/). `approve` is the consent alone, for a consent URL
a partner's OAuth client made."""

import json
import os
import secrets
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services.api.admin import service as admin
from services.core.models.partners import PARTNER_SCOPES
from tests.e2e.browser.partner_site import PartnerSite
from tests.e2e.servers import ROOT, Server
from tests.factories.partners import PartnerApp, pkce_pair
from tests.factories.users import PASSWORD, sign_up

BROWSER_PROJECT = ROOT / "tests" / "browser"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The ampersand travels escaped in the HTML and must still read as one on the page.
PARTNER_NAME = "Curl & Hinge Coach"
REQUESTED_SCOPES = ("workouts:read", "insights:read")


@dataclass(frozen=True)
class Journey:
    """What the browser saw, and what the test set up for it."""

    partner: PartnerApp
    site: PartnerSite
    code_verifier: str
    state: str
    consent: dict[str, Any]
    docs: dict[str, Any]


def run(server: Server, engine: Engine, site: PartnerSite, workdir: Path) -> Journey:
    """Registers a partner (redirecting to `site`) and a user, then lets the browser loose."""
    _require_browser()
    partner = register_partner(engine, site.redirect_uri)
    email = _register_user(server.base_url)
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    authorize = {
        "response_type": "code",
        "client_id": partner.client_id,
        "redirect_uri": site.redirect_uri,
        "scope": " ".join(REQUESTED_SCOPES),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    job = {
        "consent": {
            "url": f"{server.base_url}/v1/oauth/authorize?{urlencode(authorize)}",
            "email": email,
            "password": PASSWORD,
            "callbackUrl": site.redirect_uri,
        },
        "docsUrl": f"{server.base_url}/docs",
        "artifacts": str(workdir),
    }
    seen = _run_journey(job, server)
    for page in (seen["consent"], seen["docs"]):
        page["screenshot"] = str(_keep(Path(page["screenshot"])))
    return Journey(partner, site, verifier, state, seen["consent"], seen["docs"])


def approve(server: Server, consent_url: str, email: str, callback_url: str, workdir: Path) -> dict[str, Any]:
    """The user, signed up with PASSWORD, logs in on the consent page at `consent_url` and allows
    what it asks; returns what the browser saw, `landedOn` being the redirect's full URL."""
    _require_browser()
    job = {
        "consent": {"url": consent_url, "email": email, "password": PASSWORD, "callbackUrl": callback_url},
        "artifacts": str(workdir),
    }
    consent: dict[str, Any] = _run_journey(job, server)["consent"]
    return consent


def _require_browser() -> None:
    assert shutil.which("node"), "Node.js 20 is required for the browser tests"
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make tools` installs Debian's chromium"
    installed = BROWSER_PROJECT / "node_modules" / "playwright-core"
    assert installed.exists(), "run `make test` (it runs npm ci in tests/browser)"


def register_partner(engine: Engine, redirect_uri: str) -> PartnerApp:
    with Session(engine, expire_on_commit=False) as session:
        partner, issued = admin.create_partner(
            session, name=PARTNER_NAME, redirect_uris=[redirect_uri], scopes=PARTNER_SCOPES
        )
    return PartnerApp(partner.id, partner.client_id, issued.key_id, issued.api_key)


def _register_user(base_url: str) -> str:
    """A user who signed up and opened the mailed link, so the consent page's login lets them in."""
    email = f"browser-{uuid.uuid4().hex[:12]}@example.com"
    with httpx.Client(base_url=base_url, timeout=10) as http:
        sign_up(http, email)
    return email


def _run_journey(job: dict[str, Any], server: Server) -> dict[str, Any]:
    result = subprocess.run(
        ["node", "journey.js", json.dumps(job)],
        cwd=BROWSER_PROJECT,
        capture_output=True,
        text=True,
        timeout=150,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    assert result.returncode == 0, result.stderr[-6000:] + "\n--- server log ---\n" + server.log()
    return json.loads(result.stdout)


def _keep(screenshot: Path) -> Path:
    """Copies a screenshot into test-artifacts/browser/ in one step: each xdist worker runs its own
    journey, and neither may see the other's file half written."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kept = ARTIFACTS / screenshot.name
    partial = ARTIFACTS / f".{screenshot.name}.{os.getpid()}"
    shutil.copyfile(screenshot, partial)
    partial.replace(kept)
    return kept
