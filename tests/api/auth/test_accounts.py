import uuid
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import func, select

from services.core.models import User
from tests.conftest import TEST_JWT_SECRET
from tests.factories.users import PASSWORD, register

PROBLEM = "application/problem+json"


def count_users(engine, email: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(User).where(User.email == email.lower()))


def test_register_creates_an_account_and_hides_the_password(client, unique_email, engine):
    response = client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    assert response.status_code == 202
    assert response.json()["email"] == unique_email
    assert "password" not in response.text
    assert count_users(engine, unique_email) == 1


def test_register_stores_an_argon2id_hash(client, unique_email, engine):
    client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    with engine.connect() as connection:
        stored = connection.scalar(select(User.password_hash).where(User.email == unique_email))
    assert stored.startswith("$argon2id$")


def test_malformed_email_is_422_naming_the_field_and_stores_nothing(client, engine):
    response = client.post("/v1/auth/register", json={"email": "not-an-email", "password": PASSWORD})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    assert count_users(engine, "not-an-email") == 0


def test_weak_password_is_422_naming_the_field_and_stores_nothing(client, unique_email, engine):
    response = client.post("/v1/auth/register", json={"email": unique_email, "password": "aaaaaaaaaaaa"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["password"]
    assert count_users(engine, unique_email) == 0


def test_registering_a_taken_email_again_whatever_its_case_creates_no_second_account(
    client, unique_email, engine
):
    client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    response = client.post("/v1/auth/register", json={"email": unique_email.upper(), "password": PASSWORD})
    assert response.status_code == 202
    assert count_users(engine, unique_email) == 1


def test_unknown_time_zone_is_422(client, unique_email):
    body = {"email": unique_email, "password": PASSWORD, "timezone": "Mars/Olympus"}
    response = client.post("/v1/auth/register", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "timezone"


def test_login_returns_a_15_minute_access_token_and_a_refresh_token(client):
    account = register(client)
    tokens = client.post("/v1/auth/login", json={"email": account.email, "password": PASSWORD}).json()
    claims = jwt.decode(tokens["access_token"], TEST_JWT_SECRET, algorithms=["HS256"], issuer="posterior")
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["sub"] == str(account.id)
    assert tokens["refresh_token"].startswith("rt_")


def test_wrong_password_and_unknown_email_get_the_same_401(client):
    account = register(client)
    wrong_password = client.post(
        "/v1/auth/login", json={"email": account.email, "password": "wrong-password-1"}
    )
    unknown_email = client.post("/v1/auth/login", json={"email": "nobody@example.com", "password": PASSWORD})
    assert wrong_password.status_code == unknown_email.status_code == 401

    def without_request_id(response):
        return {k: v for k, v in response.json().items() if k != "request_id"}

    assert without_request_id(wrong_password) == without_request_id(unknown_email)


def test_a_login_email_with_a_nul_byte_is_422_not_a_database_error(client):
    response = client.post("/v1/auth/login", json={"email": "sam\x00@example.com", "password": PASSWORD})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


def test_expired_access_token_is_401(client):
    account = register(client)
    past = datetime.now(UTC) - timedelta(hours=1)
    token = jwt.encode(
        {
            "sub": str(account.id),
            "sid": str(uuid.uuid4()),
            "iss": "posterior",
            "typ": "access",
            "iat": past,
            "exp": past + timedelta(minutes=15),
        },
        TEST_JWT_SECRET,
        algorithm="HS256",
    )
    response = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


def test_forged_access_token_is_401(client):
    account = register(client)
    now = datetime.now(UTC)
    forged = jwt.encode(
        {
            "sub": str(account.id),
            "sid": str(uuid.uuid4()),
            "iss": "posterior",
            "typ": "access",
            "iat": now,
            "exp": now + timedelta(minutes=15),
        },
        "not-our-secret-" * 3,
        algorithm="HS256",
    )
    assert client.get("/v1/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_missing_token_is_401(client):
    assert client.get("/v1/me").status_code == 401


def test_refresh_rotates_the_refresh_token(client):
    account = register(client)
    response = client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert response.status_code == 200
    rotated = response.json()
    assert rotated["refresh_token"] != account.refresh_token
    assert (
        client.get("/v1/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}).status_code
        == 200
    )


def test_reusing_an_old_refresh_token_revokes_the_whole_login(client):
    account = register(client)
    rotated = client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token}).json()
    reuse = client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert reuse.status_code == 401
    assert (
        client.post("/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]}).status_code == 401
    )


def test_logout_revokes_the_refresh_token(client):
    account = register(client)
    assert client.post("/v1/auth/logout", json={"refresh_token": account.refresh_token}).status_code == 204
    assert client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token}).status_code == 401


def test_logout_ends_the_sessions_access_token_at_once(client):
    account = register(client)
    assert client.post("/v1/auth/logout", json={"refresh_token": account.refresh_token}).status_code == 204
    response = client.get("/v1/me", headers=account.headers)
    assert response.status_code == 401
    assert "session has ended" in response.json()["detail"]


def test_logout_leaves_the_users_other_sessions_signed_in(client):
    phone = register(client)
    laptop = client.post("/v1/auth/login", json={"email": phone.email, "password": PASSWORD}).json()
    assert client.post("/v1/auth/logout", json={"refresh_token": phone.refresh_token}).status_code == 204
    laptop_headers = {"Authorization": f"Bearer {laptop['access_token']}"}
    assert client.get("/v1/me", headers=laptop_headers).status_code == 200


def test_a_reused_refresh_token_ends_the_access_tokens_of_its_session(client):
    account = register(client)
    rotated = client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token}).json()
    assert client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token}).status_code == 401
    rotated_headers = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert client.get("/v1/me", headers=rotated_headers).status_code == 401
