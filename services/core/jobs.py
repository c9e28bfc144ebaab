"""Embedded mode (no REDIS_URL): the same recompute the Celery worker runs, in a background
thread of the API process, started after the push has committed."""

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from services.core import outbox
from services.core.recompute import recompute_user

log = logging.getLogger(__name__)


class InProcessJobs:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="posterior-jobs")
        self._pending: set[uuid.UUID] = set()
        self._lock = threading.Lock()

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

    def resume_pending(self) -> None:
        """Recomputes users whose changes a previous process accepted but did not get to."""
        with self._factory() as session:
            for user_id in outbox.users_of(outbox.unprocessed(session)):
                self.user_changed(user_id)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class QueuedJobs:
    """Production mode: nothing to do in the request; the outbox relay hands work to Celery."""

    def user_changed(self, user_id: uuid.UUID) -> None:
        return None

    def resume_pending(self) -> None:
        return None

    def shutdown(self) -> None:
        return None
