"""Real processes for the test suite and the benchmark: a free local port, a child with
its output in a log, stopped by its PID (its process group included), and a `chroma run`
server that can be stopped, killed, frozen and started again.

Every process is started in its own session (its own process group); waits are bounded
polls. Nothing here needs pytest: ``tests/processes.py`` adds the fixtures and the
waits that fail a test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMA_EXECUTABLE = Path(sys.executable).parent / "chroma"


class ProcessFailed(RuntimeError):
    """A process exited, or did not get ready in time; the message ends with its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    args: list[str],
    *,
    env: dict[str, str],
    log: Path,
    stdout_log: Path | None = None,
    grace: float = 15.0,
) -> Iterator[subprocess.Popen]:
    """A long-running process (server, worker), stopped by PID whatever happens."""
    process = spawn(args, env=env, log=log, stdout_log=stdout_log)
    try:
        yield process
    finally:
        process_stop(process, grace=grace)


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


def poll_until(
    predicate: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
    interval: float = 0.05,
) -> Any:
    """Poll until ``predicate()`` is truthy and return it; raise ProcessFailed, with the
    process's output, when the process exits first or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise ProcessFailed(
                f"{what}: the process exited ({process.returncode}):\n{log_tail(log)}"
            )
        if time.monotonic() >= deadline:
            raise ProcessFailed(f"{what}: not within {timeout:.0f}s:\n{log_tail(log)}")
        time.sleep(interval)


def peak_rss_mb(pid: int) -> float:
    """A live process's peak RSS (VmHWM) from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def notify_listened() -> bool:
    """Whether a session on the source database LISTENs on the notify channel (``sync
    watch`` once it is ready for push mode)."""
    from django.db import connections

    from halasync.routers import source_alias
    from syncer.services.notify import CHANNEL

    with connections[source_alias()].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND query = %s",
            [f"LISTEN {CHANNEL}"],
        )
        return bool(cursor.fetchone()[0])


class ChromaServer:
    """A real `chroma run` on a fixed directory and port, that a caller stops and
    restarts; also a context manager (started on entry, stopped on exit)."""

    def __init__(self, path: Path, log: Path, *, start_timeout: float = 30.0) -> None:
        self.path, self.log = path, log
        self.start_timeout = start_timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        args = [str(CHROMA_EXECUTABLE), "run", "--path", str(self.path)]
        args += ["--host", "127.0.0.1", "--port", str(self.port)]
        self.process = spawn(args, env={**os.environ}, log=self.log)
        try:
            poll_until(
                self.answers,
                timeout=self.start_timeout,
                what="chroma run",
                process=self.process,
                log=self.log,
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

    def peak_rss_mb(self) -> float:
        assert self.process is not None, "the server is not running"
        return peak_rss_mb(self.process.pid)

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
