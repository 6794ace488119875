"""Runs whose process is gone: a ``running`` run nobody holds the lock of, a ``queued`` run
a worker took from the broker but never started. Recognised from PostgreSQL and the real
django-q2 broker (the database one), reported by health, closed before a run is queued.
(With real killed workers: tests/test_api_processes.py.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ

from syncer.locks import SyncLocked, sync_lock
from syncer.models import SyncRun
from syncer.services import liveness
from syncer.services.health import sync_health
from syncer.services.runs import sync_run_enqueue
from syncer.sources import SOURCES

BOTH = list(SOURCES)


def running_run(sources: list[str] = BOTH) -> SyncRun:
    """A run recorded as running, as a sync records itself once it holds its locks."""
    return SyncRun.objects.create(
        mode="full", trigger="cli", sources=sources, status="running", started_at=timezone.now()
    )


def worker_check() -> dict[str, Any]:
    return sync_health().checks["worker"].as_dict()


def test_a_running_run_is_alive_while_its_lock_is_held(db: None, chroma: str) -> None:
    with sync_lock(BOTH):
        run = running_run()

        assert liveness.runs_abandoned() == []
        check = worker_check()
        assert check["status"] == "ok" and check["abandoned_runs"] == []
        with pytest.raises(SyncLocked):  # the sync is really running: refused
            sync_run_enqueue(mode="incremental", trigger="api")

    assert SyncRun.objects.get(pk=run.pk).status == SyncRun.Status.RUNNING


def test_a_running_run_nobody_holds_the_lock_of_is_abandoned(db: None, chroma: str) -> None:
    # Its process was killed: the locks died with its database session.
    dead = running_run()

    check = worker_check()
    assert check["status"] == "degraded"
    assert check["abandoned_runs"] == [dead.pk]
    assert f"run #{dead.pk} (running) is abandoned" in check["detail"]
    assert SyncRun.objects.get(pk=dead.pk).status == SyncRun.Status.RUNNING  # health reads

    queued = sync_run_enqueue(mode="incremental", trigger="api")

    dead.refresh_from_db()
    assert dead.status == SyncRun.Status.FAILED
    assert dead.error.startswith("abandoned: the process running it ended")
    assert dead.finished_at is not None
    assert queued.status == SyncRun.Status.QUEUED
    assert worker_check()["abandoned_runs"] == []


def test_a_queued_run_waits_while_its_task_waits_and_is_lost_once_taken(
    db: None, chroma: str
) -> None:
    run = sync_run_enqueue(mode="incremental", trigger="api")
    SyncRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=1))
    broker = get_broker()

    # No worker ever came: the task is still in the broker's queue, the run still waits.
    assert liveness.runs_abandoned() == []
    check = worker_check()
    assert check["abandoned_runs"] == [] and "is a worker" in check["detail"]
    with pytest.raises(SyncLocked):
        sync_run_enqueue(mode="incremental", trigger="api")

    # A worker takes the task (what its pusher does), then dies before starting the run.
    assert broker.dequeue()
    assert OrmQ.objects.get().lock > timezone.now() + timedelta(hours=1)

    check = worker_check()
    assert check["status"] == "degraded" and check["abandoned_runs"] == [run.pk]
    assert "never started it" in check["detail"]

    again = sync_run_enqueue(mode="incremental", trigger="api")

    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED
    assert run.error.startswith("abandoned: a worker took it from the queue but never started it")
    assert again.status == SyncRun.Status.QUEUED and again.pk != run.pk


def test_a_queued_run_taken_recently_is_given_time_to_start(db: None, chroma: str) -> None:
    run = sync_run_enqueue(mode="incremental", trigger="api")
    assert get_broker().dequeue()  # taken moments ago: its worker is starting it

    assert liveness.runs_abandoned() == []
    with pytest.raises(SyncLocked):
        sync_run_enqueue(mode="incremental", trigger="api")
    assert SyncRun.objects.get(pk=run.pk).status == SyncRun.Status.QUEUED
