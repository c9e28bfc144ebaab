"""Embedded mode (no REDIS_URL): the work of the Celery worker and beat, in background threads of
the API process — the recompute after a push has committed, account mail after the request that
asked for it, and webhook deliveries with their retries, polled from the database as beat would."""

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from services.core.models.base import utcnow
from services.core.repositories import outbox
from services.core.repositories import webhooks as repository
from services.core.settings import Settings
from services.core.usecases import account_mail, deliveries
from services.core.usecases.recompute import recompute_user
from services.core.webhooks import events, schedule

log = logging.getLogger(__name__)

# Deliveries per poll. The attempts run one after another in the poller's thread: an embedded
# instance serves one developer's partners, not a fleet.
DUE_BATCH = 50


class InProcessJobs:
    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self._factory = factory
        self._settings = settings
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="posterior-jobs")
        self._pending: set[uuid.UUID] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._webhooks = threading.Thread(
            target=self._deliver_webhooks, name="posterior-webhooks", daemon=True
        )

    def user_changed(self, user_id: uuid.UUID) -> None:
        # Debounced: a user already waiting for a recompute is not queued twice.
        with self._lock:
            if user_id in self._pending:
                return
            self._pending.add(user_id)
        self._executor.submit(self._recompute, user_id)

    def _recompute(self, user_id: uuid.UUID) -> None:
        with self._lock:
            self._pending.discard(user_id)
        try:
            with self._factory.begin() as session:
                recompute_user(session, user_id)
        except Exception:
            # The outbox row stays unprocessed, so the next push (or a restart) recomputes again.
            log.exception("in-process recompute failed", extra={"user_id": str(user_id)})

    def mail_queued(self) -> None:
        self._executor.submit(self._send_mail)

    def _send_mail(self) -> None:
        try:
            account_mail.send_pending(self._factory, self._settings)
        except Exception:
            # The rows stay unprocessed: the next mail asked for (or a restart) sends them.
            log.exception("in-process account mail failed")

    def start(self) -> None:
        """Recomputes users whose changes a previous process accepted but did not get to, sends
        the mail it did not send, and starts delivering webhooks (those left over included)."""
        with self._factory() as session:
            for user_id in outbox.users_of(outbox.unprocessed(session)):
                self.user_changed(user_id)
        self.mail_queued()
        self._webhooks.start()

    def shutdown(self) -> None:
        self._stopping.set()
        self._executor.shutdown(wait=True)
        if self._webhooks.is_alive():
            self._webhooks.join()

    def _deliver_webhooks(self) -> None:
        while not self._stopping.wait(self._settings.webhook_retry_scan_interval_s):
            try:
                # New deliveries are leased as they are made, as the workers' fan-out hands them
                # straight to `deliver`: attempt them now, then whatever else is due.
                self._attempt([(delivery_id, 0) for delivery_id in self._fan_out_events()])
                self._attempt(self._hand_out_due())
            except Exception:
                # Rows stay pending or leased: the next poll (or the next start) takes them again.
                log.exception("in-process webhook delivery failed")

    def _fan_out_events(self) -> list[uuid.UUID]:
        with self._factory.begin() as session:
            return [
                delivery_id
                for row in outbox.claim_pending(session, topics=events.EVENT_TYPES)
                for delivery_id in deliveries.fan_out_event(session, row.id, utcnow(), self._settings)
            ]

    def _hand_out_due(self) -> list[tuple[uuid.UUID, int]]:
        now = utcnow()
        with self._factory.begin() as session:
            return repository.hand_out_due(
                session, now=now, lease_until=now + schedule.attempt_lease(self._settings), limit=DUE_BATCH
            )

    def _attempt(self, due: list[tuple[uuid.UUID, int]]) -> None:
        for delivery_id, attempts in due:
            if self._stopping.is_set():
                return  # the rest stay leased and are handed out again after a restart
            deliveries.attempt(self._factory, delivery_id, attempts, self._settings)


class QueuedJobs:
    """Production mode: nothing to do in the request; the outbox relay hands work to Celery."""

    def user_changed(self, user_id: uuid.UUID) -> None:
        return None

    def mail_queued(self) -> None:
        return None

    def start(self) -> None:
        return None

    def shutdown(self) -> None:
        return None
