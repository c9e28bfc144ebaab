"""API keys through the admin CLI: shown once, stored hashed, rotated, revoked."""

import hashlib
import io
import re
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.api.admin.__main__ import main
from services.core.models import ApiKey, Partner

REDIRECT = "https://partner.example/cb"


def run(settings, *argv: str) -> dict[str, str]:
    out = io.StringIO()
    assert main(list(argv), settings=settings, out=out) == 0
    return dict(re.findall(r"^(\w+): (.+)$", out.getvalue(), re.MULTILINE))


def create_partner(settings, scopes: str = "workouts:read insights:read") -> dict[str, str]:
    return run(
        settings, "partners", "create", "--name", "Coach App", "--redirect-uri", REDIRECT, "--scopes", scopes
    )


def authenticates(client, api_key: str) -> bool:
    """A key that works reaches the grant check (404 for a user who granted nothing); one that doesn't is a 401."""
    response = client.get(
        f"/v1/users/{uuid.uuid4()}/workouts", headers={"Authorization": f"Bearer {api_key}"}
    )
    assert response.status_code in (401, 404), response.text
    return response.status_code == 404


def test_creating_a_partner_prints_its_ids_and_a_working_key(client, settings):
    printed = create_partner(settings)
    assert printed["client_id"].startswith("cl_")
    assert printed["api_key"].startswith("pk_")
    uuid.UUID(printed["partner_id"])
    assert authenticates(client, printed["api_key"])


def test_only_the_hash_of_a_key_is_stored(settings, engine):
    printed = create_partner(settings)
    with Session(engine) as session:
        key = session.scalar(select(ApiKey).where(ApiKey.id == uuid.UUID(printed["key_id"])))
        stored = [str(getattr(key, column.key)) for column in ApiKey.__table__.columns]
    assert key.key_hash == hashlib.sha256(printed["api_key"].encode()).hexdigest()
    assert not any(printed["api_key"] in value for value in stored)


def test_a_partner_keeps_the_scopes_and_redirect_uri_it_was_created_with(settings, engine):
    printed = create_partner(settings, scopes="workouts:read,insights:read")
    with Session(engine) as session:
        partner = session.get(Partner, uuid.UUID(printed["partner_id"]))
    assert (partner.scopes, partner.redirect_uris) == (["workouts:read", "insights:read"], [REDIRECT])


def test_an_unknown_scope_is_refused_and_nothing_is_created(settings, engine, capsys):
    name = f"Bad {uuid.uuid4().hex[:6]}"
    argv = ["partners", "create", "--name", name, "--redirect-uri", REDIRECT, "--scopes", "workouts:delete"]
    assert main(argv, settings=settings, out=io.StringIO()) == 2
    assert "workouts:delete" in capsys.readouterr().err
    with Session(engine) as session:
        assert session.scalar(select(Partner).where(Partner.name == name)) is None


@pytest.mark.parametrize("uri", ["http://partner.example/cb", "https://partner.example/cb#frag", "/relative"])
def test_an_unsafe_redirect_uri_is_refused(settings, uri):
    argv = ["partners", "create", "--name", "X", "--redirect-uri", uri, "--scopes", "workouts:read"]
    assert main(argv, settings=settings, out=io.StringIO()) == 2


def test_another_key_cannot_carry_a_scope_the_partner_lacks(settings):
    partner_id = create_partner(settings, scopes="workouts:read")["partner_id"]
    argv = ["keys", "create", "--partner-id", partner_id, "--scopes", "insights:read"]
    assert main(argv, settings=settings, out=io.StringIO()) == 2


def test_rotation_gives_a_working_key_and_stops_the_old_one(client, settings):
    old = create_partner(settings)
    new = run(settings, "keys", "rotate", "--key-id", old["key_id"])
    assert authenticates(client, new["api_key"])
    assert not authenticates(client, old["api_key"])


def test_rotation_with_an_overlap_keeps_the_old_key_working_meanwhile(client, settings):
    old = create_partner(settings)
    new = run(settings, "keys", "rotate", "--key-id", old["key_id"], "--overlap-hours", "24")
    assert authenticates(client, new["api_key"])
    assert authenticates(client, old["api_key"])


def test_a_revoked_key_is_a_401(client, settings):
    printed = create_partner(settings)
    run(settings, "keys", "revoke", "--key-id", printed["key_id"])
    response = client.get(
        f"/v1/users/{uuid.uuid4()}/workouts", headers={"Authorization": f"Bearer {printed['api_key']}"}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_a_made_up_key_is_a_401(client):
    assert not authenticates(client, "pk_" + "x" * 43)


def test_listing_keys_shows_their_ids_and_prefixes_never_the_keys(settings):
    printed = create_partner(settings)
    run(settings, "keys", "rotate", "--key-id", printed["key_id"], "--overlap-hours", "1")
    out = io.StringIO()
    assert main(["keys", "list", "--partner-id", printed["partner_id"]], settings=settings, out=out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(printed["key_id"])
    assert "revoked_at=" in lines[0]
    assert printed["api_key"] not in out.getvalue()
    assert printed["api_key"][:9] in lines[0]
