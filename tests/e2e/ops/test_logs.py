"""The API's logs are JSON lines an aggregator can index — request id, route, status, duration —
and signing up or logging in never writes the credentials or the tokens it hands out (the server's stderr is
captured to a file by start_api)."""

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.processes import wait_for
from tests.e2e.servers import Server, start_api
from tests.factories.mailbox import mailed_token

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def api(ops_env, tmp_path_factory) -> Iterator[Server]:
    # DEBUG, the dev overlay's level (deploy/k8s/overlays/dev), writes all that INFO (prod) writes
    # and more: what holds here holds in production.
    server = start_api(
        ops_env | {"LOG_LEVEL": "DEBUG", "API_WORKERS": "1"},
        tmp_path_factory.mktemp("logs"),
        migrate=False,
    )
    yield server
    server.stop()


def log_lines(server: Server) -> list[str]:
    return [line for line in server.log_path.read_text(errors="replace").splitlines() if line.strip()]


def access_log(server: Server, request_id: str) -> dict:
    # The access line is written once the response has been sent: the client may be quicker.
    def lines() -> list[str]:
        return [line for line in log_lines(server) if request_id in line]

    [line] = wait_for(lines, timeout_s=10, what=f"the access log line of {request_id}")
    return json.loads(line)


def test_every_log_line_is_a_json_object(api):
    httpx.get(f"{api.base_url}/healthz", timeout=10)
    lines = log_lines(api)
    assert lines
    not_json = []
    for line in lines:
        try:
            assert isinstance(json.loads(line), dict)
        except (ValueError, AssertionError):
            not_json.append(line)
    assert not_json == []


def test_no_log_line_carries_terminal_colour_codes(api):
    # uvicorn hands its handlers a coloured copy of each message (`color_message`, in `extra`).
    httpx.get(f"{api.base_url}/healthz", timeout=10)
    lines = log_lines(api)
    assert any("Started server process" in line for line in lines)
    assert [line for line in lines if "\x1b" in line or "\\u001b" in line] == []


def test_a_request_is_logged_with_its_id_route_status_and_duration(api):
    request_id = f"logs-{uuid.uuid4().hex}"
    httpx.get(f"{api.base_url}/problems/no-such-problem", headers={"X-Request-ID": request_id}, timeout=10)
    entry = access_log(api, request_id)
    assert entry["request_id"] == request_id
    assert entry["route"] == "/problems/{slug}"  # the template, never the raw path
    assert entry["status"] == 404
    assert entry["method"] == "GET"
    assert isinstance(entry["duration_ms"], int | float)
    assert entry["duration_ms"] >= 0


def test_signing_up_and_logging_in_never_writes_the_email_password_or_tokens(api):
    email = f"Secret.Person.{uuid.uuid4().hex[:8]}@example.com"
    password = f"pw-{uuid.uuid4().hex}"
    wrong_password = f"wrong-{uuid.uuid4().hex}"
    with httpx.Client(base_url=api.base_url, timeout=15) as http:
        assert http.post("/v1/auth/register", json={"email": email, "password": password}).status_code == 202
        verification = mailed_token(http, email)
        verified = http.post("/v1/auth/verify-email", json={"token": verification})
        assert verified.status_code == 200, verified.text
        assert (
            http.post("/v1/auth/login", json={"email": email, "password": wrong_password}).status_code == 401
        )
        request_id = f"login-{uuid.uuid4().hex}"
        tokens = http.post(
            "/v1/auth/login",
            json={"email": email, "password": password},
            headers={"X-Request-ID": request_id},
        ).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert http.get("/v1/me", headers=headers).status_code == 200
        refresh = http.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert refresh.status_code == 200, refresh.text

    assert access_log(api, request_id)["route"] == "/v1/auth/login"
    text = api.log_path.read_text(errors="replace")
    secrets = {
        "email": email,
        "email (stored lower-cased)": email.lower(),
        "password": password,
        "wrong password": wrong_password,
        "verification token": verification,
        "verification's access token": verified.json()["access_token"],
        "verification's refresh token": verified.json()["refresh_token"],
        "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "rotated access token": refresh.json()["access_token"],
        "rotated refresh token": refresh.json()["refresh_token"],
    }
    assert [what for what, secret in secrets.items() if secret in text] == []
