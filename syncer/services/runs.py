"""Runs: full and incremental syncs, recorded as SyncRun rows (``bookkeeping``).

``sync_run_execute`` is what the CLI, the API, the admin and the django-q tasks call.
Every run holds the advisory lock of each source it writes; a run that is refused the
lock raises SyncLocked and writes nothing. A run checks that it still holds the lock
before each batch, and its PostgreSQL and Chroma calls are retried while the connection
is down (``syncer.retry``); when that does not help, the run ends ``failed`` with the
reason and its watermark stays where it was, so the next run picks everything up again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from syncer import selectors
from syncer.locks import HeldLock, SyncLocked, sync_lock
from syncer.models import SyncRun
from syncer.public_errors import error_public
from syncer.retry import error_line
from syncer.services.bookkeeping import (
    each_source,
    failure_sink,
    run_record,
    run_recorded,
    run_save,
    save_outcome,
    save_outcome_after_failure,
)
from syncer.services.engine import PendingBatch, ReadAhead, SourceOutcome, SourceSync
from syncer.services.invalid_rows import InvalidRowBook
from syncer.services.leftovers import leftovers_drop
from syncer.services.liveness import runs_abandoned_close
from syncer.sources import Source, source_names
from syncer.store import (
    collection_drop,
    collection_mark_complete,
    collection_swap,
    rebuild_collection_name,
    store_open,
)

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""progress(source_name, rows_done, rows_total)"""


class TaskQueueUnavailable(RuntimeError):
    """The django-q2 broker (Redis at REDIS_URL, or halasync's database) refused the task
    of a run being queued: the run is recorded failed, never left queued. The message
    names no host or port (the log has them)."""

    def __init__(self, run_id: int, reason: str) -> None:
        self.run_id = run_id
        super().__init__(
            f"the task queue cannot be reached, so run #{run_id} was not queued "
            f"({reason}); retry when the broker is back, or run the sync now "
            '(`manage.py sync …`, or the API with "wait": true)'
        )


def sync_run_create(
    *,
    mode: str,
    trigger: str,
    sources: Iterable[str] | None = None,
    force: bool = False,
    rebuild: bool = False,
) -> SyncRun:
    """Record a queued run (to be executed by a worker with ``sync_run_execute``)."""
    names = source_names(sources)
    if mode not in (SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL):
        raise ValueError(f"mode must be full or incremental, not {mode!r}")
    return SyncRun.objects.create(
        mode=mode, trigger=trigger, sources=names, force=force or rebuild, rebuild=rebuild
    )


def sync_run_execute(
    *,
    mode: str | None = None,
    trigger: str | None = None,
    sources: Iterable[str] | None = None,
    force: bool = False,
    rebuild: bool = False,
    run: SyncRun | None = None,
    progress: Progress | None = None,
    retry_transient: bool = True,
) -> SyncRun:
    """Run a full or incremental sync, or execute a queued ``run``; return the finished run.

    Raises SyncLocked (writing nothing) when another sync holds a source's lock; a queued
    run that is refused is marked failed with that reason. Any other failure ends the run
    ``failed`` with the reason instead of raising.

    ``retry_transient=False`` tries PostgreSQL and Chroma once (for a caller that waits:
    an API request), instead of retrying for about 15 s (``syncer.retry``).
    """
    if run is None:
        run = SyncRun(
            mode=mode,
            trigger=trigger,
            sources=source_names(sources),
            force=force or rebuild,
            rebuild=rebuild,
        )
    return _execute(run, progress=progress, retry_transient=retry_transient)


def sync_watch_cycle(
    *,
    sweep: bool = True,
    sources: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> SyncRun:
    """One cycle of ``sync watch``: an incremental run (trigger ``watch``) that is saved
    only once it wrote, deleted or failed a record. An idle cycle, or one that failed
    before touching anything, returns its run unsaved (``pk`` None): it leaves no history,
    no counters and no watermark (there was nothing to move it past).

    ``sweep=False`` skips the deletion sweep (and the clean-up of rebuild leftovers).
    Raises SyncLocked as ``sync_run_execute`` does.
    """
    run = SyncRun(
        mode=SyncRun.Mode.INCREMENTAL,
        trigger=SyncRun.Trigger.WATCH,
        sources=source_names(sources),
    )
    return _execute(run, progress=progress, sweep=sweep, deferred=True)


def _execute(
    run: SyncRun,
    *,
    progress: Progress | None,
    sweep: bool = True,
    deferred: bool = False,
    retry_transient: bool = True,
) -> SyncRun:
    """The loop both entry points share: lock, record, each source in turn. A
    ``deferred`` run is saved only once it has work (``run_recorded(save=False)``)."""
    if run.mode not in (SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL):
        raise ValueError(f"mode must be full or incremental, not {run.mode!r}")
    deferred = deferred and run.pk is None
    try:
        with (
            sync_lock(run.sources, retry_transient=retry_transient) as lock,
            run_recorded(run, save=not deferred, swallow=True),
        ):
            each_source(
                run,
                lambda source: run_source(run, source, progress, lock, sweep=sweep),
            )
    except SyncLocked as exc:
        if run.pk:
            run.status = SyncRun.Status.FAILED
            run.error = f"refused: {exc}"
            run.finished_at = timezone.now()
            run_save(run, ["status", "error", "finished_at"])
        raise
    return run


# --- one source of a run ------------------------------------------------------------------


def _incremental_since(previous: datetime | None) -> datetime | None:
    """The watermark minus the overlap (not before year 1: a watermark may be that old)."""
    if previous is None:
        return None
    overlap = timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
    floor = datetime.min.replace(tzinfo=previous.tzinfo or UTC)
    return previous - overlap if previous - floor > overlap else floor


def run_source(
    run: SyncRun,
    source: Source,
    progress: Progress | None,
    lock: HeldLock | None,
    *,
    rebuild: bool | None = None,
    keep_watermark: bool = True,
    sweep: bool = True,
) -> SourceOutcome:
    """Sync one source for ``run`` (rebuilding its collection when ``rebuild``, which
    defaults to the run's flag); the lock is verified before each batch of writes.
    ``sweep=False`` leaves out the deletion sweep and the clean-up of the collections
    unfinished rebuilds left (``leftovers_drop``)."""
    rebuild = run.rebuild if rebuild is None else rebuild
    previous = selectors.source_watermark(source)
    clock = selectors.source_clock(source)
    from_scratch = run.mode != SyncRun.Mode.INCREMENTAL
    if previous is not None and previous > clock:
        # Left by a row stamped in the future before watermarks were capped, or by the
        # source database's clock being set back: nothing after it can be trusted.
        logger.warning(
            "%s: the watermark %s is later than the source database's clock (%s); "
            "reading every row once to recompute it",
            source.name,
            previous.isoformat(),
            clock.isoformat(),
        )
        from_scratch = True
    since = None if from_scratch else _incremental_since(previous)
    if sweep or rebuild:  # housekeeping goes with the sweep (not every `sync watch` cycle)
        if lock is not None:
            lock.verify()  # no other sync can be rebuilding while the lock is held
        leftovers_drop(source)
    fresh_name = rebuild_collection_name(source.collection_name, run.pk) if rebuild else None
    if fresh_name:
        collection_drop(fresh_name)  # a rebuild starts empty
    store = store_open(fresh_name or source.collection_name)
    if store.created and since is not None:
        # The collection was missing (dropped by hand, lost): what the watermark says was
        # synced is not in it. An incremental builds it from every row, not a few.
        logger.warning(
            "%s: collection %r was missing and has been created: reading every row",
            source.name,
            store.name,
        )
        since, from_scratch = None, True
    invalid_rows = InvalidRowBook(run=run, source=source, record_run=lambda: run_record(run))
    engine = SourceSync(
        source=source,
        store=store,
        on_failure=failure_sink(run),
        invalid_rows=invalid_rows,
        force=run.force or rebuild,
    )
    engine.outcome.watermark_ceiling = clock
    engine.outcome.from_scratch = from_scratch
    total = selectors.source_eligible_count(source, updated_since=since)
    # A deferred run (``sync watch``) is quiet until it has work: idle cycles log nothing.
    level = logging.DEBUG if run.pk is None else logging.INFO
    logger.log(
        level,
        "run #%s: %s %s sync of %d row(s)%s",
        run.pk,
        source.name,
        run.mode,
        total,
        f' with "updatedAt" >= {since.isoformat()}' if since else "",
    )
    if progress:
        progress(source.name, 0, total)
    # Saved at once, so that the overview shows the run's progress (rows done / total)
    # from its first batch on.
    save_outcome(
        run, engine.outcome, previous_watermark=previous, keep_watermark=False, total=total
    )

    def apply(batch: PendingBatch) -> None:
        if lock is not None:
            lock.verify()
        engine.apply(batch)
        logger.debug(
            "%s: %d row(s) done %s", source.name, engine.outcome.scanned, engine.outcome.counts()
        )
        if progress:
            progress(source.name, engine.outcome.scanned, max(total, engine.outcome.scanned))
        save_outcome(
            run,
            engine.outcome,
            previous_watermark=previous,
            keep_watermark=False,
            total=max(total, engine.outcome.scanned),
        )

    try:
        # Chroma reads the next batch's hashes while this one is converted and written.
        with ReadAhead() as reader:
            pending: PendingBatch | None = None
            for rows in selectors.source_rows(
                source, updated_since=since, batch_size=settings.SYNC_BATCH_SIZE
            ):
                ahead = engine.read_ahead(rows, reader)
                if pending is not None:
                    apply(pending)
                pending = ahead
            if pending is not None:
                apply(pending)
        if lock is not None:
            lock.verify()
        # A rebuild is swept too: it starts empty, but a row deleted or excluded after
        # its batch was written is in it, and the collection is about to go live.
        swept = sweep or bool(fresh_name)
        if swept:
            engine.sweep()
        if swept or run.mode == SyncRun.Mode.FULL:
            invalid_rows.reconcile()  # rows deleted or excluded are not invalid any more
    except BaseException:
        save_outcome_after_failure(run, engine.outcome, previous)
        if fresh_name:
            _drop_quietly(fresh_name)
        raise
    if fresh_name:
        # Marked after its last write: a kill from here on leaves a collection that the
        # next run puts in place, not an unfinished build that it drops.
        collection_mark_complete(fresh_name)
        collection_swap(fresh=fresh_name, target=source.collection_name, suffix=str(run.pk))
    save_outcome(
        run,
        engine.outcome,
        previous_watermark=previous,
        keep_watermark=keep_watermark,
        completed=True,
    )
    logger.log(
        logging.DEBUG if run.pk is None else logging.INFO,
        "run #%s: %s %s",
        run.pk,
        source.name,
        engine.outcome.counts(),
    )
    return engine.outcome


def _drop_quietly(name: str) -> None:
    try:
        collection_drop(name)
    except Exception:
        logger.warning("could not drop the unfinished collection %r", name, exc_info=True)


def sync_run_enqueue(
    *,
    mode: str,
    trigger: str,
    sources: Iterable[str] | None = None,
    force: bool = False,
    rebuild: bool = False,
) -> SyncRun:
    """Queue a run for the django-q2 worker and return it (status ``queued``).

    Raises SyncLocked when a sync of one of the sources is running or already queued, so
    that callers (API: 409, admin: a message) never stack runs behind each other. A run
    whose process is gone does not count: it is marked failed ("abandoned") first
    (``syncer.services.liveness``).
    """
    from django_q.tasks import async_task

    names = source_names(sources)
    runs_abandoned_close(names)
    waiting = (
        SyncRun.objects.filter(
            status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING],
            sources__overlap=names,
            mode__in=[SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL],
        )
        .order_by("created_at")
        .first()
    )
    if waiting is not None and waiting.status == SyncRun.Status.QUEUED:
        raise SyncLocked(", ".join(waiting.sources), waiting.pk, queued=True)
    with sync_lock(names):  # refused at once if a sync holds the lock now
        pass
    run = sync_run_create(mode=mode, trigger=trigger, sources=names, force=force, rebuild=rebuild)
    try:
        async_task("syncer.tasks.sync_run_task", run.pk, task_name=f"sync-run-{run.pk}")
    except Exception as exc:
        # Redis down: the run stayed "queued" with no task, the caller got a 500, and
        # every later POST sync/run and admin button was refused (409: "already queued,
        # waiting for a worker") while health said "ok".
        logger.error("run #%s: the task queue refused its task: %s", run.pk, error_line(exc))
        failure = TaskQueueUnavailable(run.pk, error_public(error_line(exc)))
        run.status, run.error = SyncRun.Status.FAILED, str(failure)[:4000]
        run.finished_at = timezone.now()
        run_save(run, ["status", "error", "finished_at"])
        raise failure from exc
    run.refresh_from_db()
    return run
