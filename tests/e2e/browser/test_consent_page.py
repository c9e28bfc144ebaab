"""A user grants a partner access in a real browser: the consent page, the login, the approval,
and the partner's redirect receiving a code that really activates a grant."""

import httpx
import pytest

from services.api.oauth.page import SCOPE_DESCRIPTIONS
from tests.e2e.browser.journey import ARTIFACTS, PARTNER_NAME, REQUESTED_SCOPES, Journey
from tests.e2e.browser.png import png_size
from tests.e2e.servers import Server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def test_the_consent_page_names_the_partner(journey: Journey):
    assert journey.consent["heading"] == f"Allow {PARTNER_NAME} to use your Posterior data?"
    assert journey.consent["title"] == f"Allow {PARTNER_NAME} to use your Posterior data?"


def test_the_consent_page_offers_each_requested_scope_checked(journey: Journey):
    offered = {scope["value"]: (scope["label"], scope["checked"]) for scope in journey.consent["scopes"]}
    assert offered == {scope: (SCOPE_DESCRIPTIONS[scope], True) for scope in REQUESTED_SCOPES}


def test_the_consent_flow_runs_without_console_errors_or_failed_requests(journey: Journey):
    assert journey.consent["problems"] == []


def test_approving_takes_the_browser_to_the_partner_s_redirect_uri(journey: Journey):
    assert journey.consent["landedOn"].startswith(journey.site.redirect_uri + "?")
    assert journey.consent["callbackText"] == "Connected to Posterior"


def test_the_partner_s_redirect_receives_a_code_and_the_same_state(journey: Journey):
    (callback,) = journey.site.received()
    assert set(callback) == {"code", "state"}
    assert callback["state"] == journey.state
    assert len(callback["code"]) >= 43


def test_the_code_and_its_verifier_activate_a_grant_with_the_approved_scopes(
    journey: Journey, pg_server: Server
):
    (callback,) = journey.site.received()
    form = {
        "grant_type": "authorization_code",
        "code": callback["code"],
        "redirect_uri": journey.site.redirect_uri,
        "code_verifier": journey.code_verifier,
    }
    activated = httpx.post(f"{pg_server.base_url}/v1/oauth/token", data=form, headers=journey.partner.headers)
    assert activated.status_code == 200, activated.text
    assert sorted(activated.json()["scopes"]) == sorted(REQUESTED_SCOPES)


def test_a_full_page_screenshot_of_the_consent_page_is_kept(journey: Journey):
    screenshot = ARTIFACTS / "consent.png"
    assert journey.consent["screenshot"] == str(screenshot)
    assert png_size(screenshot) == (1280, 800)  # the whole form fits in the viewport
    assert screenshot.stat().st_size > 10_000
