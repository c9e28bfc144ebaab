"""training-rules.md §7 S11 end to end: S4's hinge-only lifter gets the knee-flexion coverage
alert; the same weeks with their own "Nordic on a lat pulldown seat" (declared `knee_flexion`),
created on the phone and pushed with its sets, get none. Logs go in through `POST /v1/sync/push`;
the test plays the worker and runs the recompute the Celery task runs."""

from services.api.sync.tables import SCHEMA_VERSION
from tests.factories.scenarios import push_body, recompute, scenario_now, scenarios
from tests.factories.sync import a_custom_exercise
from tests.factories.users import register

HINGE_ONLY = "4 hinge-only"
COVERAGE = "imbalance.pattern_coverage"
SEAT = a_custom_exercise(
    "cx_nordic-lat-pulldown", equipment="other", muscles_json='{"primary":{"hamstrings":1}}'
)


def with_seat_nordics(body: dict) -> dict:
    """3×8 seat Nordics at bodyweight, RIR 1, 4 s down, on day B of W-2 and W-1 (h2b, h1b)."""
    days = {w["id"]: w["started_at"] for w in body["workouts"]["created"] if w["id"] in ("h2b", "h1b")}
    nordics = [
        {
            "id": f"{workout_id}-cx{i}",
            "workout_id": workout_id,
            "exercise_id": SEAT["id"],
            "set_index": 100 + i,
            "side": "both",
            "load_kg": 0.0,
            "reps": 8,
            "rir": 1,
            "eccentric_s": 4,
            "to_failure": False,
            "is_warmup": False,
            "performed_at": started_at,
        }
        for workout_id, started_at in days.items()
        for i in range(3)
    ]
    sets = body["workout_sets"]["created"] + nordics
    return body | {"workout_sets": {"created": sets}, "custom_exercises": {"created": [SEAT]}}


def open_kinds(client, engine, body: dict) -> set[str]:
    user = scenarios()[HINGE_ONLY]["user"]
    account = register(client, timezone=user["timezone"], week_start=user["week_start"])
    pushed = client.post(
        "/v1/sync/push",
        params={"schema_version": SCHEMA_VERSION},
        json={"changes": body},
        headers=account.headers,
    )
    assert pushed.status_code == 200, pushed.text
    recompute(engine, account.id, scenario_now(HINGE_ONLY))
    items = client.get("/v1/me/insights", params={"status": "open"}, headers=account.headers).json()["items"]
    return {i["kind"] for i in items}


def test_the_hinge_only_lifter_is_told_to_add_knee_flexion(client, engine):
    assert COVERAGE in open_kinds(client, engine, push_body(HINGE_ONLY))


def test_their_own_nordic_declared_knee_flexion_stops_the_alert(client, engine):
    assert open_kinds(client, engine, with_seat_nordics(push_body(HINGE_ONLY))) == set()
