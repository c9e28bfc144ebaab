"""Password change and reset by email: each ends the sessions a thief could hold."""

from sqlalchemy import select

from services.core.models import OutboxEvent
from services.core.usecases import account_mail
from tests.factories.mailbox import token_in
from tests.factories.users import PASSWORD, register

NEW_PASSWORD = "new-horse-battery-7"


def login(client, email: str, password: str):
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def reset_token(client, mail_server, email: str, **settings) -> str:
    assert client.post("/v1/auth/password-reset", json={"email": email}).status_code == 202
    return token_in(mail_server.deliver(email, **settings)[-1])


def test_a_reset_link_sets_the_new_password(client, mail_server):
    account = register(client)
    token = reset_token(client, mail_server, account.email)

    confirmed = client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert confirmed.status_code == 204
    assert login(client, account.email, NEW_PASSWORD).status_code == 200
    assert login(client, account.email, PASSWORD).status_code == 401


def test_a_reset_ends_every_session(client, mail_server):
    account = register(client)
    token = reset_token(client, mail_server, account.email)

    client.post("/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})

    assert client.get("/v1/me", headers=account.headers).status_code == 401
    assert client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token}).status_code == 401


def test_a_reset_for_an_unknown_address_is_the_same_202_and_sends_nothing(client, mail_server, unique_email):
    known = register(client)
    answer_known = client.post("/v1/auth/password-reset", json={"email": known.email})
    answer_unknown = client.post("/v1/auth/password-reset", json={"email": unique_email})

    assert answer_unknown.status_code == answer_known.status_code == 202
    assert answer_unknown.json().keys() == answer_known.json().keys()
    assert mail_server.deliver(unique_email) == []
    with client.app.state.sessionmaker() as session:
        row = session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.topic == account_mail.ACCOUNT_MAIL)
            .order_by(OutboxEvent.id.desc())
        ).first()
    assert row.payload["email"] == unique_email
    assert row.processed_at is not None


def test_a_reset_token_works_once(client, mail_server):
    account = register(client)
    token = reset_token(client, mail_server, account.email)
    client.post("/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})

    again = client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": "third-Horse-55"}
    )

    assert again.status_code == 422
    assert again.json()["type"] == "/problems/invalid-account-token"
    assert login(client, account.email, NEW_PASSWORD).status_code == 200


def test_an_expired_reset_token_is_refused(client, mail_server):
    account = register(client)
    token = reset_token(client, mail_server, account.email, password_reset_ttl_s=0)

    response = client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 422
    assert login(client, account.email, PASSWORD).status_code == 200


def test_a_forged_reset_token_is_refused(client):
    response = client.post(
        "/v1/auth/password-reset/confirm", json={"token": "pr_" + "A" * 43, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 422
    assert response.json()["type"] == "/problems/invalid-account-token"


def test_a_verification_token_does_not_reset_a_password(client, mail_server, unique_email):
    client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    token = token_in(mail_server.deliver(unique_email)[0])

    response = client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 422


def test_a_weak_new_password_is_422_and_the_link_still_works(client, mail_server):
    account = register(client)
    token = reset_token(client, mail_server, account.email)

    weak = client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": "aaaaaaaaaaaa"}
    )
    strong = client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )

    assert weak.status_code == 422
    assert [e["field"] for e in weak.json()["errors"]] == ["new_password"]
    assert strong.status_code == 204


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(client):
    account = register(client)
    other = login(client, account.email, PASSWORD).json()

    changed = client.post(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=account.headers,
    )

    assert changed.status_code == 204
    assert client.get("/v1/me", headers=account.headers).status_code == 200
    assert (
        client.get("/v1/me", headers={"Authorization": f"Bearer {other['access_token']}"}).status_code == 401
    )
    assert client.post("/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 401
    assert login(client, account.email, NEW_PASSWORD).status_code == 200


def test_a_wrong_current_password_is_403_and_changes_nothing(client):
    account = register(client)

    response = client.post(
        "/v1/me/password",
        json={"current_password": "not-my-Password-1", "new_password": NEW_PASSWORD},
        headers=account.headers,
    )

    assert response.status_code == 403
    assert response.json()["type"] == "/problems/wrong-password"
    assert login(client, account.email, PASSWORD).status_code == 200


def test_a_weak_new_password_is_422_and_changes_nothing(client):
    account = register(client)

    response = client.post(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "password123"},
        headers=account.headers,
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["new_password"]
    assert login(client, account.email, PASSWORD).status_code == 200
