"""One writer at a time, from any process: refusals, waiting, and what a killed process
leaves behind (no lock; a run marked failed "abandoned" by the next run)."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from syncer.locks import SyncLocked, sync_lock
from syncer.models import SyncRun
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute
from syncer.store import store_open
from tests.processes import halasync_env, process_stop, spawn, sync_lock_free, wait_until

# A process that takes the locks of both sources the way a sync does, records itself as
# a running run, says so, and then waits to be killed.
HOLD_THE_LOCK = """
import time
import django
django.setup()
from django.utils import timezone
from syncer.locks import sync_lock
from syncer.models import SyncRun
with sync_lock(["knowledge", "journeys"]):
    run = SyncRun.objects.create(
        mode="full", trigger="cli", sources=["knowledge", "journeys"],
        status="running", started_at=timezone.now(),
    )
    print(f"holding the lock for run {run.pk}", flush=True)
    time.sleep(600)
"""


def cli(*args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    try:
        call_command("sync", *args, "--json", stdout=out)
    except CommandError as error:
        return error.returncode, json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def holder_run_id(log: Path) -> int | None:
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("holding the lock for run "):
            return int(line.rsplit(" ", 1)[1])
    return None


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_a_killed_lock_holder_leaves_no_lock_and_its_run_is_marked_abandoned(
    chroma: str, tmp_path: Path, settings: Any, make_knowledge: Any
) -> None:
    make_knowledge(id="k1")
    log = tmp_path / "holder.log"
    env = halasync_env(CHROMA_PATH=chroma, SYNC_LOG_FILE=str(tmp_path / "sync.log"))
    holder = spawn([sys.executable, "-c", HOLD_THE_LOCK], env=env, log=log)
    try:
        dead_run = wait_until(
            lambda: holder_run_id(log), timeout=60, what="lock holder", process=holder, log=log
        )

        # Full and incremental runs from this process are refused at once: exit 3.
        for args in (["full"], ["incremental", "--source", "journeys"]):
            started = time.monotonic()
            code, body = cli(*args)
            assert code == 3
            assert time.monotonic() - started < 2
            assert "is running" in body["error"] and "not started" in body["error"]
            assert body["holder_run_id"] == dead_run

        # A single-record sync waits SYNC_LOCK_WAIT_SECONDS, then gives the same refusal.
        settings.SYNC_LOCK_WAIT_SECONDS = 1.0
        started = time.monotonic()
        with pytest.raises(SyncLocked, match="another sync of knowledge is running"):
            sync_record(source="knowledge", record_id="k1", trigger="api")
        assert 1.0 <= time.monotonic() - started < 5
        assert list(SyncRun.objects.values_list("pk", flat=True)) == [dead_run]

        # kill -9: the lock dies with the process's database session...
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        wait_until(
            lambda: sync_lock_free(["knowledge", "journeys"]), timeout=10, what="lock released"
        )
        # ...and the next run closes the run it left behind.
        run = sync_run_execute(mode="full", trigger="cli")
        assert run.status == SyncRun.Status.SUCCEEDED
        dead = SyncRun.objects.get(pk=dead_run)
        assert dead.status == SyncRun.Status.FAILED
        assert dead.error.startswith("abandoned")
        assert dead.finished_at is not None
        assert store_open("knowledge_references").count() == 1
    finally:
        process_stop(holder)


@pytest.mark.usefixtures("chroma")
def test_single_record_sync_goes_ahead_when_the_lock_is_released_while_it_waits(
    make_knowledge: Any, settings: Any
) -> None:
    reference = make_knowledge()
    settings.SYNC_LOCK_WAIT_SECONDS = 10
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with sync_lock(["knowledge"]):
            taken.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert taken.wait(timeout=10)
        threading.Timer(0.5, release.set).start()
        started = timezone.now()
        outcome = sync_record(source="knowledge", record_id=reference.id, trigger="api")
    finally:
        release.set()
        thread.join(timeout=10)
    assert outcome.action == "upserted"
    # The run started (got the lock) once the holder let go, not before, not much later.
    waited = (outcome.run.started_at - started).total_seconds()
    assert 0.4 <= waited < 5


def test_embedded_chroma_has_one_writer_whatever_the_source(
    db: None, settings: Any, tmp_path: Path
) -> None:
    settings.CHROMA_HOST, settings.CHROMA_PATH = None, str(tmp_path / "chroma")
    with sync_lock(["knowledge"]):
        # Another collection, but the same embedded directory: refused.
        with pytest.raises(SyncLocked, match="another sync is writing embedded Chroma") as refusal:
            with sync_lock(["journeys"]):
                pass
    # The reason reaches API clients (409): it names the setting, not the directory.
    assert str(tmp_path) not in str(refusal.value)
    # Another embedded directory is another store: no conflict.
    with sync_lock(["knowledge"]):
        settings.CHROMA_PATH = str(tmp_path / "other-chroma")
        with sync_lock(["journeys"]):
            pass


def test_a_chroma_server_takes_one_writer_per_source(db: None, settings: Any) -> None:
    settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", 9  # never contacted
    with sync_lock(["knowledge"]), sync_lock(["journeys"]):
        with pytest.raises(SyncLocked, match="another sync of knowledge is running"):
            with sync_lock(["knowledge"]):
                pass
