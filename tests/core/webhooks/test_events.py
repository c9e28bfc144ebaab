"""Event payloads: a versioned envelope around the data, the insight itself for insight events."""

import json
import uuid
from datetime import UTC, date, datetime
from types import SimpleNamespace

from services.core.webhooks import events

USER = uuid.UUID("6c8f1f1e-0000-4000-8000-000000000001")


def an_insight(**overrides):
    return SimpleNamespace(
        **{
            "id": "4fceb4302da049aab9b8dbfcd9030305",
            "kind": "deload.suggested",
            "subject": "program",
            "severity": "warning",
            "status": "open",
            "title": "Time for a lighter week",
            "explanation": "Your e1RM fell two weeks in a row while RPE rose.",
            "evidence": {"weeks": [1, 2, 3]},
            "recommendation": {"volume_factor": 0.5},
            "rule_id": "deload.detect@1.2.0",
            "week_start": date(2026, 3, 2),
            "created_at": datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC),
            "updated_at": datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC),
            "status_changed_at": None,
        }
        | overrides
    )


def test_the_envelope_has_id_type_version_timestamp_and_data():
    body = events.envelope(
        event_id="evt_1",
        event_type="deload.suggested",
        occurred_at=datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC),
        data={"x": 1},
    )
    assert body == {
        "id": "evt_1",
        "type": "deload.suggested",
        "version": 1,
        "timestamp": "2026-03-02T12:00:00Z",
        "data": {"x": 1},
    }


def test_an_insight_event_carries_the_insight_itself_in_rest_form():
    data = events.insight_data(USER, an_insight())
    assert data["user_id"] == str(USER)
    assert data["insight_id"] == "4fceb4302da049aab9b8dbfcd9030305"
    assert data["insight"]["kind"] == "deload.suggested"
    assert data["insight"]["evidence"] == {"weeks": [1, 2, 3]}
    assert data["insight"]["week_start"] == "2026-03-02"
    assert data["insight"]["created_at"] == "2026-03-02T12:00:00Z"
    assert data["insight"]["status_changed_at"] is None
    json.dumps(data)  # JSON as it is


def test_every_new_insight_is_an_insight_created_and_deloads_and_imbalances_also_their_own():
    assert events.insight_event_types("deload.suggested") == ["insight.created", "deload.suggested"]
    assert events.insight_event_types("imbalance.left_right") == ["insight.created", "imbalance.detected"]
    assert events.insight_event_types("progression.load_increase") == ["insight.created"]


def test_workout_events_list_created_updated_and_deleted_ids():
    data = events.workouts_data(USER, 7, created={"b", "a"}, updated=[], deleted=["c"])
    assert data == {
        "user_id": str(USER),
        "sync_version": 7,
        "workouts": {"created": ["a", "b"], "updated": [], "deleted": ["c"]},
    }


def test_the_body_is_the_same_bytes_whatever_the_key_order():
    assert events.encode_body({"b": 1, "a": {"d": 2, "c": 3}}) == events.encode_body(
        {"a": {"c": 3, "d": 2}, "b": 1}
    )
    assert events.encode_body({"é": "ü"}) == '{"é":"ü"}'.encode()


def test_an_outbox_row_always_gives_the_same_event_id():
    assert events.event_id_for_outbox(42) == events.event_id_for_outbox(42)
    assert events.event_id_for_outbox(42) != events.event_id_for_outbox(43)
    assert events.event_id_for_outbox(42).startswith("evt_")
    assert len(events.event_id_for_outbox(42)) <= 64
