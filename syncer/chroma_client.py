"""The process's Chroma client: built once from settings, reopened when stale.

Embedded (``PersistentClient`` at ``CHROMA_PATH``) or a Chroma server (``HttpClient``)
when ``CHROMA_HOST`` is set, whose every request times out after CHROMA_TIMEOUT_SECONDS
(``syncer.chroma_http``). A server that cannot be reached, or does not answer in time, is
``ChromaUnavailable`` (after the retries, within a sync; outside a sync a server that
timed out is not asked again for a while: ``_Breaker``). An embedded client is reopened
when another process finished writing since it was opened, which is read from the
SyncRun history (embedded Chroma does not see other processes' writes otherwise).
Collections are ``syncer.store``'s.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from django.conf import settings

from syncer import chroma_slots, retry
from syncer.chroma_http import http_client
from syncer.retry import error_line

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How often (at most) a process reading embedded Chroma asks PostgreSQL whether another
# process wrote since it opened its client.
STALE_CHECK_SECONDS = 1.0


class StoreError(RuntimeError):
    """Chroma cannot be used as configured; the message says what to do."""


class ChromaUnavailable(StoreError):
    """The Chroma server cannot be reached or did not answer within CHROMA_TIMEOUT_SECONDS
    (within a sync: after the retries). Says which, but names no host or port (the
    message reaches run records and API clients; the log has the address)."""


class ChromaStorageUnusable(ChromaUnavailable):
    """Embedded Chroma cannot be opened at CHROMA_PATH (missing or unwritable directory,
    a file in its place, a full disk): the message says so and what to check, without the
    path (the log has it)."""


class ChromaDiskFull(ChromaStorageUnusable):
    """The disk holding embedded Chroma's directory has less room than
    CHROMA_MIN_FREE_MB: nothing more is written (a Chroma whose disk fills stops answering
    and held a sync, with its lock, for good)."""


class ChromaBusy(ChromaUnavailable):
    """Refused without asking Chroma: every slot for interactive requests is held by a
    request still waiting for it (``syncer.chroma_slots``)."""


class _Breaker:
    """After a Chroma request outside a sync timed out, the process stops asking the
    server for CHROMA_BREAKER_SECONDS: searches, stats and admin pages answer at once
    (503) instead of each holding a web thread for CHROMA_TIMEOUT_SECONDS against a frozen
    server, which left none for health. Syncs are not affected: they retry and report."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._reason = ""

    def check(self) -> None:
        with self._lock:
            remaining = self._open_until - time.monotonic()
            reason = self._reason
        if remaining > 0:
            raise ChromaUnavailable(
                f"the Chroma server {reason} a moment ago; not asking it again for {remaining:.0f}s"
            )

    def trip(self, reason: str) -> None:
        seconds = float(settings.CHROMA_BREAKER_SECONDS)
        if seconds <= 0:
            return
        with self._lock:
            self._open_until = time.monotonic() + seconds
            self._reason = reason

    def reset(self) -> None:
        with self._lock:
            self._open_until, self._reason = 0.0, ""


_breaker = _Breaker()


def chroma_retry(operation: Callable[[], T], *, what: str) -> T:
    """``operation()`` against Chroma, retried within a sync (``syncer.retry``); a server
    still unreachable afterwards raises ChromaUnavailable. Inside an attempt of another
    retried operation the error passes as it is: the outermost reports it. Outside a
    sync, a server that timed out a moment ago is not asked again (``_Breaker``), and at
    most CHROMA_INTERACTIVE_CONCURRENCY calls of this process wait for it at once
    (``syncer.chroma_slots``; the others raise ChromaBusy at once)."""
    interactive = settings.CHROMA_HOST and not retry.retries_enabled()
    outermost = interactive and not retry.retry_nested()
    if outermost:
        _breaker.check()
    try:
        with _interactive_slot() if outermost else nullcontext():
            return retry.chroma_retry(operation, what=what)
    except StoreError:
        raise
    except Exception as exc:
        if retry.retry_nested() or not retry.is_transient_chroma_error(exc):
            raise
        if retry.is_timeout(exc):
            reason = f"did not answer within {settings.CHROMA_TIMEOUT_SECONDS:g}s"
            if interactive:
                _breaker.trip(reason)
        else:
            reason = "cannot be reached"
        message = f"the Chroma server {reason}: {error_line(exc)}"
        logger.warning("Chroma at %s: %s", chroma_location(), message)
        raise ChromaUnavailable(message) from exc


@contextmanager
def _interactive_slot() -> Iterator[None]:
    """One of the process's slots for interactive Chroma requests (``syncer.chroma_slots``),
    or ChromaBusy at once when they are all held by requests waiting for Chroma."""
    try:
        with chroma_slots.interactive_slot():
            yield
    except chroma_slots.SlotsTaken as exc:
        raise ChromaBusy(str(exc)) from None


@dataclass
class _OpenClient:
    key: tuple[Any, ...]
    client: ClientAPI
    # Embedded only: the runs that could still write when the client was opened (None
    # when PostgreSQL could not be asked), and when staleness was last checked.
    runs_seen: Any = None
    checked_at: float = 0.0


_client_lock = threading.RLock()
_client: _OpenClient | None = None
_write_sessions = 0  # writers in this process (holding the sync lock) right now
_own_runs: set[int] = set()  # runs this process executed: they wrote through its client


def _client_key() -> tuple[Any, ...]:
    # The pid: a client inherited through fork() is never reused by the child.
    if settings.CHROMA_HOST:
        timeout = float(settings.CHROMA_TIMEOUT_SECONDS)
        return ("http", settings.CHROMA_HOST, int(settings.CHROMA_PORT), timeout, os.getpid())
    return ("embedded", str(settings.CHROMA_PATH), os.getpid())


def chroma_client() -> ClientAPI:
    """The process's Chroma client for the current settings (built once, then reused).

    An embedded client is reopened when another process finished writing since it was
    opened (embedded Chroma does not see other processes' writes otherwise); this is
    checked at most every STALE_CHECK_SECONDS, and never while this process writes.
    """
    global _client
    key = _client_key()
    with _client_lock:
        current = _client
        if (
            current is not None
            and current.key == key
            and key[0] == "embedded"
            and _write_sessions == 0
            and time.monotonic() - current.checked_at >= STALE_CHECK_SECONDS
        ):
            _reopen_if_stale(current)
        if _client is None or _client.key != key:
            _client = chroma_retry(lambda: _client_open(key), what="connecting to Chroma")
        return _client.client


def _client_open(key: tuple[Any, ...]) -> _OpenClient:
    if key[0] == "http":
        return _OpenClient(key=key, client=http_client(host=key[1], port=key[2]))
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    # Taken before opening: a run finishing in between makes the client look stale
    # (one needless reopen) rather than fresh.
    runs_seen = _runs_snapshot()
    SharedSystemClient.clear_system_cache()  # else a cached, possibly stale, system returns
    try:
        client = chromadb.PersistentClient(path=key[1], settings=chroma_settings)
    except Exception as exc:
        # Chroma raises a bare InternalError ("Not a directory (os error 20)", "database or
        # disk is full") that every caller passed on as it is: a traceback from search,
        # verify and single-record syncs, "collection cannot be read, rebuild it" from
        # stats, a 500 from the API.
        SharedSystemClient.clear_system_cache()
        logger.error("embedded Chroma at %s cannot be opened: %s", key[1], error_line(exc))
        raise ChromaStorageUnusable(
            f"embedded Chroma cannot be opened ({error_line(exc)}): CHROMA_PATH must be a "
            "directory this process can write, on a disk with free space"
        ) from exc
    return _OpenClient(key=key, client=client, runs_seen=runs_seen, checked_at=time.monotonic())


def _runs_snapshot() -> Any:
    from syncer.selectors import runs_snapshot

    try:
        return runs_snapshot()
    except Exception as exc:  # PostgreSQL unavailable: decided at the next check
        logger.debug("cannot read the run history: %s", exc)
        return None


def _reopen_if_stale(current: _OpenClient) -> None:
    """Forget ``current`` if another process wrote since it was opened (lock held)."""
    global _client
    from syncer.selectors import runs_finished_since

    try:
        if current.runs_seen is None:
            # Opened without knowing the run history: reopen once it can be known.
            stale = _runs_snapshot() is not None
        else:
            stale = runs_finished_since(current.runs_seen, excluding=_own_runs)
    except Exception as exc:  # PostgreSQL unavailable: keep serving what we have
        logger.debug("cannot check whether embedded Chroma changed: %s", exc)
        stale = False
    current.checked_at = time.monotonic()
    if stale:
        logger.info(
            "another process wrote to embedded Chroma since this process opened it: reopening"
        )
        _client = None
        SharedSystemClient.clear_system_cache()


def chroma_reset() -> None:
    """Forget the client (and embedded Chroma's per-path cache); the next call reopens.
    A Chroma server that timed out is asked again from now on."""
    global _client
    _breaker.reset()
    with _client_lock:
        _client = None
        SharedSystemClient.clear_system_cache()


def chroma_kind() -> str:
    """How Chroma is reached, for clients: "embedded" or "server" (never where)."""
    return "server" if settings.CHROMA_HOST else "embedded"


def chroma_location() -> str:
    """Where Chroma is, for the log and the operator's terminal (clients get
    ``chroma_kind``, and messages through ``error_public``)."""
    key = _client_key()
    return f"server {key[1]}:{key[2]}" if key[0] == "http" else f"directory {key[1]}"


def chroma_write_scope() -> str | None:
    """What a writer must hold a lock on besides its sources: the embedded Chroma
    directory (two processes must never write it at once); None for a Chroma server."""
    if settings.CHROMA_HOST:
        return None
    return f"chroma-dir:{Path(settings.CHROMA_PATH).resolve()}"


@contextmanager
def chroma_write_session() -> Iterator[None]:
    """Bracket the writes of a sync that holds the lock (``syncer.locks.sync_lock``).

    An embedded client is first reopened if another process wrote since it was opened
    (writing through a stale client would overwrite the other process's work), then it
    is not reopened until the session ends.
    """
    global _write_sessions
    with _client_lock:
        current = _client
        if current is not None and current.key[0] == "embedded" and _write_sessions == 0:
            _reopen_if_stale(current)
        _write_sessions += 1
    try:
        yield
    finally:
        with _client_lock:
            _write_sessions -= 1


def chroma_run_started(run_id: int) -> None:
    """Note a run executed by this process: its writes do not make the client stale."""
    with _client_lock:
        _own_runs.add(run_id)


def chroma_writing() -> bool:
    """Whether a sync holding the lock writes through this process's client right now."""
    return _write_sessions > 0
