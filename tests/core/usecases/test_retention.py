"""The hourly purge: each kind of short-lived row goes once past its keeping time, and not before."""

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services.core.models import (
    AccountTombstone,
    AuthorizationCode,
    IdempotencyRecord,
    OAuthToken,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from services.core.models.base import utcnow
from services.core.usecases import retention
from tests.factories.partners import REDIRECT_URI, grant_directly, make_partner
from tests.factories.users import register
from tests.factories.webhooks import DEAD_URL

NOW = utcnow()
HOUR = timedelta(hours=1)


def stored(engine: Engine, row: object) -> object:
    with Session(engine, expire_on_commit=False) as session:
        session.add(row)
        session.commit()
    return row


def still_there(engine: Engine, model: type, key: object) -> bool:
    with Session(engine) as session:
        return session.get(model, key) is not None


def purge(engine: Engine) -> None:
    with Session(engine) as session:
        retention.purge(session, NOW)
        session.commit()


def idempotency_record(expires_at: datetime) -> IdempotencyRecord:
    return IdempotencyRecord(
        caller=f"user:{uuid.uuid4()}", key=uuid.uuid4().hex, request_hash="0" * 64, expires_at=expires_at
    )


@pytest.mark.parametrize(("expires_in", "kept"), [(-HOUR, False), (HOUR, True)])
def test_idempotency_records_are_kept_until_they_expire(engine, expires_in, kept):
    record = stored(engine, idempotency_record(NOW + expires_in))

    purge(engine)

    assert still_there(engine, IdempotencyRecord, (record.caller, record.key)) is kept


@pytest.fixture
def partner_and_user(client, engine):
    return make_partner(engine), register(client)


@pytest.mark.parametrize(
    ("expired_ago", "kept"), [(timedelta(days=1) + HOUR, False), (timedelta(hours=23), True)]
)
def test_authorization_codes_are_kept_a_day_past_expiry_so_replays_are_recognised(
    engine, partner_and_user, expired_ago, kept
):
    partner, account = partner_and_user
    code = stored(
        engine,
        AuthorizationCode(
            code_hash=uuid.uuid4().hex,
            partner_id=partner.id,
            user_id=account.id,
            redirect_uri=REDIRECT_URI,
            scopes=["workouts:read"],
            code_challenge="c" * 43,
            expires_at=NOW - expired_ago,
            used_at=NOW - expired_ago - timedelta(minutes=4),
        ),
    )

    purge(engine)

    assert still_there(engine, AuthorizationCode, code.code_hash) is kept


@pytest.mark.parametrize(
    ("expired_ago", "kept"), [(timedelta(days=1) + HOUR, False), (timedelta(hours=23), True)]
)
def test_oauth_tokens_are_kept_a_day_past_their_refresh_tokens_expiry_so_replays_are_recognised(
    engine, partner_and_user, expired_ago, kept
):
    partner, account = partner_and_user
    refresh_expires_at = NOW - expired_ago
    token = stored(
        engine,
        OAuthToken(
            user_id=account.id,
            partner_id=partner.id,
            grant_id=grant_directly(engine, partner, account.id),
            family_id=uuid.uuid4(),
            access_token_hash=uuid.uuid4().hex,
            refresh_token_hash=uuid.uuid4().hex,
            scopes=["workouts:read"],
            access_expires_at=refresh_expires_at - timedelta(days=90) + HOUR,
            refresh_expires_at=refresh_expires_at,
            created_at=refresh_expires_at - timedelta(days=90),
            refreshed_at=refresh_expires_at - timedelta(days=60),
        ),
    )

    purge(engine)

    assert still_there(engine, OAuthToken, (token.user_id, token.id)) is kept


@pytest.mark.parametrize(
    ("processed_ago", "kept"), [(timedelta(days=8), False), (timedelta(days=6), True), (None, True)]
)
def test_outbox_rows_are_kept_a_week_after_processing_and_pending_ones_always(engine, processed_ago, kept):
    long_ago = NOW - timedelta(days=30)
    row = stored(
        engine,
        OutboxEvent(
            topic="user.logs_changed",
            payload={},
            created_at=long_ago,
            processed_at=None if processed_ago is None else NOW - processed_ago,
        ),
    )

    purge(engine)

    assert still_there(engine, OutboxEvent, row.id) is kept


@pytest.mark.parametrize(
    ("status", "untouched_for", "kept"),
    [
        ("succeeded", timedelta(days=31), False),
        ("dead", timedelta(days=31), False),
        ("succeeded", timedelta(days=29), True),
        ("failed", timedelta(days=31), True),  # still being retried
        ("pending", timedelta(days=31), True),
    ],
)
def test_finished_webhook_deliveries_stay_in_the_log_for_30_days(engine, status, untouched_for, kept):
    partner = make_partner(engine)
    endpoint = stored(
        engine,
        WebhookEndpoint(partner_id=partner.id, url=DEAD_URL, events=["insight.created"], secret="whsec_x"),
    )
    delivery = stored(
        engine,
        WebhookDelivery(
            endpoint_id=endpoint.id,
            event_id=f"msg_{uuid.uuid4().hex}",
            event_type="insight.created",
            payload={},
            status=status,
            updated_at=NOW - untouched_for,
        ),
    )

    purge(engine)

    assert still_there(engine, WebhookDelivery, delivery.id) is kept


@pytest.mark.parametrize(("deleted_ago", "kept"), [(timedelta(days=31), False), (timedelta(days=29), True)])
def test_a_deleted_accounts_tombstones_stay_30_days_for_the_partners_feeds(engine, deleted_ago, kept):
    partner = make_partner(engine)
    tombstone = stored(
        engine,
        AccountTombstone(
            partner_id=partner.id,
            user_id=uuid.uuid4(),
            deleted_at=NOW - deleted_ago,
            scopes=["workouts:read"],
            sync_version=7,
            workout_ids=["w1"],
            insight_ids=[],
        ),
    )

    purge(engine)

    assert still_there(engine, AccountTombstone, (tombstone.partner_id, tombstone.user_id)) is kept
