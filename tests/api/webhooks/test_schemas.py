"""The webhook schemas of the API against the domain's events (tests/core/webhooks/test_events.py)."""

from services.api.webhooks.schemas import EventType
from services.core.webhooks import events


def test_the_api_offers_exactly_the_domain_event_types():
    assert set(EventType.__args__) == set(events.EVENT_TYPES)
