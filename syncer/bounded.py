"""Calls that are waited for up to a deadline, whatever the dependency they use does.

Python cannot interrupt a thread blocked in a socket read (a frozen PostgreSQL or Chroma
server answers nothing and closes nothing), so the call runs on a thread of its own and
the caller stops waiting at its deadline. A late call is abandoned, not stopped: it ends
when the dependency answers or its own timeouts fire (CHROMA_TIMEOUT_SECONDS; a
PostgreSQL query has none). At most one call per name runs at a time in a process: a
caller that finds one under way waits for that one instead of starting another, so a
frozen dependency holds one thread, not one per request.

With ``share_databases`` the call uses the caller's database connections, so it sees
what the caller would see (an open transaction included). The caller does not touch
them while it waits; if it stops waiting, they are handed over to the call, which closes
them when it ends, and the caller continues on new connections.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections


class TooSlow(TimeoutError):
    """The call did not finish in time (it may still be running)."""


@dataclass
class _Call:
    started: float
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    result: Any = None
    error: BaseException | None = None
    shared: dict[str, Any] = field(default_factory=dict)  # alias -> the caller's connection
    owner: int | None = None  # the thread whose connections are shared
    abandoned: bool = False


_calls: dict[str, _Call] = {}
_calls_lock = threading.Lock()


class BoundedCall:
    """``fn()`` started on its own thread (or joined, when one of that name runs)."""

    def __init__(self, name: str, fn: Callable[[], Any], *, share_databases: bool = False):
        self.name = name
        with _calls_lock:
            call = _calls.get(name)
            self.joined = call is not None
            if call is None:
                call = _Call(started=time.monotonic())
                if share_databases:
                    call.owner = threading.get_ident()
                    for alias in connections:
                        connection = connections[alias]
                        connection.inc_thread_sharing()
                        call.shared[alias] = connection
                _calls[name] = call
                threading.Thread(
                    target=_run, args=(name, call, fn), name=f"halasync-{name}", daemon=True
                ).start()
        self._call = call

    @property
    def age(self) -> float:
        """Seconds since the call started (it may have been started by another caller)."""
        return time.monotonic() - self._call.started

    def result(self, *, deadline: float) -> Any:
        """The call's result (or its exception) if it ends before ``deadline``
        (``time.monotonic()``); TooSlow otherwise."""
        call = self._call
        finished = call.done.wait(max(0.0, deadline - time.monotonic()))
        with call.lock:
            if not finished and not call.done.is_set():
                if call.owner == threading.get_ident():
                    call.abandoned, call.owner = True, None
                    for alias in call.shared:
                        connections[alias] = connections.create_connection(alias)
                raise TooSlow(f"{self.name} did not finish in time")
            if call.owner == threading.get_ident() and not call.abandoned:
                for connection in call.shared.values():
                    connection.dec_thread_sharing()
                call.owner = None
        if call.error is not None:
            raise call.error
        return call.result


def _run(name: str, call: _Call, fn: Callable[[], Any]) -> None:
    for alias, connection in call.shared.items():
        connections[alias] = connection
    try:
        call.result = fn()
    except BaseException as exc:  # handed to the caller
        call.error = exc
    finally:
        with _calls_lock:
            _calls.pop(name, None)
        with call.lock:
            call.done.set()
            abandoned = call.abandoned
        for alias in connections:
            # This thread's own connections, and those handed over by a caller that left.
            if alias not in call.shared or abandoned:
                _close_quietly(connections[alias])


def _close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except Exception:  # already broken: nothing to release
        pass
