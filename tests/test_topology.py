"""The one-machine web + worker topology: one `chroma run` server shared by a CLI process,
the web process (this test process) and a real `manage.py qcluster` worker.

Also home of the helpers that start real processes for tests (test_schedules uses them):
every process gets its own session, is stopped by its PID's process group in a finally
block, and is waited for by bounded polling.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.models import SyncRun
from syncer.services.runs import sync_record, sync_run_enqueue
from syncer.services.schedules import schedule_specs, schedules_ensure
from syncer.store import chroma_reset, store_open
from tests.conftest import touch

ROOT = Path(__file__).resolve().parent.parent
CHROMA_EXECUTABLE = Path(sys.executable).parent / "chroma"
FAR_FUTURE = timedelta(days=365)
# The qcluster scheduler looks at due schedules every ~30 s, the first time ~30 s after
# start; a scheduled run may thus take two looks plus the worker's model load.
SCHEDULED_RUN_WAIT = 150.0


# --- process helpers ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def halasync_env(**extra: str) -> dict[str, str]:
    """Environment for a halasync subprocess working on this test's (committed) database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "halasync.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SOURCE_DATABASE_URL": "",
        "REDIS_URL": "",
        "CHROMA_HOST": "",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def log_tail(log: Path, lines: int = 40) -> str:
    if not log.exists():
        return "(no output)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def running(args: list[str], *, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A long-running process (server, worker), stopped by PID whatever happens."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its children stop with it
        )
    try:
        yield process
    finally:
        process_stop(process)


def process_stop(process: subprocess.Popen, *, grace: float = 15.0) -> None:
    if process.poll() is None:
        # The leader only: qcluster stops its own workers when asked (SIGTERM to the whole
        # group at once leaves its sentinel waiting for children that already died).
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Whatever is left of the group (a worker child that outlived its parent) goes too.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=grace)


def wait_until(
    predicate: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
    interval: float = 0.25,
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
            pytest.fail(f"{what}: not within {timeout:.0f}s:\n{log_tail(log) if log else ''}")
        time.sleep(interval)


@contextmanager
def chroma_server(path: Path, log: Path) -> Iterator[int]:
    """A real `chroma run` on a free port; yields the port once it answers."""
    port = free_port()
    args = [str(CHROMA_EXECUTABLE), "run", "--path", str(path)]
    args += ["--host", "127.0.0.1", "--port", str(port)]
    with running(args, env={**os.environ}, log=log) as process:

        def heartbeat() -> bool:
            url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(heartbeat, timeout=30, what="chroma run", process=process, log=log)
        yield port


@contextmanager
def qcluster(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A real worker: `python manage.py qcluster`."""
    with running([sys.executable, "manage.py", "qcluster"], env=env, log=log) as process:
        wait_until(
            lambda: "running." in log.read_text(errors="replace"),
            timeout=60,
            what="qcluster start",
            process=process,
            log=log,
        )
        yield process


def manage(*args: str, env: dict[str, str], timeout: float = 180) -> dict[str, Any]:
    """Run `manage.py <args> --json` in a fresh process; its one JSON object."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


def source_tables_clear() -> None:
    """Source tables are unmanaged, so transactional tests do not flush them: we do."""
    KnowledgeReference.objects.all().delete()
    JourneyTemplate.objects.all().delete()


def schedules_create_idle() -> None:
    """The default schedules, but none due until the test says so."""
    schedules_ensure()
    Schedule.objects.filter(name__in=[spec.name for spec in schedule_specs()]).update(
        next_run=timezone.now() + FAR_FUTURE
    )


def schedule_make_due(mode: str) -> None:
    name = next(spec.name for spec in schedule_specs() if spec.mode == mode)
    updated = Schedule.objects.filter(name=name).update(
        next_run=timezone.now() - timedelta(seconds=1)
    )
    assert updated == 1


def scheduled_run_finished() -> SyncRun | None:
    return SyncRun.objects.filter(
        trigger=SyncRun.Trigger.SCHEDULE, finished_at__isnull=False
    ).first()


# --- the test -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_cli_web_and_worker_share_one_chroma_server(
    tmp_path: Path, settings: Any, make_knowledge, make_journey
) -> None:
    source_tables_clear()
    try:
        make_knowledge(id="k1")
        k2 = make_knowledge(id="k2", title={"en": "Breathing slowly"})
        make_journey(id="j1")
        schedules_create_idle()

        with chroma_server(tmp_path / "chroma-server", tmp_path / "chroma.log") as port:
            env = halasync_env(
                CHROMA_HOST="127.0.0.1",
                CHROMA_PORT=str(port),
                CHROMA_PATH=str(tmp_path / "never-used"),
                SYNC_LOG_FILE=str(tmp_path / "sync.log"),
            )
            # Started first: its scheduler's first look comes ~30 s later, while the CLI
            # and the web process do their part.
            with qcluster(env, tmp_path / "qcluster.log") as worker:
                # 1. CLI process: full sync into the server.
                full = manage("sync", "full", env=env)
                assert full["status"] == "succeeded"
                assert full["counts"]["knowledge"]["upserted"] == 2
                assert full["counts"]["journeys"]["upserted"] == 1

                # 2. Web process (this one): sees the CLI's writes, syncs one record.
                settings.CHROMA_HOST = "127.0.0.1"
                settings.CHROMA_PORT = port
                chroma_reset()
                knowledge = store_open("knowledge_references", create=False)
                assert set(knowledge.metadatas(["k1", "k2"])) == {"k1", "k2"}
                make_knowledge(id="k3", title={"en": "Gratitude at night"})
                outcome = sync_record(
                    source="knowledge", record_id="k3", trigger=SyncRun.Trigger.API
                )
                assert outcome.action == "upserted"
                stats = manage("sync", "stats", env=env)  # the CLI sees the web's write
                assert stats["sources"]["knowledge"]["chroma_count"] == 3

                # 3. Worker: a scheduled incremental picks up a change and a deletion.
                touch(k2, title={"en": "Breathing slowly, counting to four"})
                JourneyTemplate.objects.filter(id="j1").delete()
                schedule_make_due(SyncRun.Mode.INCREMENTAL)
                run = wait_until(
                    scheduled_run_finished,
                    timeout=SCHEDULED_RUN_WAIT,
                    what="scheduled incremental run in qcluster",
                    process=worker,
                    log=tmp_path / "qcluster.log",
                    interval=0.5,
                )
                assert run.mode == SyncRun.Mode.INCREMENTAL, run.error
                assert run.status == SyncRun.Status.SUCCEEDED, run.error
                counts = {result.source: result for result in run.source_results.all()}
                # k2 changed; k3, written by the web process, was found unchanged.
                assert counts["knowledge"].upserted == 1
                assert counts["knowledge"].unchanged >= 1
                assert counts["journeys"].deleted == 1

                # The web process sees the worker's writes without reopening anything...
                text, _ = knowledge.records(["k2"])["k2"]
                assert "counting to four" in text
                journeys = store_open("journey_templates", create=False)
                assert journeys.metadatas(["j1"]) == {}
                # ...and so does a new CLI process.
                stats = manage("sync", "stats", env=env)
                assert stats["sources"]["knowledge"]["chroma_count"] == 3
                assert stats["sources"]["journeys"]["chroma_count"] == 0

                # 4. A run queued by the web process (API/admin) is run by the same worker.
                queued = sync_run_enqueue(
                    mode=SyncRun.Mode.FULL, trigger=SyncRun.Trigger.API, sources=None
                )
                assert queued.status == SyncRun.Status.QUEUED
                wait_until(
                    lambda: SyncRun.objects.get(pk=queued.pk).finished_at,
                    timeout=60,
                    what="queued run in qcluster",
                    process=worker,
                    log=tmp_path / "qcluster.log",
                )
                queued.refresh_from_db()
                assert queued.status == SyncRun.Status.SUCCEEDED, queued.error
                assert {r.source: r.unchanged for r in queued.source_results.all()} == {
                    "knowledge": 3,
                    "journeys": 0,
                }
    finally:
        chroma_reset()
        source_tables_clear()
