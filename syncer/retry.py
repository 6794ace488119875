"""Bounded retries with backoff for the failures that pass: a dropped PostgreSQL connection,
a Chroma server restarting.

Only connection-level errors are retried. Bad data (a value Chroma rejects, a SQL error)
fails at once: retrying it would only repeat it. After ``SYNC_RETRY_ATTEMPTS`` attempts
the last error is raised as ``RetriesExhausted``, whose message says what was being done,
how often it was tried and why it failed; the run then ends ``failed`` with that reason.

Retries apply within ``transient_retries()``, which every sync holds with its lock:
unattended runs ride out a restart. Interactive reads outside a sync (search, stats,
health, admin pages) try once and report the failure at once instead of hanging.

The budget applies once per operation, however deeply retried operations nest (opening a
collection opens the client, both retried): the outermost retries, every call inside one
of its attempts tries once and leaves the retrying to it. Otherwise the attempts
multiply (6 x 6 attempts, nearly two minutes instead of about 15 s).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from chromadb.errors import ChromaError
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_BACKOFF_SECONDS = 30.0
# A Chroma server answering these is up but cannot serve right now (proxy, restart).
TRANSIENT_HTTP_STATUSES = frozenset({502, 503, 504})

_retrying: ContextVar[bool] = ContextVar("halasync_transient_retries", default=False)


@dataclass
class _Attempt:
    """One attempt of the outermost retried operation under way in this context.

    Calls nested in it try once; when one fails transiently, the error it saw and its
    ``before_retry`` (say, reconnecting to PostgreSQL) are handed to the outermost, which
    may retry for a different kind of failure (a Chroma call inside a database retry).
    """

    transient_errors: list[BaseException] = field(default_factory=list)
    before_retry: list[Callable[[], None]] = field(default_factory=list)

    def saw_transient(self, exc: BaseException) -> bool:
        return any(cause in self.transient_errors for cause in _causes(exc))


_attempt: ContextVar[_Attempt | None] = ContextVar("halasync_retry_attempt", default=None)


@contextmanager
def transient_retries(*, enabled: bool = True) -> Iterator[None]:
    """Retry transient failures (SYNC_RETRY_ATTEMPTS in all) within this block;
    ``enabled=False``: try once, for a caller that waits for the answer (an API request)."""
    token = _retrying.set(enabled)
    try:
        yield
    finally:
        _retrying.reset(token)


def retries_enabled() -> bool:
    """Whether this runs within ``transient_retries()`` (a sync), not an interactive call."""
    return _retrying.get()


def retry_nested() -> bool:
    """Whether this runs inside an attempt of a retried operation (which will retry or
    report the failure itself)."""
    return _attempt.get() is not None


class RetriesExhausted(RuntimeError):
    """A transient failure did not pass within the retry budget."""


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it was raised from or while handling (bounded)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


# SQLSTATEs of an OperationalError that are about the connection, not the statement:
# class 08 (connection exception), the server shutting down or restarting (57P01-57P03),
# too many connections (53300), and a serialization failure or deadlock (40001, 40P01),
# which PostgreSQL asks the client to retry. Other OperationalErrors are the statement's
# own (a value over a program limit, 54000; a statement timeout, 57014; a full disk,
# 53100): retrying repeats them.
TRANSIENT_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300", "40001", "40P01"})


def is_transient_database_error(exc: BaseException) -> bool:
    """The connection to PostgreSQL broke or could not be made (not a bad query)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = next(
        (code for cause in _causes(exc) if (code := getattr(cause, "sqlstate", None))), None
    )
    if sqlstate is None:  # no answer from the server at all: it could not be reached
        return True
    return sqlstate.startswith("08") or sqlstate in TRANSIENT_SQLSTATES


def is_transient_chroma_error(exc: BaseException) -> bool:
    """The Chroma server could not be reached or answered "unavailable".

    The HTTP client raises httpx transport errors, wraps a refused connection at client
    creation in a ValueError, and turns error statuses into a bare Exception raised while
    handling the httpx status error: all three are recognised through the exception chain.
    """
    for cause in _causes(exc):
        if isinstance(cause, httpx.TransportError):
            return True
        if isinstance(cause, httpx.HTTPStatusError):
            return cause.response.status_code in TRANSIENT_HTTP_STATUSES
    return False


def is_timeout(exc: BaseException) -> bool:
    """The failure was a request that got no answer in time (httpx timeout)."""
    return any(isinstance(cause, httpx.TimeoutException) for cause in _causes(exc))


# What a Chroma 1.5 server says in the JSON body of its 413 for a body over its limit
# (40 MiB) on some routes (get, delete): the client raises it as a bare ChromaError,
# without the status or the httpx error (other routes keep the httpx error as context).
BODY_LIMIT_MESSAGE = "length limit exceeded"


def payload_too_large(exc: BaseException) -> bool:
    """The Chroma server refused a request body as too large (HTTP 413)."""
    return any(
        (isinstance(cause, httpx.HTTPStatusError) and cause.response.status_code == 413)
        or (isinstance(cause, ChromaError) and BODY_LIMIT_MESSAGE in str(cause))
        for cause in _causes(exc)
    )


def backoff_seconds(attempt: int) -> float:
    """The pause after failed attempt number ``attempt`` (1-based): doubling, jittered."""
    base = float(settings.SYNC_RETRY_BACKOFF_SECONDS) * 2 ** (attempt - 1)
    return min(base, MAX_BACKOFF_SECONDS) * random.uniform(0.9, 1.1)


def call_with_retries(
    operation: Callable[[], T],
    *,
    what: str,
    transient: Callable[[BaseException], bool],
    before_retry: Callable[[], None] | None = None,
) -> T:
    """``operation()``, retried on transient errors; raises RetriesExhausted after the last.

    Inside an attempt of another retried operation it tries once: the outermost owns the
    budget (see the module docstring).
    """
    outer = _attempt.get()
    if outer is not None:
        try:
            return operation()
        except Exception as exc:
            if transient(exc):
                outer.transient_errors.append(exc)
                if before_retry is not None:
                    outer.before_retry.append(before_retry)
            raise
    attempts = max(1, int(settings.SYNC_RETRY_ATTEMPTS)) if _retrying.get() else 1
    started = time.monotonic()
    for attempt in range(1, attempts + 1):
        current = _Attempt()
        token = _attempt.set(current)
        try:
            return operation()
        except Exception as exc:
            if not (transient(exc) or current.saw_transient(exc)) or attempts == 1:
                raise
            if attempt == attempts:
                elapsed = time.monotonic() - started
                raise RetriesExhausted(
                    f"{what}: gave up after {attempts} attempt(s) over {elapsed:.1f}s: "
                    f"{type(exc).__name__}: {_first_line(exc)}"
                ) from exc
            error = exc
        finally:
            _attempt.reset(token)
        pause = backoff_seconds(attempt)
        logger.warning(
            "%s failed (%s: %s); retrying in %.1fs (attempt %d of %d)",
            what,
            type(error).__name__,
            _first_line(error),
            pause,
            attempt + 1,
            attempts,
        )
        time.sleep(pause)
        hooks = [before_retry] if before_retry is not None else []
        for hook in dict.fromkeys([*hooks, *current.before_retry]):
            hook()
    raise AssertionError("unreachable")  # pragma: no cover


def database_retry(operation: Callable[[], T], *, what: str, using: str = DEFAULT_DB_ALIAS) -> T:
    """``operation()`` against PostgreSQL, reconnecting between attempts.

    Django does not reconnect a broken connection by itself within one request or
    command: it is closed here so that the next query opens a new one. Inside a
    transaction nothing can be retried (the transaction is lost), so errors pass through.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        return operation()

    def reconnect() -> None:
        try:
            connection.close()
        except Exception:  # the connection is already broken: nothing to release
            logger.debug("closing a broken %s connection failed", using, exc_info=True)

    return call_with_retries(
        operation, what=what, transient=is_transient_database_error, before_retry=reconnect
    )


def chroma_retry(operation: Callable[[], T], *, what: str) -> T:
    """``operation()`` against Chroma, retried while the server is unreachable."""
    return call_with_retries(operation, what=what, transient=is_transient_chroma_error)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:500]


def error_line(exc: BaseException) -> str:
    """``Type: first line of the message``, at most 500 characters, for a one-line log or
    reason (PostgreSQL's messages span several lines)."""
    return f"{type(exc).__name__}: {_first_line(exc)}"[:500]
