"""The helpers for tests that need real processes, over the ones the benchmark shares
(``syncer.testing.processes``: free port, child with a log, stop by PID, `chroma run`):
halasync subprocesses on the test database, ``manage_json()``, waits that fail the
test, a TCP forwarder that cuts a subprocess off PostgreSQL (a network outage without restarting the
shared server), and a real `manage.py qcluster` worker. (Committed source rows are
emptied after each transactional test by conftest.)

Every process is started in its own session (its own process group), stopped by its PID
in a finally block, group included; waits are bounded polls.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from syncer.locks import SyncLocked, sync_lock
from syncer.testing.processes import (
    ROOT,
    ChromaServer,
    ProcessFailed,
    free_port,
    log_tail,
    notify_listened,
    poll_until,
    process_stop,
    running,
    spawn,
)

__all__ = [
    "ROOT",
    "ChromaServer",
    "Managed",
    "TcpProxy",
    "free_port",
    "gunicorn",
    "halasync_env",
    "health_answers",
    "log_tail",
    "manage_json",
    "notify_listened",
    "process_stop",
    "qcluster",
    "running",
    "spawn",
    "sync_lock_free",
    "wait_until",
]

GUNICORN_EXECUTABLE = Path(sys.executable).parent / "gunicorn"


def halasync_env(**extra: str) -> dict[str, str]:
    """Environment for a halasync subprocess working on this test's (committed) database,
    and on nothing a local .env might point elsewhere (``extra`` sets what the test needs,
    e.g. CHROMA_PATH, SYNC_LOG_FILE)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "halasync.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SOURCE_DATABASE_URL": "",
        "REDIS_URL": "",
        "CHROMA_HOST": "",
        # The same embedder as this test process (the test embedder unless the test is
        # marked `model`): a collection refuses a writer of another model.
        "EMBEDDING_MODEL": str(settings.EMBEDDING_MODEL),
        "PYTHONUNBUFFERED": "1",
        # halasync/test_settings.py keeps this REDIS_URL instead of clearing it.
        "HALASYNC_TEST_CHILD": "1",
        **extra,
    }


@dataclass(frozen=True)
class Managed:
    """What a `manage.py … --json` process left: its exit status, the one JSON object it
    printed on stdout, and its stderr."""

    returncode: int
    data: dict[str, Any]
    stderr: str


def manage_json(
    *args: str, env: dict[str, str], returncode: int | None = 0, timeout: float = 180
) -> Managed:
    """`python manage.py <args> --json` in a fresh process with ``env`` (usually
    ``halasync_env(...)``). Fails the test, with the end of stderr, unless it exits with
    ``returncode`` (None: any status) and its stdout is exactly one line holding one JSON
    object, as the command-line contract says."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args, "--json"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if returncode is not None and result.returncode != returncode:
        pytest.fail(
            f"manage.py {' '.join(args)} --json exited {result.returncode}, not {returncode}:"
            f"\n{result.stderr[-4000:]}"
        )
    lines = result.stdout.splitlines()
    assert len(lines) == 1, f"not one line of JSON on stdout: {result.stdout[-2000:]!r}"
    data = json.loads(lines[0])
    assert isinstance(data, dict), f"not a JSON object: {lines[0][:2000]}"
    return Managed(result.returncode, data, result.stderr)


def wait_until(
    predicate: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
    interval: float = 0.05,
) -> Any:
    """Poll until ``predicate()`` is truthy; fail with the process's output otherwise."""
    try:
        return poll_until(
            predicate, timeout=timeout, what=what, process=process, log=log, interval=interval
        )
    except ProcessFailed as exc:
        pytest.fail(str(exc))


def sync_lock_free(sources: Iterable[str]) -> bool:
    """Whether no sync (of any process) currently holds any of these sources."""
    try:
        with sync_lock(sources):
            return True
    except SyncLocked:
        return False


class TcpProxy:
    """A threaded TCP forwarder from a local port to ``target``: point a subprocess at
    ``port`` instead of the real server, then ``stop()`` to cut it off as a network outage
    does (every open connection is closed, new ones are refused: nothing listens) and
    ``start()`` to let it through again on the same port; or ``frozen()`` to make the
    server look hung (connections open and accepted, nothing answered). Also a context
    manager."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._flowing = threading.Event()
        self._flowing.set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self.connections = 0  # accepted since creation

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            open_sockets, self._sockets = self._sockets, set()
        if listener is not None:
            _close(listener)
        for sock in open_sockets:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by stop()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if self._listener is not listener:  # stopped meanwhile
                    _close(client)
                    _close(upstream)
                    return
                self._sockets |= {client, upstream}
                self.connections += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Nothing is forwarded in either direction until the block ends."""
        self._flowing.clear()
        try:
            yield
        finally:
            self._flowing.set()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self._flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:  # one side ended: end the other too, as a broken link would
            for sock in (source, sink):
                _close(sock)
            with self._lock:
                self._sockets -= {source, sink}

    def __enter__(self) -> TcpProxy:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # not connected, or already shut down
        pass
    sock.close()


@contextmanager
def qcluster(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A real worker, `python manage.py qcluster`, yielded once it says it is running."""
    with running([sys.executable, "manage.py", "qcluster"], env=env, log=log) as process:
        wait_until(
            lambda: "running." in log.read_text(errors="replace"),
            timeout=60,
            what="qcluster start",
            process=process,
            log=log,
            interval=0.25,
        )
        yield process


@contextmanager
def gunicorn(
    env: dict[str, str], log: Path, *options: str, stdout_log: Path | None = None
) -> Iterator[str]:
    """The web process as docs/operations.md runs it: gunicorn with the shipped
    gunicorn.conf.py, on a free port (``options`` are further command-line flags). Yields
    its base URL once health answers; stderr goes to ``log``, stdout to ``stdout_log`` (or
    ``log``)."""
    port = free_port()
    args = [str(GUNICORN_EXECUTABLE), "-c", str(ROOT / "gunicorn.conf.py")]
    args += ["--bind", f"127.0.0.1:{port}", *options]
    base = f"http://127.0.0.1:{port}"
    with running(args, env=env, log=log, stdout_log=stdout_log) as process:
        wait_until(
            lambda: health_answers(base),
            timeout=60,
            what="gunicorn",
            process=process,
            log=log,
            interval=0.2,
        )
        yield base


def health_answers(base: str) -> bool:
    """Whether the halasync web server at ``base`` answers its health endpoint (503 too)."""
    try:
        with urllib.request.urlopen(f"{base}/api/v1/sync/health", timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
