"""A cap on the Chroma requests that interactive callers have in flight in this process.

Against a frozen Chroma server every request waits up to CHROMA_TIMEOUT_SECONDS, and the
breaker (``syncer.store``) stops asking only once one of them has timed out. Until then
every search, stats call, admin page or API single-record sync that arrives holds a web
thread: with gunicorn's 2 workers x 8 threads (gunicorn.conf.py), 16 searches left no
thread for health. At most CHROMA_INTERACTIVE_CONCURRENCY such requests wait for Chroma at
once per process; a request that cannot get a slot within SLOT_WAIT_SECONDS is refused at
once (the API answers 503 "Chroma is busy"), so the other threads stay free.

Not counted: syncs (``syncer.retry.transient_retries``: they hold the sync lock, retry
and report) and health's Chroma check (``uncounted``: at most one runs per process,
``syncer.bounded``, and health answers by its deadline whatever it does).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

logger = logging.getLogger(__name__)

# How long a request waits for a slot. A healthy server answers in milliseconds, so
# slots free up well within it; with a frozen one they are held for CHROMA_TIMEOUT_SECONDS.
SLOT_WAIT_SECONDS = 0.5
# Refusals are logged at most this often (a flood of searches must not flood the log).
REFUSALS_LOGGED_EVERY_SECONDS = 10.0

_uncounted: ContextVar[bool] = ContextVar("halasync_chroma_uncounted", default=False)


class SlotsTaken(RuntimeError):
    """Every slot stayed taken for SLOT_WAIT_SECONDS."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(
            f"Chroma is busy: all {size} interactive request slot(s) of this process "
            "(CHROMA_INTERACTIVE_CONCURRENCY) are held by requests still waiting for it; "
            "retry in a moment, and if this happens while the Chroma server answers "
            "promptly, raise CHROMA_INTERACTIVE_CONCURRENCY"
        )


class _Slots:
    """A bounded semaphore of CHROMA_INTERACTIVE_CONCURRENCY slots, made again when the
    setting changes (each holder releases the semaphore it took)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._size = 0
        self._semaphore: threading.BoundedSemaphore | None = None
        self._refused = 0
        self._logged_at = float("-inf")

    def semaphore(self) -> tuple[int, threading.BoundedSemaphore | None]:
        size = max(0, int(settings.CHROMA_INTERACTIVE_CONCURRENCY))
        with self._lock:
            if size != self._size or (size and self._semaphore is None):
                self._size = size
                self._semaphore = threading.BoundedSemaphore(size) if size else None
            return self._size, self._semaphore

    def refused(self, size: int) -> None:
        now = time.monotonic()
        with self._lock:
            self._refused += 1
            if now - self._logged_at < REFUSALS_LOGGED_EVERY_SECONDS:
                return
            count, self._refused, self._logged_at = self._refused, 0, now
        logger.warning(
            "Chroma is busy: refused %d request(s) at once, all %d slot(s) "
            "(CHROMA_INTERACTIVE_CONCURRENCY) being held by requests still waiting for it; "
            "a hung Chroma server holds them until CHROMA_TIMEOUT_SECONDS, otherwise raise "
            "CHROMA_INTERACTIVE_CONCURRENCY",
            count,
            size,
        )


_slots = _Slots()


@contextmanager
def interactive_slot() -> Iterator[None]:
    """Hold one of the process's slots for the block; raises SlotsTaken when none frees
    up within SLOT_WAIT_SECONDS. Inside ``uncounted``, or with the cap off (0), no slot
    is taken."""
    if _uncounted.get():
        yield
        return
    size, semaphore = _slots.semaphore()
    if semaphore is None:
        yield
        return
    if not semaphore.acquire(timeout=SLOT_WAIT_SECONDS):
        _slots.refused(size)
        raise SlotsTaken(size)
    try:
        yield
    finally:
        semaphore.release()


@contextmanager
def uncounted() -> Iterator[None]:
    """Chroma calls in this block (this thread) take no slot: for health's check."""
    token = _uncounted.set(True)
    try:
        yield
    finally:
        _uncounted.reset(token)
