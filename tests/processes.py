"""The one home of the helpers for tests that need real processes: halasync subprocesses
on the test database, a `chroma run` server that a test can stop and start again, a TCP
forwarder that cuts a subprocess off PostgreSQL (a network outage without restarting the
shared server), and a real `manage.py qcluster` worker. (Committed source rows are
emptied after each transactional test by conftest.)

Every process is started in its own session (its own process group), stopped by its PID
in a finally block, group included; waits are bounded polls.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CHROMA_EXECUTABLE = Path(sys.executable).parent / "chroma"
GUNICORN_EXECUTABLE = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        **extra,
    }


def spawn(
    args: list[str], *, env: dict[str, str], log: Path, stdout_log: Path | None = None
) -> subprocess.Popen:
    """Start ``args`` with stdout and stderr in ``log`` (stdout in ``stdout_log`` if given)."""
    with log.open("ab") as output, (stdout_log or log).open("ab") as stdout:
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout if stdout_log else output,
            stderr=output if stdout_log else subprocess.STDOUT,
            start_new_session=True,
        )


@contextmanager
def running(
    args: list[str], *, env: dict[str, str], log: Path, stdout_log: Path | None = None
) -> Iterator[subprocess.Popen]:
    """A long-running process (server, worker), stopped by PID whatever happens."""
    process = spawn(args, env=env, log=log, stdout_log=stdout_log)
    try:
        yield process
    finally:
        process_stop(process)


def process_stop(process: subprocess.Popen, *, grace: float = 15.0) -> None:
    """Stop the process and its group (by PID), whatever state it is in."""
    if process.poll() is None:
        # The leader only: qcluster stops its own workers when asked (SIGTERM to the whole
        # group at once leaves its sentinel waiting for children that already died).
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Whatever is left of the group (a worker child that outlived its parent) goes too.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=grace)


def log_tail(log: Path | None, lines: int = 40) -> str:
    if log is None or not log.exists():
        return "(no output)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


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
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process exited ({process.returncode}):\n{log_tail(log)}")
        if time.monotonic() >= deadline:
            pytest.fail(f"{what}: not within {timeout:.0f}s:\n{log_tail(log)}")
        time.sleep(interval)


class ChromaServer:
    """A real `chroma run` on a fixed directory and port, that a test stops and restarts;
    also a context manager (started on entry, stopped on exit)."""

    def __init__(self, path: Path, log: Path) -> None:
        self.path, self.log = path, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        args = [str(CHROMA_EXECUTABLE), "run", "--path", str(self.path)]
        args += ["--host", "127.0.0.1", "--port", str(self.port)]
        self.process = spawn(args, env={**os.environ}, log=self.log)
        try:
            wait_until(
                self.answers, timeout=30, what="chroma run", process=self.process, log=self.log
            )
        except BaseException:
            self.stop()  # never left running by a start that failed
            raise

    def answers(self) -> bool:
        url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def kill(self) -> None:
        """Gone at once, as a crashed server or machine is (SIGKILL)."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            process_stop(self.process)
            self.process = None

    @contextmanager
    def frozen(self, *, at_most: float) -> Iterator[None]:
        """The server stopped with SIGSTOP (its connections stay open, nothing answers, as
        with a hung process), resumed with SIGCONT on exit or after ``at_most`` seconds,
        whichever comes first: code that waits for it without a timeout then sees it
        answer again (and a test of that code fails instead of hanging)."""
        assert self.process is not None, "the server is not running"
        group = self.process.pid
        os.killpg(group, signal.SIGSTOP)
        resume = threading.Timer(at_most, _resume, args=(group,))
        resume.daemon = True
        resume.start()
        try:
            yield
        finally:
            resume.cancel()
            _resume(group)

    def __enter__(self) -> ChromaServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _resume(group: int) -> None:
    try:
        os.killpg(group, signal.SIGCONT)
    except ProcessLookupError:
        pass


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
