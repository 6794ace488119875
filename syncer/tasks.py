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
