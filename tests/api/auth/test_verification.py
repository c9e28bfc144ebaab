"""Sign-up with email verification: neither registering nor signing in afterwards tells a stranger
whether an address has an account, and the mailed link is what lets a new account in."""

from sqlalchemy import select

from services.api.auth import passwords
from services.core.models import User
from tests.factories.mailbox import token_in
from tests.factories.users import PASSWORD, register

OTHER_PASSWORD = "other-Password-42"


def verified_at(engine, email: str):
    with engine.connect() as connection:
        return connection.scalar(select(User.email_verified_at).where(User.email == email))


def registered(client, mail_server, email: str, password: str = PASSWORD) -> str:
    """Registers `email` without opening the link; returns the link's token."""
    assert client.post("/v1/auth/register", json={"email": email, "password": password}).status_code == 202
    return token_in(mail_server.deliver(email)[0])


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def without_request_id(response) -> dict:
    return {k: v for k, v in response.json().items() if k != "request_id"}


def test_registering_mails_a_link_that_verifies_the_email(client, mail_server, unique_email, engine):
    token = registered(client, mail_server, unique_email)

    response = client.post("/v1/auth/verify-email", json={"token": token})

    assert response.status_code == 200
    assert mail_server.deliver(unique_email)[0]["Subject"] == "Confirm your email address"
    assert verified_at(engine, unique_email) is not None


def test_verifying_signs_the_user_in(client, mail_server, unique_email):
    token = registered(client, mail_server, unique_email)

    tokens = client.post("/v1/auth/verify-email", json={"token": token}).json()

    me = client.get("/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == unique_email
    assert tokens["refresh_token"].startswith("rt_")


def test_signing_in_before_verifying_answers_exactly_like_a_wrong_password(
    client, mail_server, unique_email, engine
):
    registered(client, mail_server, unique_email)
    verified = register(client)

    unverified = log_in(client, unique_email)
    wrong_password = log_in(client, verified.email, OTHER_PASSWORD)

    assert unverified.status_code == wrong_password.status_code == 401
    assert without_request_id(unverified) == without_request_id(wrong_password)
    assert unverified.headers["content-type"] == wrong_password.headers["content-type"]
    assert verified_at(engine, unique_email) is None


def test_registering_then_signing_in_tells_a_free_address_from_a_taken_one_nothing(client, unique_email):
    taken = register(client)
    # A stranger registers both addresses with a password of their choosing, then tries it.
    for email in (unique_email, taken.email):
        assert (
            client.post("/v1/auth/register", json={"email": email, "password": OTHER_PASSWORD}).status_code
            == 202
        )

    free_answer, taken_answer = (
        log_in(client, unique_email, OTHER_PASSWORD),
        log_in(client, taken.email, OTHER_PASSWORD),
    )

    assert free_answer.status_code == taken_answer.status_code == 401
    assert without_request_id(free_answer) == without_request_id(taken_answer)


def test_an_unverified_account_gets_the_same_password_check_as_a_wrong_password(
    client, mail_server, unique_email, monkeypatch
):
    registered(client, mail_server, unique_email)
    verified = register(client)
    checks: list[str] = []
    real_check = passwords.verify_password

    def counted(password_hash: str | None, password: str) -> bool:
        checks.append(password)
        return real_check(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counted)
    log_in(client, unique_email, PASSWORD)
    log_in(client, verified.email, OTHER_PASSWORD)

    assert checks == [PASSWORD, OTHER_PASSWORD]  # one argon2 verification each: the same work


def test_after_verifying_the_password_signs_in(client, mail_server, unique_email):
    token = registered(client, mail_server, unique_email)
    client.post("/v1/auth/verify-email", json={"token": token})

    assert log_in(client, unique_email).status_code == 200


def test_a_password_reset_verifies_the_address_so_the_account_signs_in(
    client, mail_server, unique_email, engine
):
    registered(client, mail_server, unique_email)
    client.post("/v1/auth/password-reset", json={"email": unique_email})
    reset = token_in(mail_server.deliver(unique_email)[-1])

    client.post("/v1/auth/password-reset/confirm", json={"token": reset, "new_password": OTHER_PASSWORD})

    assert verified_at(engine, unique_email) is not None
    assert log_in(client, unique_email, OTHER_PASSWORD).status_code == 200


def test_a_password_reset_uses_up_the_verification_link(client, mail_server, unique_email):
    verification = registered(client, mail_server, unique_email)
    client.post("/v1/auth/password-reset", json={"email": unique_email})
    reset = token_in(mail_server.deliver(unique_email)[-1])
    client.post("/v1/auth/password-reset/confirm", json={"token": reset, "new_password": OTHER_PASSWORD})

    response = client.post("/v1/auth/verify-email", json={"token": verification})

    assert response.status_code == 422  # it would sign in, and the reset ended every session


def test_registering_a_taken_address_answers_like_a_new_one_and_only_mails_its_owner_a_notice(
    client, mail_server, unique_email
):
    new = client.post("/v1/auth/register", json={"email": unique_email, "password": PASSWORD})
    client.post("/v1/auth/verify-email", json={"token": token_in(mail_server.deliver(unique_email)[0])})
    taken = client.post("/v1/auth/register", json={"email": unique_email, "password": OTHER_PASSWORD})
    notice = mail_server.deliver(unique_email)[-1]

    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert notice["Subject"] == "Someone tried to register with your address"
    assert "token=" not in notice.get_content()
    assert log_in(client, unique_email).status_code == 200
    assert log_in(client, unique_email, OTHER_PASSWORD).status_code == 401


def test_a_verification_token_works_once(client, mail_server, unique_email):
    token = registered(client, mail_server, unique_email)
    client.post("/v1/auth/verify-email", json={"token": token})

    again = client.post("/v1/auth/verify-email", json={"token": token})

    assert again.status_code == 422
    assert again.json()["type"] == "/problems/invalid-account-token"


def test_a_forged_verification_token_is_refused(client):
    response = client.post("/v1/auth/verify-email", json={"token": "ve_" + "A" * 43})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "token", "message": "unknown, expired or already used"}]
