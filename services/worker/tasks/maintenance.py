"""Housekeeping on beat's schedule: rows past their keeping time (services/core/usecases/retention.py)."""

import logging

from celery import shared_task

from services.core.models.base import utcnow
from services.core.usecases import retention
from services.worker.db import session_factory

log = logging.getLogger(__name__)


@shared_task(name="maintenance.purge", ignore_result=True)
def purge() -> dict[str, int]:
    with session_factory().begin() as session:
        purged = retention.purge(session, utcnow()).as_dict()
    log.info("purged expired rows", extra={"purged": purged})
    return purged
