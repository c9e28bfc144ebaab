import uuid

from tests.api.programs.test_programs import program_by_slug
from tests.factories.users import register


def test_enrolling_returns_and_keeps_the_program(client):
    account = register(client)
    program = program_by_slug(client, "posterior-chain-builder")
    body = {"program_id": program["id"], "start_date": "2026-03-02"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 200
    enrollment = client.get("/v1/me/enrollment", headers=account.headers).json()
    assert (enrollment["program_id"], enrollment["start_date"]) == (program["id"], "2026-03-02")


def test_enrolling_again_replaces_the_program(client):
    account = register(client)
    first, second = (
        program_by_slug(client, "posterior-chain-builder"),
        program_by_slug(client, "hamstrings-first"),
    )
    client.put(
        "/v1/me/enrollment",
        json={"program_id": first["id"], "start_date": "2026-03-02"},
        headers=account.headers,
    )
    client.put(
        "/v1/me/enrollment",
        json={"program_id": second["id"], "start_date": "2026-03-09"},
        headers=account.headers,
    )
    assert client.get("/v1/me/enrollment", headers=account.headers).json()["program_id"] == second["id"]


def test_enrolling_in_an_unknown_program_is_404_and_stores_nothing(client):
    account = register(client)
    body = {"program_id": str(uuid.uuid4()), "start_date": "2026-03-02"}
    assert client.put("/v1/me/enrollment", json=body, headers=account.headers).status_code == 404
    assert client.get("/v1/me/enrollment", headers=account.headers).status_code == 404


def test_a_bad_start_date_is_422(client):
    account = register(client)
    program = program_by_slug(client, "posterior-chain-builder")
    body = {"program_id": program["id"], "start_date": "yesterday"}
    response = client.put("/v1/me/enrollment", json=body, headers=account.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"


def test_another_users_enrollment_is_invisible(client):
    alice, bob = register(client), register(client)
    program = program_by_slug(client, "posterior-chain-builder")
    client.put(
        "/v1/me/enrollment",
        json={"program_id": program["id"], "start_date": "2026-03-02"},
        headers=alice.headers,
    )
    assert client.get("/v1/me/enrollment", headers=bob.headers).status_code == 404
    assert client.get("/v1/me/next-session", headers=bob.headers).status_code == 404


def test_another_user_enrolling_never_changes_mine(client):
    alice, bob = register(client), register(client)
    builder, first = (
        program_by_slug(client, "posterior-chain-builder"),
        program_by_slug(client, "hamstrings-first"),
    )
    client.put(
        "/v1/me/enrollment",
        json={"program_id": builder["id"], "start_date": "2026-03-02"},
        headers=alice.headers,
    )
    client.put(
        "/v1/me/enrollment", json={"program_id": first["id"], "start_date": "2026-03-02"}, headers=bob.headers
    )
    assert client.get("/v1/me/enrollment", headers=alice.headers).json()["program_id"] == builder["id"]
