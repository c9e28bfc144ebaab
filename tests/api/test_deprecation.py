"""A deprecated operation announces itself (docs/partners.md, "Versions, changes and deprecation"):
`deprecated: true` and its dates in the spec, and `Deprecation` (RFC 9745), `Sunset` (RFC 8594)
and `Link: rel="deprecation"` on every answer routed to it. The contract deprecates nothing yet,
so the app under test gets an operation of its own."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.api.deprecation import SINCE, SUNSET, deprecated
from services.core.errors import NotFound
from services.core.settings import Settings
from tests.api.operations import SPEC_FILE
from tests.factories.apps import an_app

DEPRECATED_ON = datetime(2027, 1, 4, tzinfo=UTC)
SUNSET_ON = datetime(2027, 7, 5, tzinfo=UTC)
LINK = "https://posterior.example/docs/changelog#deprecated"
MINIMUM_NOTICE = timedelta(days=182)  # six months, as docs/partners.md promises


@pytest.fixture(scope="module")
def deprecating_app(settings: Settings) -> Iterator[FastAPI]:
    with an_app(settings) as app:

        @app.get(
            "/v1/old-things/{thing_id}",
            operation_id="get_old_thing",
            summary="An old thing",
            **deprecated(since=DEPRECATED_ON, sunset=SUNSET_ON, link=LINK),
        )
        def get_old_thing(thing_id: int) -> dict[str, int]:
            if thing_id == 0:
                raise NotFound("thing", thing_id)
            return {"id": thing_id}

        yield app


@pytest.fixture
def caller(deprecating_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(deprecating_app) as client:
        yield client


def test_a_deprecated_operation_answers_with_deprecation_sunset_and_link(caller):
    answer = caller.get("/v1/old-things/7")

    assert answer.status_code == 200
    assert answer.headers["Deprecation"] == "@1799020800"  # 2027-01-04T00:00:00Z
    assert answer.headers["Sunset"] == "Mon, 05 Jul 2027 00:00:00 GMT"
    assert answer.headers["Link"] == f'<{LINK}>; rel="deprecation"; type="text/html"'


@pytest.mark.parametrize(("path", "status"), [("/v1/old-things/0", 404), ("/v1/old-things/seven", 422)])
def test_its_errors_carry_the_headers_too(caller, path, status):
    answer = caller.get(path)

    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["Sunset"] == "Mon, 05 Jul 2027 00:00:00 GMT"


def test_an_operation_that_is_not_deprecated_answers_without_them(caller):
    answer = caller.get("/v1/exercises")

    assert answer.status_code == 200
    assert not {"Deprecation", "Sunset", "Link"} & set(answer.headers)


def test_the_spec_marks_the_operation_deprecated_with_its_dates_and_headers(deprecating_app):
    operation = deprecating_app.openapi()["paths"]["/v1/old-things/{thing_id}"]["get"]

    assert operation["deprecated"] is True
    assert operation[SINCE] == "2027-01-04T00:00:00+00:00"
    assert operation[SUNSET] == "2027-07-05T00:00:00+00:00"
    for response in operation["responses"].values():
        assert {"Deprecation", "Sunset", "Link"} <= set(response["headers"])


def test_a_sunset_that_does_not_come_after_the_deprecation_is_refused():
    with pytest.raises(ValueError, match="sunset"):
        deprecated(since=SUNSET_ON, sunset=DEPRECATED_ON, link=LINK)


def test_every_deprecated_operation_of_the_contract_gives_six_months_of_notice():
    spec = json.loads(SPEC_FILE.read_text())
    operations = [op for item in spec["paths"].values() for op in item.values() if op.get("deprecated")]

    for operation in operations:
        notice = datetime.fromisoformat(operation[SUNSET]) - datetime.fromisoformat(operation[SINCE])
        assert notice >= MINIMUM_NOTICE, operation["operationId"]
