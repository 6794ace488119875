"""Run bookkeeping: how a SyncRun records its life, its counters and its failures.

Every kind of run (full, incremental, single record, removal, repair) goes through
``run_recorded``: marked running with the lock held, then finished (succeeded, or partial
when records failed) or failed with the reason. ``save_outcome`` persists a source's
counters as the run goes and its watermark once the source completed; ``failure_sink``
stores the records that failed. ``each_source`` runs a step per source so that one
failing source does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from django.utils import timezone

from syncer import selectors
from syncer.chroma_client import chroma_run_started
from syncer.locks import SyncLockLost
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
from syncer.services.engine import RecordFailure, SourceOutcome
from syncer.sources import Source, source_get

logger = logging.getLogger(__name__)

# Stored per source and run; beyond this the errors are only counted (and logged).
MAX_STORED_RECORD_ERRORS = 1000

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
            # final error; the log below keeps it whole.
            run.error = error_public("\n".join(failures))[:4000]
            if run.pk is None:  # a deferred run (`sync watch`): its caller reports it
                logger.debug("%s failed: %s", name, error_line(exc))
                continue
            logger.error("run #%s: %s failed: %s", run.pk, name, error_line(exc), exc_info=True)
            run_save(run, ["error"])
    if failures:
        raise SourcesFailed("\n".join(failures))


def _out_of_reach(exc: BaseException) -> bool:
    """Chroma or PostgreSQL could not be reached (beyond the retries, or without them)."""
    return isinstance(exc, RetriesExhausted) or any(
        check(exc) for check in (is_transient_chroma_error, is_transient_database_error)
    )


def run_save(run: SyncRun, fields: list[str] | None = None) -> None:
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
    ``save=False`` the run is saved later, by ``run_record``, once it has work.
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
        run_record(run)
        return
    # A queued run: running from now on, also in PostgreSQL (``sync stats``, health and
    # the abandoned-run check read it there). An error or end left by a check that gave
    # it up a moment before it started is cleared: it runs after all.
    run.error, run.finished_at = "", None
    run_save(run, ["status", "started_at", "error", "finished_at"])
    chroma_run_started(run.pk)


def run_record(run: SyncRun) -> None:
    """Save a run that is not saved yet (a deferred run that found work)."""
    if run.pk is None:
        run_save(run)
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
    run_save(run, ["status", "finished_at"])
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
        run_save(run, ["status", "error", "finished_at"])
    except Exception:
        logger.error("run #%s: its failure could not be recorded in PostgreSQL", run.pk)
        raise


def failure_sink(run: SyncRun) -> Callable[[RecordFailure], None]:
    stored: dict[str, int] = {}

    def record(failure: RecordFailure) -> None:
        if stored.get(failure.source, 0) >= MAX_STORED_RECORD_ERRORS:
            return
        stored[failure.source] = stored.get(failure.source, 0) + 1
        run_record(run)
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


def save_outcome_after_failure(run: SyncRun, outcome: SourceOutcome, previous) -> None:
    """Keep the counters of a failing run if PostgreSQL still answers; never hide the
    error that made it fail."""
    try:
        save_outcome(run, outcome, previous_watermark=previous, keep_watermark=False)
    except Exception as exc:  # one line: the error that failed the run is reported in full
        logger.warning("run #%s: could not record its counters: %s", run.pk, error_line(exc))


def save_outcome(
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
        run_record(run)

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
