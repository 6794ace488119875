"""``run_recorded``: how every kind of run (full, incremental, single, removal, repair)
records its end. Real PostgreSQL; the blocks write nothing to Chroma."""

from __future__ import annotations

import pytest

from syncer.models import SyncRun
from syncer.services.bookkeeping import run_recorded
from syncer.services.runs import sync_run_create


def new_run() -> SyncRun:
    return SyncRun(mode=SyncRun.Mode.FULL, trigger="cli", sources=["knowledge"])


def test_a_block_that_ends_normally_finishes_the_run(db: None) -> None:
    run = new_run()

    with run_recorded(run):
        assert run.pk is not None
        assert SyncRun.objects.get(pk=run.pk).status == SyncRun.Status.RUNNING

    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.finished_at is not None


def test_an_error_fails_the_run_and_propagates(db: None) -> None:
    run = new_run()

    with pytest.raises(RuntimeError, match="boom"), run_recorded(run):
        raise RuntimeError("boom")

    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED
    assert run.error == "RuntimeError: boom"


def test_swallow_records_an_error_without_raising_it_but_never_an_interruption(
    db: None,
) -> None:
    run = new_run()
    with run_recorded(run, swallow=True):
        raise ValueError("bad row")
    run.refresh_from_db()
    assert (run.status, run.error) == (SyncRun.Status.FAILED, "ValueError: bad row")

    interrupted = new_run()
    with pytest.raises(KeyboardInterrupt), run_recorded(interrupted, swallow=True):
        raise KeyboardInterrupt
    interrupted.refresh_from_db()
    assert (interrupted.status, interrupted.error) == (SyncRun.Status.FAILED, "interrupted")


def test_an_unsaved_run_stays_unsaved_when_nothing_happened(db: None) -> None:
    # sync watch's idle cycles: save=False defers the run until it has work.
    run = new_run()

    with run_recorded(run, save=False):
        pass

    assert run.pk is None
    assert run.status == SyncRun.Status.SUCCEEDED
    assert not SyncRun.objects.exists()


def test_an_unsaved_run_that_fails_before_any_work_leaves_nothing(db: None) -> None:
    # sync watch's cycle failing before it touched a record: its caller reports it.
    run = new_run()

    with run_recorded(run, save=False, swallow=True):
        raise ConnectionError("Chroma is down")

    assert run.pk is None
    assert run.status == SyncRun.Status.FAILED
    assert run.error == "ConnectionError: Chroma is down"
    assert not SyncRun.objects.exists()


def test_a_queued_run_is_marked_running_while_it_runs(db: None) -> None:
    # What a django-q2 worker executes: a run saved (queued) before it starts.
    run = sync_run_create(mode=SyncRun.Mode.FULL, trigger="api", sources=["knowledge"])
    assert SyncRun.objects.get(pk=run.pk).status == SyncRun.Status.QUEUED

    with run_recorded(run):
        recorded = SyncRun.objects.get(pk=run.pk)
        assert recorded.status == SyncRun.Status.RUNNING
        assert recorded.started_at is not None

    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.started_at is not None and run.finished_at >= run.started_at
