"""django-q2 task functions: thin callers of the sync services."""

from __future__ import annotations

import logging

from syncer.locks import SyncLocked
from syncer.models import SyncRun
from syncer.services.runs import sync_run_execute

logger = logging.getLogger(__name__)


def sync_run_task(run_id: int) -> str:
    """Execute a queued run (enqueued by the API or the admin); returns its final status."""
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is None or run.status != SyncRun.Status.QUEUED:
        logger.warning("run #%s is not queued any more; nothing to do", run_id)
        return run.status if run else "missing"
    try:
        sync_run_execute(run=run)
    except SyncLocked as exc:
        # Recorded on the run by the service; log once, do not raise (no retry storm).
        logger.warning("run #%s refused: %s", run_id, exc)
    return run.status


def sync_scheduled(mode: str) -> str:
    """Run a scheduled full or incremental sync (django-q2 schedules); returns an outcome.

    A sync that is refused because another one holds the lock is logged once and not
    raised: django-q2 would record a failure for every refused tick and nothing is wrong.
    """
    try:
        run = sync_run_execute(mode=mode, trigger=SyncRun.Trigger.SCHEDULE)
    except SyncLocked as exc:
        logger.warning("scheduled %s sync refused: %s", mode, exc)
        return f"refused: {exc}"
    return f"run #{run.pk} {run.status}"
