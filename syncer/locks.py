"""One sync at a time per source: PostgreSQL session-level advisory locks.

Each lock is held on a connection of its own to halasync's database, so it is shared by
every process (CLI, web, worker) and dies with the session: a crashed process never
leaves a lock behind.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


class SyncLocked(RuntimeError):
    """Another sync holds the lock of a source."""

    def __init__(self, source: str, holder_run_id: int | None = None) -> None:
        self.source = source
        self.holder_run_id = holder_run_id
        running = f" (run #{holder_run_id})" if holder_run_id else ""
        super().__init__(
            f"another sync of {source} is running{running}; this one was not started. "
            "Wait for it to finish (see `manage.py sync stats`) and try again."
        )


def lock_key(source: str) -> int:
    """A stable signed 64-bit advisory lock key for a source."""
    digest = hashlib.blake2b(f"halasync:sync:{source}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def sync_lock(sources: Iterable[str], *, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the locks of ``sources`` for the duration of the block, or raise SyncLocked.

    Locks are taken in a fixed order so that two runs over overlapping sources cannot
    deadlock; ``wait_seconds`` > 0 retries until then before giving up.
    """
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        deadline = time.monotonic() + wait_seconds
        for source in sorted(set(sources)):
            while not _try_lock(connection, lock_key(source)):
                if time.monotonic() >= deadline:
                    from syncer.selectors import runs_running

                    holder = runs_running([source]).values_list("pk", flat=True).first()
                    raise SyncLocked(source, holder)
                time.sleep(0.1)
        yield
    finally:
        # Closing the session releases every advisory lock it holds.
        connection.close()


def _try_lock(connection, key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def sync_lock_free(sources: Iterable[str]) -> bool:
    """Whether no sync currently holds any of these sources (a snapshot, for APIs)."""
    try:
        with sync_lock(sources):
            return True
    except SyncLocked:
        return False
