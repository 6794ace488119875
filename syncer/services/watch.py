"""``sync watch``: incremental syncs every few seconds, for near real-time freshness.

Each cycle is one ``sync_watch_cycle`` (incremental, trigger ``watch``, over the same loop
as ``sync_run_execute``): a cycle that writes, deletes or fails nothing leaves no SyncRun.
The deletion sweep runs only every ``sweep_every`` seconds (it reads every id in Chroma).
The process keeps its model and Chroma client between cycles.

Stopping: the first SIGINT/SIGTERM stops the loop after the batch in progress (a run
cut short ends ``failed``/"interrupted" and its watermark stays where it was, so the
next run reads those rows again: nothing is lost). Outages of PostgreSQL or Chroma are
logged once when they begin and once when they end; meanwhile cycles back off.
"""

from __future__ import annotations

import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from syncer import selectors
from syncer.embeddings import configured_model, embedding_backend
from syncer.locks import SyncLocked
from syncer.models import SyncRun
from syncer.retry import error_line
from syncer.services.collections import collection_ids_present
from syncer.services.notify import Change, ChangeListener
from syncer.services.records import RecordNotFound, sync_record
from syncer.services.runs import sync_watch_cycle
from syncer.store import CollectionMissing

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0
# Loggers that repeat a message on every attempt during an outage; quietened meanwhile.
NOISY_DURING_OUTAGE = ("syncer.retry", "syncer.chroma_client", "syncer.store", "syncer.locks")


class WatchStopped(KeyboardInterrupt):
    """Raised between batches when a stop was requested: the run ends "interrupted"."""


@dataclass
class WatchSummary:
    cycles: int = 0
    runs: list[int] = field(default_factory=list)
    idle_cycles: int = 0
    refused_cycles: int = 0
    failed_cycles: int = 0
    sweeps: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycles": self.cycles,
            "runs": len(self.runs),
            "idle_cycles": self.idle_cycles,
            "refused_cycles": self.refused_cycles,
            "failed_cycles": self.failed_cycles,
            "sweeps": self.sweeps,
        }


class _Outage:
    """Logs a failure once when it starts and once when it ends; computes the backoff."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.failures = 0
        self.levels: dict[str, int] = {}

    def failed(self, reason: str) -> None:
        self.failures += 1
        if self.since is None:
            self.since = time.monotonic()
            logger.error("watch: sync cycle failed: %s; retrying with backoff", reason)
            for name in NOISY_DURING_OUTAGE:
                noisy = logging.getLogger(name)
                self.levels[name] = noisy.level
                noisy.setLevel(logging.ERROR)
        else:
            logger.debug("watch: still failing: %s", reason)

    def recovered(self) -> None:
        if self.since is None:
            return
        logger.warning(
            "watch: recovered after %.0fs and %d failed cycle(s)",
            time.monotonic() - self.since,
            self.failures,
        )
        self.restore_logging()
        self.since, self.failures = None, 0

    def restore_logging(self) -> None:
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)
        self.levels = {}

    def pause(self, interval: float) -> float:
        if not self.failures:
            return interval
        return min(max(interval, 1.0) * 2 ** (self.failures - 1), MAX_BACKOFF_SECONDS)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT/SIGTERM set ``stop``; handlers are restored afterwards. Only the main
    thread can install handlers; elsewhere (tests calling the service) ``stop`` is the
    only way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request_stop(signum: int, frame: Any) -> None:
        logger.info("watch: %s received, stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def sync_watch(
    *,
    interval: float = 2.0,
    sweep_every: float = 60.0,
    on_run: Callable[[SyncRun], None] | None = None,
    stop: threading.Event | None = None,
    max_cycles: int | None = None,
) -> WatchSummary:
    """Run incremental sync cycles until ``stop`` is set (or SIGINT/SIGTERM arrives);
    ``on_run`` is called with every run that was recorded (cycles with work)."""
    # Not `<= 0`: argparse's float() takes "nan" (which compares false with everything)
    # and "inf"; either made watch sync once and then wait forever.
    if not all(math.isfinite(seconds) and seconds > 0 for seconds in (interval, sweep_every)):
        raise ValueError("--interval and --sweep-every must be positive numbers of seconds")
    stop = stop or threading.Event()
    summary = WatchSummary()
    outage = _Outage()
    last_sweep: float | None = None
    partial_streak = 0

    def stop_between_batches(source: str, done: int, total: int) -> None:
        if stop.is_set():
            raise WatchStopped(f"stopped after {done} of {total} {source} row(s)")

    listener = ChangeListener()
    changes: list[Change] = []
    with _stop_on_signals(stop), _released(listener, outage):
        embedding_backend().load()  # load the model now, not on the first change
        logger.info(
            "watch: syncing every %gs, sweeping deletions every %gs (model %s)",
            interval,
            sweep_every,
            configured_model(),
        )
        while not stop.is_set():
            started = time.monotonic()
            sweep = last_sweep is None or started - last_sweep >= sweep_every
            summary.cycles += 1
            try:
                run = sync_watch_cycle(sweep=sweep, progress=stop_between_batches)
            except SyncLocked as exc:
                summary.refused_cycles += 1
                logger.debug("watch: cycle skipped: %s", exc)
                outage.recovered()
            except KeyboardInterrupt:  # WatchStopped: the run stopped after a batch
                stop.set()
                break
            except Exception as exc:  # PostgreSQL unreachable before a run could start
                summary.failed_cycles += 1
                outage.failed(error_line(exc))
                _drop_broken_connections()
            else:
                failed = run.status == SyncRun.Status.FAILED
                if run.pk is not None:
                    summary.runs.append(run.pk)
                    if on_run is not None:
                        on_run(run)
                elif not failed:
                    summary.idle_cycles += 1
                if sweep and not failed:
                    last_sweep = started
                    summary.sweeps += 1
                # A record that fails every time would otherwise add a run every cycle.
                partial_streak = partial_streak + 1 if run.status == SyncRun.Status.PARTIAL else 0
                if failed:
                    summary.failed_cycles += 1
                    outage.failed(run.error)
                    _drop_broken_connections()
                else:
                    outage.recovered()
                    _sync_removals(changes, on_run, summary)
            changes = []
            if max_cycles is not None and summary.cycles >= max_cycles:
                break
            pause = outage.pause(interval)
            if partial_streak:
                pause = min(max(pause, interval * 2**partial_streak), MAX_BACKOFF_SECONDS)
            pause -= time.monotonic() - started
            changes = _wait(stop, max(pause, 0.0), listener)
    logger.info("watch: stopped after %d cycle(s), %d run(s)", summary.cycles, len(summary.runs))
    return summary


@contextmanager
def _released(listener: ChangeListener, outage: _Outage) -> Iterator[None]:
    """However the loop ends: close the LISTEN connection, restore quietened loggers."""
    try:
        yield
    finally:
        listener.close()
        outage.restore_logging()


def _wait(stop: threading.Event, seconds: float, listener: ChangeListener) -> list[Change]:
    """Sleep ``seconds``, or less when a stop is requested or a change is notified (push
    mode, ``sync install-notify``); without notifications this is plain polling."""
    deadline = time.monotonic() + seconds
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return []
        try:
            changes = listener.wait(min(left, 0.5))
        except Exception:  # LISTEN unavailable (PostgreSQL down): poll
            stop.wait(left)
            return []
        if changes:
            return changes
    return []


def _sync_removals(
    changes: list[Change], on_run: Callable[[SyncRun], None] | None, summary: WatchSummary
) -> None:
    """Notified rows that were deleted or left the eligible statuses leave Chroma now
    (the incremental cycle already took care of the others; the sweep remains the
    safety net for anything missed here)."""
    by_source: dict[str, list[Change]] = {}
    for change in changes:
        # A change notified without its id (too long for a notification) is the sweep's.
        if change.op in ("UPDATE", "DELETE") and change.record_id is not None:
            by_source.setdefault(change.source.name, []).append(change)
    for grouped in by_source.values():
        source = grouped[0].source
        ids = list(dict.fromkeys(str(change.record_id) for change in grouped))
        try:
            eligible = selectors.source_eligible_ids(source, ids)
            # Outside the lock: read only, never create (a missing collection holds nothing).
            stored = collection_ids_present(
                source=source, record_ids=[i for i in ids if i not in eligible]
            )
            for record_id in stored:
                outcome = sync_record(
                    source=source.name, record_id=record_id, trigger=SyncRun.Trigger.WATCH
                )
                summary.runs.append(outcome.run.pk)
                if on_run is not None:
                    on_run(outcome.run)
        except CollectionMissing:
            continue  # nothing synced yet: nothing to remove
        except (RecordNotFound, SyncLocked) as exc:
            logger.debug("watch: removal left to the sweep: %s", exc)
        except Exception as exc:
            logger.warning("watch: removal left to the sweep: %s", error_line(exc))


def _drop_broken_connections() -> None:
    """Close every database connection so that the next cycle reconnects (Django does
    not reconnect a broken connection by itself outside a request)."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # already broken: nothing to release
            logger.debug("closing a broken connection failed", exc_info=True)
