"""Sign-up with email verification: registration tells a stranger nothing about an address."""

from sqlalchemy import select

from services.core.models import User
from tests.factories.mailbox import token_in
from tests.factories.users import PASSWORD, register


def verified_at(engine, email: str):
    with engine.connect() as connection:
        return connection.scalar(select(User.email_verified_at).where(User.email == email))


def test_registering_mails_a_link_that_verifies_the_email(client, mail_server, unique_email, engine):
    client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    [message] = mail_server.deliver(unique_email)

    response = client.post("/v1/auth/verify-email", json={"token": token_in(message)})

    assert response.status_code == 204
    assert message["Subject"] == "Confirm your email address"
    assert verified_at(engine, unique_email) is not None


def test_a_new_account_signs_in_before_it_is_verified(client, unique_email, engine):
    account = register(client, email=unique_email)

    assert client.get("/v1/me", headers=account.headers).status_code == 200
    assert verified_at(engine, unique_email) is None


def test_registering_a_taken_address_answers_like_a_new_one_and_only_mails_its_owner_a_notice(
    client, mail_server, unique_email
):
    new = client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    mail_server.deliver(unique_email)
    taken = client.post("/v1/auth/register", json={"email": unique_email, "password": "other-Password-42"})
    notice = mail_server.deliver(unique_email)[-1]

    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert notice["Subject"] == "Someone tried to register with your address"
    assert "token=" not in notice.get_content()
    signed_in = client.post("/v1/auth/login", json={"email": unique_email, "password": PASSWORD})
    assert signed_in.status_code == 200
    not_changed = client.post("/v1/auth/login", json={"email": unique_email, "password": "other-Password-42"})
    assert not_changed.status_code == 401


def test_a_verification_token_works_once(client, mail_server, unique_email):
    client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    token = token_in(mail_server.deliver(unique_email)[0])
    client.post("/v1/auth/verify-email", json={"token": token})

    again = client.post("/v1/auth/verify-email", json={"token": token})

    assert again.status_code == 422
    assert again.json()["type"] == "/problems/invalid-account-token"


def test_a_forged_verification_token_is_refused(client):
    response = client.post("/v1/auth/verify-email", json={"token": "ve_" + "A" * 43})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "token", "message": "unknown, expired or already used"}]
