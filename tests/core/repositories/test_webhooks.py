"""The webhooks repository: deliveries handed out to the workers under a lease."""

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from services.core.models.base import utcnow
from services.core.repositories import webhooks as repository
from tests.factories.webhooks import create_endpoint, ping


def test_due_deliveries_are_handed_out_once_until_their_lease_ends(hooks_client, partner, engine):
    endpoint = create_endpoint(hooks_client, partner)
    delivery = ping(hooks_client, partner, endpoint["id"])
    now = utcnow()

    def hand_out(at):
        with Session(engine) as session, session.begin():
            return repository.hand_out_due(
                session, now=at, lease_until=at + timedelta(seconds=60), limit=10_000
            )

    assert (uuid.UUID(delivery["id"]), 0) in hand_out(now)
    assert (uuid.UUID(delivery["id"]), 0) not in hand_out(now + timedelta(seconds=30))
    assert (uuid.UUID(delivery["id"]), 0) in hand_out(now + timedelta(seconds=61))
