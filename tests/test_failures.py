"""Failures that lose nothing: a Chroma server or PostgreSQL going away mid-run, the lock's
session ending, kill -9 in the middle of a full sync. Real processes, a real `chroma run`,
real PostgreSQL sessions ended with pg_terminate_backend.

Runs are interrupted deterministically from the progress callback (called after each
batch) with small SYNC_BATCH_SIZE, never by sleeping.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection, connections

from knowledge.models import KnowledgeReference
from syncer import selectors
from syncer.chroma_client import StoreError, chroma_reset
from syncer.models import SyncRun, SyncRunSource
from syncer.retry import RetriesExhausted, database_retry
from syncer.services.runs import sync_run_execute
from syncer.services.verify import sync_verify
from syncer.sources import KNOWLEDGE
from syncer.store import store_open
from tests.processes import (
    ChromaServer,
    free_port,
    halasync_env,
    manage_json,
    process_stop,
    spawn,
    sync_lock_free,
    wait_until,
)

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def rows(prefix: str, count: int, *, start: float) -> list[str]:
    KnowledgeReference.objects.bulk_create(
        KnowledgeReference(
            id=f"{prefix}{number:03}",
            category="STRATEGY",
            source="Test source",
            title={"en": f"{prefix} title {number}"},
            content={"en": f"Some content about {prefix} number {number}"},
            tags=["test"],
            languages=["en"],
            status="VERIFIED",
            created_at=T0,
            updated_at=at(start + number),
        )
        for number in range(count)
    )
    return [f"{prefix}{number:03}" for number in range(count)]


def chroma_ids() -> set[str]:
    store = store_open("knowledge_references")
    return {doc_id for page in store.iter_ids() for doc_id in page}


def counts(run: SyncRun) -> dict[str, int]:
    result = SyncRunSource.objects.get(run=run, source="knowledge")
    return {name: getattr(result, name) for name in ("scanned", "upserted", "unchanged")}


def after_batches(batches: int, action: Callable[[], None]) -> Callable[[str, int, int], None]:
    """A progress callback that runs ``action`` once, after ``batches`` batches."""
    calls = {"n": 0}

    def progress(source: str, done: int, total: int) -> None:
        if done == 0:
            return
        calls["n"] += 1
        if calls["n"] == batches:
            action()

    return progress


@contextmanager
def syncer_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The "syncer" logger does not propagate: hand caplog its records for a while."""
    logger = logging.getLogger("syncer")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="syncer"):
            yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def admin_connection() -> psycopg.Connection:
    """A session outside Django's, on the maintenance database."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    )


def terminate(pid: int) -> None:
    with admin_connection() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


def fast_retries(settings: Any, attempts: int = 3, backoff: float = 0.05) -> None:
    settings.SYNC_RETRY_ATTEMPTS = attempts
    settings.SYNC_RETRY_BACKOFF_SECONDS = backoff


# --- Chroma server ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_chroma_server_gone_mid_run_fails_it_keeps_the_watermark_and_the_next_run_converges(
    chroma_server: ChromaServer, settings: Any
) -> None:
    settings.SYNC_BATCH_SIZE = 4
    fast_retries(settings)
    rows("a", 6, start=0)
    assert sync_run_execute(mode="incremental", trigger="cli").status == "succeeded"
    watermark = selectors.source_watermark(KNOWLEDGE)
    assert watermark == at(5)
    new = rows("b", 12, start=100)

    # Batches: a000-a003 (unchanged), a004 a005 b000 b001, then the server dies.
    run = sync_run_execute(
        mode="incremental",
        trigger="cli",
        sources=["knowledge"],
        progress=after_batches(2, chroma_server.kill),
    )

    assert run.status == SyncRun.Status.FAILED
    assert "Chroma" in run.error and "gave up after 3 attempt(s)" in run.error
    assert "ConnectError" in run.error
    assert selectors.source_watermark(KNOWLEDGE) == watermark  # not past unsynced rows
    assert run.source_results.get().watermark_after is None

    chroma_server.start()  # same directory, same port
    assert chroma_ids() == {f"a{n:03}" for n in range(6)} | {"b000", "b001"}
    run = sync_run_execute(mode="incremental", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED
    # Written before the failure: kept, not rewritten; the rest written once.
    assert counts(run) == {"scanned": 18, "upserted": 10, "unchanged": 8}
    assert chroma_ids() == {f"a{n:03}" for n in range(6)} | set(new)
    assert selectors.source_watermark(KNOWLEDGE) == at(111)


@pytest.mark.django_db(transaction=True)
def test_chroma_server_restarting_mid_run_is_ridden_out_by_retries(
    chroma_server: ChromaServer, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SYNC_BATCH_SIZE = 4
    fast_retries(settings, attempts=8, backoff=0.25)  # about 30 s of patience in all
    ids = rows("c", 12, start=0)
    restarter = threading.Thread(target=chroma_server.start)

    def restart() -> None:
        chroma_server.kill()
        restarter.start()  # comes back while the run is retrying

    try:
        with syncer_log(caplog):
            run = sync_run_execute(
                mode="full",
                trigger="cli",
                sources=["knowledge"],
                progress=after_batches(1, restart),
            )
    finally:
        restarter.join(timeout=60)
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert any("retrying in" in message for message in caplog.messages)
    assert counts(run) == {"scanned": 12, "upserted": 12, "unchanged": 0}
    assert chroma_ids() == set(ids)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("operation", ["verify", "incremental"])
def test_retries_inside_retries_do_not_multiply(
    operation: str, chroma_server: ChromaServer, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Opening a collection (retried) opens the client (retried too): with the server down
    # that was 3 x 3 attempts and two "gave up" in one message; the budget applies once.
    fast_retries(settings)
    chroma_server.stop()
    chroma_reset()  # as in a new process: the client is opened inside the collection's open
    with syncer_log(caplog):
        if operation == "verify":
            with pytest.raises((StoreError, RetriesExhausted)) as error:
                sync_verify(sources=["knowledge"])
            message = str(error.value)
        else:
            run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])
            assert run.status == SyncRun.Status.FAILED
            message = run.error
    assert message.count("gave up after") == 1, message
    assert "gave up after 3 attempt(s)" in message
    retries = [m for m in caplog.messages if "retrying in" in m]
    assert len(retries) == 2, retries  # attempts 2 and 3, once


@pytest.mark.django_db(transaction=True)
def test_a_chroma_call_inside_a_database_retry_is_retried_by_it(
    chroma_server: ChromaServer, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # The inner call tries once and hands its failure to the outer retry, although the
    # outer one retries database errors: the attempts are those of one budget.
    fast_retries(settings)
    store = store_open("knowledge_references")
    chroma_server.stop()
    with syncer_log(caplog), sync_lock_held():
        with pytest.raises(RetriesExhausted, match="gave up after 3 attempt") as error:
            database_retry(store.count, what="counting inside a database retry")
    assert str(error.value).count("gave up after") == 1
    assert "ConnectError" in str(error.value)
    assert sum("retrying in" in m for m in caplog.messages) == 2


@contextmanager
def sync_lock_held() -> Iterator[None]:
    from syncer.locks import sync_lock

    with sync_lock(["knowledge"]):
        yield


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_dropped_postgresql_connection_is_reconnected_and_the_run_succeeds(
    chroma: str, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SYNC_BATCH_SIZE = 4
    fast_retries(settings)
    ids = rows("d", 10, start=0)
    terminated: list[int] = []

    def drop_connection() -> None:
        pid = connection.connection.info.backend_pid  # the session reading the rows
        terminate(pid)
        terminated.append(pid)

    with syncer_log(caplog):
        run = sync_run_execute(
            mode="full",
            trigger="cli",
            sources=["knowledge"],
            progress=after_batches(1, drop_connection),
        )

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert any("retrying in" in message for message in caplog.messages)
    assert connection.connection.info.backend_pid != terminated[0]
    assert counts(run) == {"scanned": 10, "upserted": 10, "unchanged": 0}
    assert chroma_ids() == set(ids)
    assert selectors.source_watermark(KNOWLEDGE) == at(9)


@pytest.mark.django_db(transaction=True)
def test_postgresql_gone_beyond_the_retries_then_back(chroma: str, settings: Any) -> None:
    settings.SYNC_BATCH_SIZE = 4
    fast_retries(settings)
    first = rows("e", 4, start=0)
    assert sync_run_execute(mode="full", trigger="cli").status == "succeeded"
    rest = rows("f", 8, start=100)
    name = connection.settings_dict["NAME"]

    def database_down() -> None:
        with admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )

    try:
        with pytest.raises(RetriesExhausted, match="gave up after 3 attempt") as error:
            sync_run_execute(
                mode="incremental",
                trigger="cli",
                progress=after_batches(1, database_down),
            )
    finally:
        with admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        for alias in connections:
            connections[alias].close()
    assert "is not currently accepting connections" in str(error.value)

    # The run could not even record its failure; the next one closes it and converges.
    dead = SyncRun.objects.get(status=SyncRun.Status.RUNNING)
    assert sync_lock_free(["knowledge", "journeys"])
    run = sync_run_execute(mode="incremental", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED
    dead.refresh_from_db()
    assert dead.status == SyncRun.Status.FAILED and dead.error.startswith("abandoned")
    assert chroma_ids() == set(first) | set(rest)
    assert selectors.source_watermark(KNOWLEDGE) == at(107)


@pytest.mark.processes
def test_postgresql_unreachable_from_the_start_is_a_clear_exit_1(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    result = manage_json(
        "sync",
        "full",
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "halasync.test_settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/halasync",
            "SOURCE_DATABASE_URL": "",
            "CHROMA_PATH": str(tmp_path / "chroma"),
            "SYNC_LOG_FILE": str(tmp_path / "sync.log"),
        },
        returncode=1,
        timeout=120,
    )
    assert result.data["error"].startswith("PostgreSQL cannot be used: ")
    assert "Traceback" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_lock_session_ends_stops_writing(chroma: str, settings: Any) -> None:
    settings.SYNC_BATCH_SIZE = 4
    ids = rows("g", 12, start=0)

    def end_lock_session() -> None:
        with admin_connection() as admin:
            holders = admin.execute(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND database = "
                "(SELECT oid FROM pg_database WHERE datname = %s)",
                [connection.settings_dict["NAME"]],
            ).fetchall()
        assert holders
        for (pid,) in set(holders):
            terminate(pid)

    run = sync_run_execute(
        mode="full",
        trigger="cli",
        sources=["knowledge"],
        progress=after_batches(1, end_lock_session),
    )

    assert run.status == SyncRun.Status.FAILED
    assert run.error.startswith("SyncLockLost: lost the sync lock of knowledge")
    assert len(chroma_ids()) == 4  # nothing written after the lock was lost
    run = sync_run_execute(mode="full", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED
    assert chroma_ids() == set(ids)


# --- kill -9 ------------------------------------------------------------------------------


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_kill_9_in_the_middle_of_a_full_sync_then_the_next_run_converges(
    chroma: str, tmp_path: Path
) -> None:
    ids = rows("h", 320, start=0)
    log = tmp_path / "sync-full.log"
    env = halasync_env(
        CHROMA_PATH=chroma, SYNC_BATCH_SIZE="8", SYNC_LOG_FILE=str(tmp_path / "sync.log")
    )
    process = spawn(
        [sys.executable, "manage.py", "sync", "full", "--source", "knowledge"], env=env, log=log
    )
    try:
        progressed = SyncRunSource.objects.filter(source="knowledge", scanned__gte=40)
        killed_run = wait_until(
            lambda: progressed.values_list("run_id", flat=True).first(),
            timeout=180,
            what="full sync under way",
            process=process,
            log=log,
        )
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        process_stop(process)
    written = SyncRunSource.objects.get(run_id=killed_run).upserted
    assert SyncRun.objects.get(pk=killed_run).status == SyncRun.Status.RUNNING
    assert 40 <= written < 320  # killed in the middle
    wait_until(lambda: sync_lock_free(["knowledge"]), timeout=10, what="lock released")

    run = sync_run_execute(mode="full", trigger="cli", sources=["knowledge"])

    assert run.status == SyncRun.Status.SUCCEEDED
    assert SyncRun.objects.get(pk=killed_run).error.startswith("abandoned")
    result = counts(run)
    assert result["scanned"] == 320
    assert result["unchanged"] >= written  # what the killed run wrote is kept as it is
    assert result["upserted"] == 320 - result["unchanged"]
    assert store_open("knowledge_references").count() == 320
    assert chroma_ids() == set(ids)
    report = sync_verify(sources=["knowledge"])
    assert report.clean, report.sources[0].as_dict()
