"""The published contract holds on a live server: schemathesis runs every operation of
openapi/openapi.json against the production configuration on PostgreSQL, once with a user's access
token and once with a partner's API key, and every response must conform to it.

The server has a database of its own (schemathesis registers accounts and pushes junk), seeded with
a user who has an enrollment, workouts with sets and insights, and a partner with an active grant
of every scope for that user; schemathesis_hooks.py points path parameters at those rows.
`DELETE /v1/me` would delete that user: the user run leaves it out, and a third run ("deleter")
calls it alone with the token of a sacrificial account of its own, whose password the hooks send
in most cases, so both the deletion (204) and everything after it (401) are checked. Each run
leaves its report and output under test-artifacts/schemathesis/<caller>/ and its numbers in
test-artifacts/schemathesis/summary.json.
"""

import fcntl
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from services.core.db import create_db_engine
from services.core.settings import Settings
from tests.conftest import TEST_JWT_SECRET, UNBOUND_RATE_LIMITS
from tests.e2e.processes import wait_for
from tests.e2e.servers import ROOT, start_api
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.partners import PartnerApp, grant_directly, make_partner
from tests.factories.phone import Phone
from tests.factories.users import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

SPEC = ROOT / "openapi" / "openapi.json"
ARTIFACTS = ROOT / "test-artifacts" / "schemathesis"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)
MAX_EXAMPLES = 50  # per operation in the fuzzing phase: keeps each run near a minute on 2 cores
SEED = 20260302  # the same cases every run; change it to explore further
# Each run leaves out the operations that need the other caller's credentials: with the wrong kind
# of token they can only answer 401, which the other run already checks with the right one.
OTHER_CALLERS_SCHEME = {"user": "PartnerApiKey", "partner": "UserAccessToken"}
ACCOUNT_DELETION = "delete_me"  # run by the deleter alone, against its sacrificial account
WEBHOOK_URL = "https://partner.example.com/hooks/posterior"
# Not imported from the hooks module: importing it would register its hook in this process too.
HOOKS_MODULE = "tests.contract.schemathesis_hooks"
WORLD_ENV = "POSTERIOR_CONTRACT_WORLD"


@dataclass(frozen=True)
class World:
    base_url: str
    authorization: dict[str, str]  # caller ("user", "partner") → its Authorization header
    ids: dict[str, Any]  # what schemathesis_hooks.py maps generated ids to


@pytest.fixture(scope="module")
def world(hooks_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    env = {
        "DATABASE_URL": hooks_database,
        "ENVIRONMENT": "production",
        "JWT_SECRET": TEST_JWT_SECRET,
        "REDIS_URL": "",  # recomputes run in the API process: insights appear without a worker
        "LOG_LEVEL": "WARNING",
        "API_WORKERS": "2",
        **UNBOUND_RATE_LIMITS,  # schemathesis explores the API, not its 429s
    }
    server = start_api(env, tmp_path_factory.mktemp("schemathesis-server"), migrate=False)
    engine = create_db_engine(Settings(database_url=hooks_database, jwt_secret=TEST_JWT_SECRET))
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            yield seed(http, engine)
    finally:
        engine.dispose()
        server.stop()


def seed(http: httpx.Client, engine: Engine) -> World:
    phone = Phone(http)
    enrollment = enroll(http, phone)
    phone.push_history(moved_to_week_of(scenario("3")))  # quad-only logs: hamstring alerts follow
    insights = wait_for(lambda: items(http, "/v1/me/insights", phone.headers), timeout_s=30, what="insights")
    [workout, *_] = items(http, "/v1/me/workouts", phone.headers)

    sacrificial_account = Phone(http)
    partner = make_partner(engine)
    grant_directly(engine, partner, phone.user_id)
    # The user run revokes a second partner's grant, so the first keeps its access.
    revocable_grant = grant_directly(engine, make_partner(engine), phone.user_id)
    endpoint = create_endpoint(http, partner)
    deletable_endpoint = create_endpoint(http, partner)
    delivery = post(http, f"/v1/webhooks/endpoints/{endpoint}/ping", partner.headers)

    return World(
        base_url=str(http.base_url).rstrip("/"),
        authorization={
            "user": phone.headers["Authorization"],
            "partner": partner.headers["Authorization"],
            "deleter": sacrificial_account.headers["Authorization"],
        },
        ids={
            "ids": {
                "user_id": str(phone.user_id),
                "program_id": enrollment["program_id"],
                "exercise_id": workout["sets"][0]["exercise_id"],
                "workout_id": workout["id"],
                "insight_id": insights[0]["id"],
                "endpoint_id": endpoint,
                "delivery_id": delivery["id"],
            },
            "sacrificial": {
                "DELETE /v1/me/grants/{grant_id}": {"grant_id": str(revocable_grant)},
                "DELETE /v1/webhooks/endpoints/{endpoint_id}": {"endpoint_id": deletable_endpoint},
                "DELETE /v1/me": {"password": PASSWORD},
            },
        },
    )


def enroll(http: httpx.Client, phone: Phone) -> dict[str, Any]:
    [program, *_] = items(http, "/v1/programs", {})
    body = {"program_id": program["id"], "start_date": datetime.now(UTC).date().isoformat()}
    response = http.put("/v1/me/enrollment", json=body, headers=phone.headers)
    assert response.status_code == 200, response.text
    return response.json()


def create_endpoint(http: httpx.Client, partner: PartnerApp) -> str:
    body = {"url": WEBHOOK_URL, "events": ["insight.created"], "description": uuid.uuid4().hex}
    return post(http, "/v1/webhooks/endpoints", partner.headers, json=body)["id"]


def items(http: httpx.Client, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = http.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def post(http: httpx.Client, path: str, headers: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    response = http.post(path, headers=headers, **kwargs)
    assert response.is_success, response.text
    return response.json()


# -- the runs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["user", "partner", "deleter"])
def test_every_operation_answers_as_the_published_contract_says(world: World, caller: str) -> None:
    workdir = ARTIFACTS / caller
    workdir.mkdir(parents=True, exist_ok=True)
    report, output = run_schemathesis(world, caller, workdir)
    summary = record_summary(caller, report)
    print(json.dumps(summary, indent=2))
    assert report["exit_code"] == 0, output
    assert (summary["failures"], summary["errors"]) == (0, 0), output
    assert summary["operations_tested"] == summary["operations_selected"] > 0, output


def run_schemathesis(world: World, caller: str, workdir: Path) -> tuple[dict[str, Any], str]:
    """`st run` in a process of its own, from `workdir`, where it also keeps its crash cache for
    `st replay`. Returns its JSON report and its output (the failures, with curl commands)."""
    report_path = workdir / "report.json"
    report_path.unlink(missing_ok=True)
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "run", str(SPEC)),
        f"--url={world.base_url}",
        f"--header=Authorization: {world.authorization[caller]}",
        *operations_of(caller),
        f"--checks={','.join(CHECKS)}",
        "--phases=examples,coverage,fuzzing",
        f"--max-examples={MAX_EXAMPLES}",
        f"--seed={SEED}",
        # One thread: on CPython 3.11 before 3.11.9 the AST recursion counter is shared by the
        # interpreter's threads (gh-106905), so two workers that parse source at once (hypothesis
        # reads lambdas' source to describe strategies) can stop a run with "AST constructor
        # recursion depth mismatch" — an error of the tool, not of the API.
        "--workers=1",
        "--request-timeout=30",
        "--no-color",
        "--report=json",
        f"--report-json-path={report_path}",
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SCHEMATHESIS_HOOKS": HOOKS_MODULE,
        WORLD_ENV: json.dumps(world.ids),
    }
    finished = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=540)
    output = finished.stdout + finished.stderr
    (workdir / "output.txt").write_text(output)
    assert report_path.exists(), output
    return json.loads(report_path.read_text()), output


def operations_of(caller: str) -> list[str]:
    if caller == "deleter":
        return [f"--include-operation-id={ACCOUNT_DELETION}"]
    # Each run leaves out the operations that need the other caller's credentials.
    selected = [f"--exclude-by=/security/0/{OTHER_CALLERS_SCHEME[caller]} == []"]
    return [*selected, f"--exclude-operation-id={ACCOUNT_DELETION}"] if caller == "user" else selected


def record_summary(caller: str, report: dict[str, Any]) -> dict[str, Any]:
    """This run's numbers, merged into summary.json, which the other run may be writing too."""
    summary = {
        "operations_selected": report["operations"]["selected"],
        "operations_tested": report["operations"]["tested"],
        "examples_generated": report["test_cases"]["generated"],
        "failures": sum(group["count"] for group in report["failures"]),
        "errors": len(report["errors"]),
        "running_time_s": round(report["running_time"], 1),
        "checks": list(CHECKS),
        "max_examples": MAX_EXAMPLES,
        "seed": SEED,
    }
    with (ARTIFACTS / "summary.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = ARTIFACTS / "summary.json"
        merged = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps(merged | {caller: summary}, indent=2, sort_keys=True) + "\n")
    return summary
