"""The first page of the insights (all, and the open ones) is a read model kept at write time
(ARCHITECTURE.md, "Read models"): every write that changes an insight stores the new page in its
own transaction, so the GET right after the commit serves exactly the bytes the live query gives,
and its ETag changes exactly when they do."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.api.insights.schemas import InsightRead
from services.core.models import InsightList
from services.core.models.insights import INSIGHT_SERVED_COLUMNS
from services.core.usecases import read_models
from tests.api.insights.test_insights import QUAD_ONLY, logged
from tests.factories.partners import an_insight, grant_directly, make_partner
from tests.factories.scenarios import recompute, scenario_now
from tests.factories.sync import a_workout, changes, pull, push
from tests.factories.users import delete_account, register

VIEWS = {"all": {}, "open": {"status": "open"}}


@pytest.fixture
def quad_only(client, engine):
    """A lifter with open hamstring alerts, written by the recompute."""
    account = logged(client, QUAD_ONLY)
    recompute(engine, account.id, scenario_now(QUAD_ONLY))
    return account


def served(client, account, params: dict, headers: dict | None = None):
    response = client.get("/v1/me/insights", params=params, headers=account.headers | (headers or {}))
    assert response.status_code in (200, 304), response.text
    return response


def live(client, engine, account, params: dict):
    """What the live query answers: the same GET once the user's stored lists are gone."""
    with Session(engine) as session:
        session.execute(delete(InsightList).where(InsightList.user_id == account.id))
        session.commit()
    response = served(client, account, params)
    assert "ETag" not in response.headers  # read live, not from a stored list
    return response


def open_insight_id(client, account) -> str:
    return served(client, account, VIEWS["open"]).json()["items"][0]["id"]


def answer(verb: str) -> Callable:
    def change(client, engine, account) -> None:
        response = client.post(
            f"/v1/me/insights/{open_insight_id(client, account)}/{verb}", headers=account.headers
        )
        assert response.status_code == 200, response.text

    return change


def push_status(client, engine, account) -> None:
    body = pull(client, account)
    [insight, *_] = [i for i in body["changes"]["insights"]["updated"] if i["status"] == "open"]
    updated = {"insights": {"created": [], "updated": [insight | {"status": "dismissed"}], "deleted": []}}
    push(client, account, updated, body["timestamp"]).raise_for_status()


def recompute_weeks_later(client, engine, account) -> None:
    recompute(engine, account.id, scenario_now(QUAD_ONLY) + timedelta(weeks=20))  # the alerts expire


CHANGES = {
    "a recompute that expires insights": recompute_weeks_later,
    "an accept": answer("accept"),
    "a dismiss": answer("dismiss"),
    "a status pushed by the phone": push_status,
}


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_right_after_each_change_the_get_serves_the_live_answer_with_a_new_etag(
    client, engine, quad_only, change, view
):
    before = served(client, quad_only, view)

    change(client, engine, quad_only)

    after = served(client, quad_only, view)
    assert after.content != before.content
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.content == live(client, engine, quad_only, view).content


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
def test_the_recompute_that_writes_the_first_insights_stores_the_live_answer(client, engine, view):
    account = logged(client, QUAD_ONLY)
    assert served(client, account, view).json()["items"] == []

    recompute(engine, account.id, scenario_now(QUAD_ONLY))

    after = served(client, account, view)
    assert after.json()["items"]
    assert "ETag" in after.headers
    assert after.content == live(client, engine, account, view).content


def test_a_page_of_more_than_fifty_insights_carries_the_live_cursor(client, engine):
    account = register(client)
    for _ in range(51):
        an_insight(engine, account.id)

    stored = served(client, account, VIEWS["all"])

    assert stored.json()["next_cursor"] is not None
    assert stored.content == live(client, engine, account, VIEWS["all"]).content


def recompute_again(client, engine, account) -> None:
    recompute(engine, account.id, scenario_now(QUAD_ONLY))


def push_a_workout(client, engine, account) -> None:
    push(client, account, changes(workouts=[a_workout()])).raise_for_status()


def move_time_zone(client, engine, account) -> None:
    client.patch("/v1/me", json={"timezone": "Europe/Berlin"}, headers=account.headers).raise_for_status()


UNCHANGED = {
    "a recompute that finds the same": recompute_again,
    "a pushed workout": push_a_workout,
    "the time zone": move_time_zone,
}


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
@pytest.mark.parametrize("change", UNCHANGED.values(), ids=UNCHANGED.keys())
def test_a_write_that_changes_no_insight_keeps_the_etag_and_answers_304(
    client, engine, quad_only, change, view
):
    etag = served(client, quad_only, view).headers["ETag"]

    change(client, engine, quad_only)

    again = served(client, quad_only, view, {"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)


def test_dismissing_a_dismissed_insight_again_keeps_the_etag(client, quad_only):
    dismiss = f"/v1/me/insights/{open_insight_id(client, quad_only)}/dismiss"
    client.post(dismiss, headers=quad_only.headers).raise_for_status()
    etag = served(client, quad_only, VIEWS["all"]).headers["ETag"]

    client.post(dismiss, headers=quad_only.headers).raise_for_status()

    assert served(client, quad_only, VIEWS["all"]).headers["ETag"] == etag


def test_other_filters_and_pages_read_live(client, quad_only):
    for params in ({"kind": "imbalance.hamstring_neglect"}, {"limit": 1}, {"status": "dismissed"}):
        assert "ETag" not in served(client, quad_only, params).headers


def test_the_erased_account_leaves_no_stored_list(client, engine, quad_only):
    assert delete_account(client, quad_only).status_code == 204

    with Session(engine) as session:
        left = session.scalar(select(func.count()).where(InsightList.user_id == quad_only.id))
    assert left == 0


def test_a_partner_reads_the_same_stored_page(client, engine, quad_only):
    partner = make_partner(engine)
    grant_directly(engine, partner, quad_only.id)

    theirs = client.get(f"/v1/users/{quad_only.id}/insights", headers=partner.headers)

    assert theirs.status_code == 200
    assert theirs.content == served(client, quad_only, VIEWS["all"]).content


def test_the_seed_renders_the_lists_of_users_who_have_insights_but_none(client, engine, quad_only):
    stored = served(client, quad_only, VIEWS["all"]).content
    with Session(engine) as session:
        session.execute(delete(InsightList).where(InsightList.user_id == quad_only.id))
        assert read_models.backfill(session) >= 1
        session.commit()

    assert served(client, quad_only, VIEWS["all"]).content == stored


def test_the_stored_items_have_the_fields_of_the_served_schema_in_order():
    assert tuple(InsightRead.model_fields) == INSIGHT_SERVED_COLUMNS
