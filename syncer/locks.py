"""One sync at a time per source: PostgreSQL session-level advisory locks.

Each lock is held on a connection of its own to halasync's database, so it is shared by
every process (CLI, web, worker) and dies with the session: a crashed process never
leaves a lock behind. A released session (``pg_advisory_unlock_all``) is kept for the
next sync of the process (opening one costs ~10 ms, as much as the rest of a single-record
sync's bookkeeping); a session that no longer answers is replaced.

With embedded Chroma, writers also take one lock for the Chroma directory: embedded
Chroma is not safe with two processes writing the same directory at once, whichever
collections they write. While a process holds the lock, its Chroma client is fresh (it
reopens it if another process wrote since) and is not reopened under its feet
(``syncer.chroma_client.chroma_write_session``), and transient PostgreSQL and Chroma
failures are retried (``syncer.retry.transient_retries``).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db import Error as DjangoDatabaseError

from syncer.retry import transient_retries

LOCK_POLL_SECONDS = 0.1
# Released lock sessions kept for reuse, per process (more only while syncs overlap).
IDLE_SESSIONS_KEPT = 2

_idle_sessions: list[tuple[int, Any]] = []  # (pid that opened it, connection)
_idle_sessions_lock = threading.Lock()


class SyncLocked(RuntimeError):
    """Another sync holds the lock of a source, or (``queued``) waits for a worker to
    run it; the message says which, and what to do."""

    def __init__(
        self,
        source: str,
        holder_run_id: int | None = None,
        *,
        what: str | None = None,
        queued: bool = False,
    ) -> None:
        self.source = source
        self.holder_run_id = holder_run_id
        self.queued = queued
        run = f" (run #{holder_run_id})" if holder_run_id else ""
        if queued:
            message = (
                f"a sync of {source} is already queued{run}, waiting for a worker; this one "
                "was not started. The worker (`manage.py qcluster`) runs the queued one: "
                "start it if it is not running"
            )
        else:
            what = what or f"another sync of {source} is running"
            message = (
                f"{what}{run}; this one was not started. "
                "Wait for it to finish (see `manage.py sync stats`) and try again"
            )
        super().__init__(f"{message}.")


class SyncLockLost(RuntimeError):
    """The session holding the lock ended (PostgreSQL restarted or killed it): another
    sync may have started, so this one must stop writing."""


def lock_key(source: str) -> int:
    """A stable signed 64-bit advisory lock key for a source."""
    digest = hashlib.blake2b(f"halasync:sync:{source}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass
class HeldLock:
    """The locks of one sync, held by a session of their own."""

    connection: Any
    sources: tuple[str, ...]

    def verify(self) -> None:
        """Raise SyncLockLost when the session holding the locks is gone.

        Called before each batch of writes: a run that lost its lock stops instead of
        writing alongside a sync that may have taken it meanwhile.
        """
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as exc:
            raise SyncLockLost(
                f"lost the sync lock of {', '.join(self.sources)}: the PostgreSQL session "
                f"holding it ended ({type(exc).__name__}: {str(exc).strip()[:200]}). The run "
                "stopped so that two syncs never write at once; run the sync again."
            ) from exc


@contextmanager
def sync_lock(
    sources: Iterable[str], *, wait_seconds: float = 0.0, retry_transient: bool = True
) -> Iterator[HeldLock]:
    """Hold the locks of ``sources`` for the duration of the block, or raise SyncLocked.

    Locks are taken in a fixed order (sources sorted, then the embedded Chroma
    directory) so that two runs over overlapping sources cannot deadlock;
    ``wait_seconds`` > 0 retries until then before giving up. Transient failures are
    retried within the block unless ``retry_transient`` is false (a caller that waits
    for the answer: an API request, an admin action).
    """
    from syncer.chroma_client import chroma_write_scope, chroma_write_session

    names = sorted(set(sources))
    connection = _session_take()
    released = False
    try:
        deadline = time.monotonic() + wait_seconds
        for name in names:
            _acquire(connection, lock_key(name), deadline, source=name, holders=[name])
        scope = chroma_write_scope()
        if scope:
            # Any running sync may be the one writing the directory.
            _acquire(
                connection,
                lock_key(scope),
                deadline,
                source=", ".join(names),
                holders=None,
                # Not the directory itself: this reason reaches API clients (409).
                what="another sync is writing embedded Chroma (CHROMA_PATH)",
            )
        with chroma_write_session(), transient_retries(enabled=retry_transient):
            yield HeldLock(connection=connection, sources=tuple(names))
    finally:
        # Closing the session releases every advisory lock it holds, but only once the
        # server process has ended, a moment later: unlock first, so that a sync started
        # right after this one (``sync watch``'s next cycle) is not refused.
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_all()")
            released = True
        except DjangoDatabaseError:  # the session is already gone, and its locks with it
            pass
        _session_return(connection, reusable=released)


def _session_take() -> Any:
    """A session for advisory locks: a kept one that still answers, or a new one."""
    pid = os.getpid()
    while True:
        with _idle_sessions_lock:
            if not _idle_sessions:
                break
            owner, connection = _idle_sessions.pop()
        if owner != pid:
            continue  # inherited through fork(): the parent's socket, never used here
        if connection.is_usable():
            return connection
        _session_close(connection)
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    connection.inc_thread_sharing()  # kept sessions serve whichever thread syncs next
    return connection


def _session_return(connection: Any, *, reusable: bool) -> None:
    if reusable:
        with _idle_sessions_lock:
            if len(_idle_sessions) < IDLE_SESSIONS_KEPT:
                _idle_sessions.append((os.getpid(), connection))
                return
    _session_close(connection)


def lock_sessions_close() -> None:
    """Close the kept lock sessions of this process (tests, before their database is
    dropped; otherwise they end with the process)."""
    with _idle_sessions_lock:
        kept = [connection for owner, connection in _idle_sessions if owner == os.getpid()]
        _idle_sessions.clear()
    for connection in kept:
        _session_close(connection)


def _session_close(connection: Any) -> None:
    try:
        connection.close()
    except DatabaseError:
        pass


def _acquire(
    connection: Any,
    key: int,
    deadline: float,
    *,
    source: str,
    holders: list[str] | None,
    what: str | None = None,
) -> None:
    while not _try_lock(connection, key):
        if time.monotonic() >= deadline:
            from syncer.selectors import runs_running

            holder = runs_running(holders).values_list("pk", flat=True).first()
            raise SyncLocked(source, holder, what=what)
        time.sleep(LOCK_POLL_SECONDS)


def _try_lock(connection: Any, key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return bool(cursor.fetchone()[0])
