"""Runs: full, incremental and single-record syncs, recorded as SyncRun rows.

``sync_run_execute`` is what the CLI, the API, the admin and the django-q tasks call.
Every run holds the advisory lock of each source it writes; a run that is refused the
lock raises SyncLocked and writes nothing. A run checks that it still holds the lock
before each batch, and its PostgreSQL and Chroma calls are retried while the connection
is down (``syncer.retry``); when that does not help, the run ends ``failed`` with the
reason and its watermark stays where it was, so the next run picks everything up again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from syncer import selectors
from syncer.locks import HeldLock, SyncLocked, SyncLockLost, sync_lock
from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.public_errors import error_public
from syncer.retry import (
    RetriesExhausted,
    database_retry,
    error_line,
    is_transient_chroma_error,
    is_transient_database_error,
    transient_retries,
)
from syncer.services.engine import (
    PendingBatch,
    ReadAhead,
    RecordFailure,
    SourceOutcome,
    SourceSync,
)
from syncer.services.invalid_rows import InvalidRowBook
from syncer.services.liveness import runs_abandoned_close
from syncer.sources import SOURCES, Source, source_get
from syncer.store import (
    CollectionMissing,
    CollectionStore,
    chroma_run_started,
    collection_drop,
    collection_leftovers,
    collection_names,
    collection_swap,
    collection_swap_pending,
    collection_swap_resume,
    rebuild_collection_name,
    store_open,
)

logger = logging.getLogger(__name__)

# Stored per source and run; beyond this the errors are only counted (and logged).
MAX_STORED_RECORD_ERRORS = 1000

Progress = Callable[[str, int, int], None]
"""progress(source_name, rows_done, rows_total)"""


class RecordNotFound(LookupError):
    """The id is neither in PostgreSQL nor in Chroma."""


@dataclass(frozen=True)
class RecordOutcome:
    run: SyncRun
    id: str
    action: str
    error: str = ""


def sync_run_create(
    *,
    mode: str,
    trigger: str,
    sources: Iterable[str] | None = None,
    force: bool = False,
    rebuild: bool = False,
) -> SyncRun:
    """Record a queued run (to be executed by a worker with ``sync_run_execute``)."""
    names = _source_names(sources)
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
    sweep: bool = True,
    record_idle: bool = True,
    retry_transient: bool = True,
) -> SyncRun:
    """Run a full or incremental sync, or execute a queued ``run``; return the finished run.

    Raises SyncLocked (writing nothing) when another sync holds a source's lock; a queued
    run that is refused is marked failed with that reason. Any other failure ends the run
    ``failed`` with the reason instead of raising.

    ``retry_transient=False`` tries PostgreSQL and Chroma once (for a caller that waits:
    an API request), instead of retrying for about 15 s (``syncer.retry``).

    ``sweep=False`` skips the deletion sweep. ``record_idle=False`` (``sync watch``) saves
    a new run only once it wrote, deleted or failed a record: an idle run, or one that
    failed before touching anything, is returned unsaved (``pk`` None) and leaves no
    history, no counters and no watermark (there was nothing to move it past).
    """
    if run is None:
        run = SyncRun(
            mode=mode,
            trigger=trigger,
            sources=_source_names(sources),
            force=force or rebuild,
            rebuild=rebuild,
        )
    if run.mode not in (SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL):
        raise ValueError(f"mode must be full or incremental, not {run.mode!r}")
    deferred = not record_idle and run.pk is None
    try:
        with (
            sync_lock(run.sources, retry_transient=retry_transient) as lock,
            run_recorded(run, save=not deferred, swallow=True),
        ):
            each_source(
                run,
                lambda source: _run_source(run, source, progress, lock, sweep=sweep),
            )
    except SyncLocked as exc:
        if run.pk:
            run.status = SyncRun.Status.FAILED
            run.error = f"refused: {exc}"
            run.finished_at = timezone.now()
            _run_save(run, ["status", "error", "finished_at"])
        raise
    return run


def sync_record(
    *, source: str, record_id: str, trigger: str, retry_transient: bool = True
) -> RecordOutcome:
    """Sync one record: upsert it, or delete it when it is gone or excluded.

    Waits up to SYNC_LOCK_WAIT_SECONDS for a running sync, then raises SyncLocked.
    Raises RecordNotFound when the id is neither in PostgreSQL nor in Chroma. When
    PostgreSQL or Chroma fails beyond the retries (ChromaUnavailable: the server cannot
    be reached), the run is marked failed and the error raised. ``retry_transient=False``
    tries once, for a caller that waits (an API request, an admin action).
    """
    spec = source_get(source)
    run = SyncRun(
        mode=SyncRun.Mode.SINGLE, trigger=trigger, sources=[spec.name], record_id=record_id
    )
    with sync_lock(
        [spec.name],
        wait_seconds=settings.SYNC_LOCK_WAIT_SECONDS,
        retry_transient=retry_transient,
    ):
        row = selectors.source_row(spec, record_id)
        store = _record_store(spec)
        invalid_rows = InvalidRowBook(run=run, source=spec, record_run=lambda: _run_record(run))
        # The one record asked for was not synced: an invalid row is an error here too.
        engine = SourceSync(
            source=spec,
            store=store,
            on_failure=_failure_sink(run),
            invalid_rows=invalid_rows,
            track_actions=True,
            invalid_is_error=True,
        )
        eligible = row is not None and spec.is_eligible(row)
        in_chroma = not eligible and bool(store.metadatas([record_id]))
        if row is None and not in_chroma:
            raise RecordNotFound(
                f"{spec.label} {record_id!r} is neither in PostgreSQL nor in Chroma"
            )
        with run_recorded(run):
            if eligible:
                engine.apply_rows([row])
            else:
                invalid_rows.discard([record_id])  # gone or excluded: not invalid any more
                if in_chroma:
                    engine.delete([record_id])
                else:
                    engine.outcome.actions[record_id] = "unchanged"
            _save_outcome(
                run, engine.outcome, previous_watermark=None, keep_watermark=False, completed=True
            )
    action = engine.outcome.actions.get(record_id, "unchanged")
    return RecordOutcome(
        run=run, id=record_id, action=action, error=engine.outcome.problems.get(record_id, "")
    )


# --- internals -----------------------------------------------------------------------------


def _record_store(source: Source) -> CollectionStore:
    """The collection a single-record sync writes (its caller holds the lock).

    A missing collection is never created here once the source has been synced: with one
    document in it, later incremental runs (which read only what changed) would take it
    for complete. A ``--rebuild`` swap cut short is finished instead (``store_open``);
    otherwise CollectionMissing tells the operator to run a full sync. Before any sync it
    is created: the first incremental or full run reads every row anyway.
    """
    try:
        return store_open(source.collection_name, create=False)
    except CollectionMissing:
        if collection_swap_pending(source.collection_name) is None:
            if _ever_synced(source):
                raise CollectionMissing(
                    f"Chroma collection {source.collection_name!r} is missing although "
                    f"{source.name} was synced before; run `manage.py sync full` to rebuild "
                    "it (a single-record sync does not)."
                ) from None
    return store_open(source.collection_name)


def _ever_synced(source: Source) -> bool:
    return database_retry(
        lambda: SyncRunSource.objects.filter(
            source=source.name,
            completed=True,
            run__mode__in=[SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL],
        ).exists(),
        what=f"reading the {source.name} run history",
    )


def _source_names(sources: Iterable[str] | None) -> list[str]:
    names = list(SOURCES) if not sources else [source_get(name).name for name in sources]
    return list(dict.fromkeys(names))


ABANDONED = "abandoned: the process running it ended without finishing it"


class SourcesFailed(RuntimeError):
    """Sources of a run failed, each on its own; the message has a line per failed
    source, ``<source>: <error type>: <message>`` (see ``each_source``)."""


def source_failure(source: str, exc: BaseException) -> str:
    """How a run's ``error`` names a source that failed: ``<source>: <type>: <message>``,
    on a line of its own (for people: whether a source completed is recorded on its
    ``SyncRunSource.completed``)."""
    return f"{source}: {type(exc).__name__}: {exc}"


def each_source(run: SyncRun, sync: Callable[[Source], object]) -> None:
    """``sync(source)`` for each source of ``run``; one that fails does not stop the others.

    A failed source's reason is recorded on the run at once (``source_failure``) and,
    once every source has had its turn, SourcesFailed ends the run ``failed`` with those
    lines; the sources that completed keep their counters and watermarks. A lost lock
    stops everything (no source may be written any more), as an interruption does.
    """
    failures: list[str] = []
    out_of_reach = False
    for name in run.sources:
        # Chroma and PostgreSQL are shared by the sources: once one source found them out
        # of reach beyond the retries, the next ones try once instead of waiting as long.
        retries = transient_retries(enabled=False) if out_of_reach else nullcontext()
        try:
            with retries:
                sync(source_get(name))
        except SyncLockLost as exc:
            if failures:
                raise SourcesFailed("\n".join([*failures, f"SyncLockLost: {exc}"])) from exc
            raise
        except Exception as exc:
            out_of_reach = out_of_reach or _out_of_reach(exc)
            failures.append(source_failure(name, exc))
            # Shown to every signed-in user while the run goes on: redacted like the
            # final error (``_run_fail``); the log below keeps it whole.
            run.error = error_public("\n".join(failures))[:4000]
            if run.pk is None:  # a deferred run (`sync watch`): its caller reports it
                logger.debug("%s failed: %s", name, error_line(exc))
                continue
            logger.error("run #%s: %s failed: %s", run.pk, name, error_line(exc), exc_info=True)
            _run_save(run, ["error"])
    if failures:
        raise SourcesFailed("\n".join(failures))


def _out_of_reach(exc: BaseException) -> bool:
    """Chroma or PostgreSQL could not be reached (beyond the retries, or without them)."""
    return isinstance(exc, RetriesExhausted) or any(
        check(exc) for check in (is_transient_chroma_error, is_transient_database_error)
    )


def _run_save(run: SyncRun, fields: list[str] | None = None) -> None:
    database_retry(lambda: run.save(update_fields=fields), what=f"recording run #{run.pk}")


@contextmanager
def run_recorded(run: SyncRun, *, save: bool = True, swallow: bool = False) -> Iterator[None]:
    """Mark ``run`` running (with the lock held), then record how the block ended:
    finished (succeeded, or partial when records failed) or failed with the reason.

    The error that failed the run propagates, except with ``swallow``, where an
    ``Exception`` is only recorded (the run says what happened); an interruption
    (KeyboardInterrupt, SystemExit) always propagates. ``save=False``: see ``_run_start``.
    """
    _run_start(run, save=save)
    try:
        yield
    except BaseException as exc:
        _run_fail(run, exc)
        if not (swallow and isinstance(exc, Exception)):
            raise
    else:
        _run_finish(run)


def _run_start(run: SyncRun, *, save: bool = True) -> None:
    """Mark the run running (a queued run too: a worker executes it); runs left
    "running" by a dead process are closed first.

    Called with the lock held: a run still marked running on these sources cannot be
    alive (it would hold the lock), so it was killed or its machine went away. With
    ``save=False`` the run is saved later, by ``_run_record``, once it has work.
    """
    now = timezone.now()
    abandoned = selectors.runs_running(run.sources)
    if run.pk:
        abandoned = abandoned.exclude(pk=run.pk)
    closed = database_retry(
        lambda: abandoned.update(status=SyncRun.Status.FAILED, finished_at=now, error=ABANDONED),
        what="closing abandoned runs",
    )
    if closed:
        logger.warning("marked %d abandoned run(s) as failed", closed)
    run.status = SyncRun.Status.RUNNING
    run.started_at = now
    if not save:
        return
    if run.pk is None:
        _run_record(run)
        return
    # A queued run: running from now on, also in PostgreSQL (``sync stats``, health and
    # the abandoned-run check read it there). An error or end left by a check that gave
    # it up a moment before it started is cleared: it runs after all.
    run.error, run.finished_at = "", None
    _run_save(run, ["status", "started_at", "error", "finished_at"])
    chroma_run_started(run.pk)


def _run_record(run: SyncRun) -> None:
    """Save a run that is not saved yet (a deferred run that found work)."""
    if run.pk is None:
        _run_save(run)
        chroma_run_started(run.pk)


def _run_finish(run: SyncRun) -> None:
    if run.pk is None:  # a deferred run that found nothing to do: nothing to record
        run.status = SyncRun.Status.SUCCEEDED
        run.finished_at = timezone.now()
        return
    has_errors = database_retry(
        lambda: run.source_results.filter(errors__gt=0).exists(), what=f"finishing run #{run.pk}"
    )
    run.status = SyncRun.Status.PARTIAL if has_errors else SyncRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    _run_save(run, ["status", "finished_at"])
    logger.info("run #%s %s %s in %.1fs", run.pk, run.mode, run.status, run.duration_seconds or 0)


def _run_fail(run: SyncRun, exc: BaseException) -> None:
    """Record why the run failed. When even that fails (PostgreSQL down beyond the
    retries), the reason is logged and the error raised: the run stays "running" until
    the next run marks it abandoned."""
    if isinstance(exc, KeyboardInterrupt):
        reason = "interrupted"
    elif isinstance(exc, SourcesFailed):  # each failure already logged with its traceback
        reason = str(exc)
    else:
        reason = f"{type(exc).__name__}: {exc}"
    run.status = SyncRun.Status.FAILED
    run.error = error_public(reason)[:4000]  # shown to every signed-in user; logged in full
    run.finished_at = timezone.now()
    if run.pk is None:  # a deferred run that touched nothing: its caller reports it
        logger.debug("unrecorded run failed: %s", reason)
        return
    traceback = isinstance(exc, Exception) and not isinstance(exc, SourcesFailed)
    logger.error("run #%s failed: %s", run.pk, reason, exc_info=traceback)
    try:
        _run_save(run, ["status", "error", "finished_at"])
    except Exception:
        logger.error("run #%s: its failure could not be recorded in PostgreSQL", run.pk)
        raise


def _failure_sink(run: SyncRun) -> Callable[[RecordFailure], None]:
    stored: dict[str, int] = {}

    def record(failure: RecordFailure) -> None:
        if stored.get(failure.source, 0) >= MAX_STORED_RECORD_ERRORS:
            return
        stored[failure.source] = stored.get(failure.source, 0) + 1
        _run_record(run)
        database_retry(
            lambda: SyncRecordError.objects.create(
                run=run,
                source=failure.source,
                record_id=failure.record_id,
                error_type=failure.error_type,
                message=failure.message,
            ),
            what=f"recording a record error of run #{run.pk}",
        )

    return record


def _incremental_since(previous: datetime | None) -> datetime | None:
    """The watermark minus the overlap (not before year 1: a watermark may be that old)."""
    if previous is None:
        return None
    overlap = timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
    floor = datetime.min.replace(tzinfo=previous.tzinfo or UTC)
    return previous - overlap if previous - floor > overlap else floor


def _run_source(
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
        collection_drop(fresh_name)  # a rebuild starts empty: it is never swept
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
    invalid_rows = InvalidRowBook(run=run, source=source, record_run=lambda: _run_record(run))
    engine = SourceSync(
        source=source,
        store=store,
        on_failure=_failure_sink(run),
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
    _save_outcome(
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
        _save_outcome(
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
        swept = sweep and not fresh_name
        if swept:
            engine.sweep()
        if swept or run.mode == SyncRun.Mode.FULL:
            invalid_rows.reconcile()  # rows deleted or excluded are not invalid any more
    except BaseException:
        _save_outcome_after_failure(run, engine.outcome, previous)
        if fresh_name:
            _drop_quietly(fresh_name)
        raise
    if fresh_name:
        collection_swap(fresh=fresh_name, target=source.collection_name, suffix=str(run.pk))
    _save_outcome(
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


def _save_outcome_after_failure(run: SyncRun, outcome: SourceOutcome, previous) -> None:
    """Keep the counters of a failing run if PostgreSQL still answers; never hide the
    error that made it fail."""
    try:
        _save_outcome(run, outcome, previous_watermark=previous, keep_watermark=False)
    except Exception as exc:  # one line: the error that failed the run is reported in full
        logger.warning("run #%s: could not record its counters: %s", run.pk, error_line(exc))


def leftovers_drop(source: Source) -> list[str]:
    """Drop the collections that rebuilds of ``source`` left behind (killed before they
    could drop them: ``collection_leftovers``), after finishing a swap cut short; the
    caller holds the source's lock, so no rebuild is using them. A drop that fails is
    logged and left for the next run."""
    names = collection_names()
    resumed = collection_swap_resume(source.collection_name, names)
    if resumed:
        logger.warning(
            "renamed collection %r to %r: the `--rebuild` that built it was cut short "
            "while swapping it in",
            resumed,
            source.collection_name,
        )
    dropped: list[str] = []
    for name in collection_leftovers(source.collection_name, names):
        if name == resumed:
            continue
        try:
            collection_drop(name)
        except Exception as exc:  # a clean-up: never worth failing the sync for
            logger.warning("could not drop leftover collection %r: %s", name, error_line(exc))
            continue
        logger.warning("dropped collection %r, left by a `--rebuild` that did not finish", name)
        dropped.append(name)
    return dropped


def _drop_quietly(name: str) -> None:
    try:
        collection_drop(name)
    except Exception:
        logger.warning("could not drop the unfinished collection %r", name, exc_info=True)


def _save_outcome(
    run: SyncRun,
    outcome: SourceOutcome,
    *,
    previous_watermark,
    keep_watermark: bool,
    total: int | None = None,
    completed: bool = False,
) -> None:
    """Persist the counters (as the run goes, so a dead run still shows its progress)
    and, when given, the ``total`` of rows to scan; the watermark only once the source
    completed, which ``completed`` records (``SyncRunSource.completed``: only a source
    that ran to its end gives the next incremental its watermark). A deferred run (not
    saved yet) is saved here once the outcome holds work, or moves the watermark
    (unchanged rows past it, e.g. after single-record syncs: recorded once, so that later
    cycles skip them); until then nothing is written."""
    if run.pk is None:
        work = (
            outcome.upserted
            or outcome.metadata_updated
            or outcome.deleted
            or outcome.errors
            or outcome.invalid_new
        )
        moves = keep_watermark and outcome.watermark(previous_watermark) != previous_watermark
        if not (work or moves):
            return
        _run_record(run)

    fields = {
        **outcome.counts(),
        "watermark_before": previous_watermark,
        "watermark_after": outcome.watermark(previous_watermark) if keep_watermark else None,
        "completed": completed,
    }
    if total is not None:
        fields["total"] = total

    def save() -> None:
        # One statement per batch (this runs after every batch): INSERT ... ON CONFLICT
        # (run, source) DO UPDATE, so the first save costs no extra round trip either.
        SyncRunSource.objects.bulk_create(
            [SyncRunSource(run=run, source=outcome.source, **fields)],
            update_conflicts=True,
            unique_fields=["run", "source"],
            update_fields=list(fields),
        )

    database_retry(save, what=f"recording the counters of run #{run.pk}")


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

    names = _source_names(sources)
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
    async_task("syncer.tasks.sync_run_task", run.pk, task_name=f"sync-run-{run.pk}")
    run.refresh_from_db()
    return run
