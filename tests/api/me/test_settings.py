from tests.factories.users import register


def test_new_account_has_sensible_defaults(client):
    me = client.get("/v1/me", headers=register(client).headers).json()
    assert (me["timezone"], me["week_start"], me["unit"], me["goal"], me["hamstrings_weak_point"]) == (
        "UTC",
        "monday",
        "kg",
        "hypertrophy",
        False,
    )


def test_patch_changes_only_the_given_settings(client):
    account = register(client)
    patched = client.patch(
        "/v1/me", json={"unit": "lb", "hamstrings_weak_point": True}, headers=account.headers
    )
    assert patched.status_code == 200
    me = client.get("/v1/me", headers=account.headers).json()
    assert (me["unit"], me["hamstrings_weak_point"], me["goal"]) == ("lb", True, "hypertrophy")


def test_patch_with_an_unknown_time_zone_is_422_and_changes_nothing(client):
    account = register(client)
    response = client.patch(
        "/v1/me", json={"timezone": "Nowhere/Land", "unit": "lb"}, headers=account.headers
    )
    assert response.status_code == 422
    assert client.get("/v1/me", headers=account.headers).json()["unit"] == "kg"


def test_patch_with_an_unknown_field_is_422(client):
    account = register(client)
    response = client.patch("/v1/me", json={"email": "other@example.com"}, headers=account.headers)
    assert response.status_code == 422
    assert client.get("/v1/me", headers=account.headers).json()["email"] == account.email


def test_another_users_patch_never_changes_mine(client):
    alice, bob = register(client), register(client)
    client.patch("/v1/me", json={"unit": "lb"}, headers=bob.headers)
    me = client.get("/v1/me", headers=alice.headers).json()
    assert (me["email"], me["unit"]) == (alice.email, "kg")
