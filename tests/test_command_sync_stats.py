"""``manage.py sync stats``: the last runs in the order they finished, with the records
they skipped; printed whatever the verbosity; ages in the one format halasync uses."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.services.stats import LAST_RUNS_SHOWN, RECORD_ERRORS_PER_RUN

pytestmark = pytest.mark.usefixtures("chroma")


def stats(*args: str) -> str:
    out = io.StringIO()
    call_command("sync", "stats", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _finished_run(*, created_ago: float, finished_ago: float, errors: int = 0) -> SyncRun:
    now = timezone.now()
    run = SyncRun.objects.create(
        mode="incremental",
        trigger="schedule",
        status="partial" if errors else "succeeded",
        sources=["journeys"],
        started_at=now - timedelta(seconds=created_ago),
        finished_at=now - timedelta(seconds=finished_ago),
    )
    SyncRun.objects.filter(pk=run.pk).update(created_at=now - timedelta(seconds=created_ago))
    SyncRunSource.objects.create(run=run, source="journeys", scanned=errors, errors=errors)
    SyncRecordError.objects.bulk_create(
        SyncRecordError(
            run=run,
            source="journeys",
            record_id=f"tpl_bad_{number}",
            error_type="DocumentError",
            message="the row has no text to embed",
        )
        for number in range(errors)
    )
    return run


def test_last_runs_are_ordered_by_finish_so_a_long_run_is_not_hidden(db: None) -> None:
    # A worker's full sync created first and finished last, after more runs than are
    # shown were created and finished meanwhile.
    long_run = _finished_run(created_ago=3600, finished_ago=1)
    quick = [
        _finished_run(created_ago=3000 - n, finished_ago=2000 - n)
        for n in range(LAST_RUNS_SHOWN + 1)
    ]
    running = SyncRun.objects.create(
        mode="full", trigger="cli", status="running", sources=["knowledge"]
    )

    data = json.loads(stats("--json"))

    expected = [running.pk, long_run.pk] + [run.pk for run in reversed(quick)]
    assert [run["id"] for run in data["last_runs"]] == expected[:LAST_RUNS_SHOWN]
    assert f"run #{long_run.pk} incremental" in stats()


def test_stats_show_the_last_runs_record_errors_bounded(db: None) -> None:
    partial = _finished_run(created_ago=60, finished_ago=30, errors=RECORD_ERRORS_PER_RUN + 3)

    data = json.loads(stats("--json"))

    (run,) = data["last_runs"]
    assert run["id"] == partial.pk
    assert len(run["record_errors"]) == RECORD_ERRORS_PER_RUN
    assert run["record_errors"][0] == {
        "source": "journeys",
        "record_id": "tpl_bad_0",
        "error_type": "DocumentError",
        "message": "the row has no text to embed",
    }
    text = stats()
    assert "skipped journeys 'tpl_bad_0': DocumentError: the row has no text to embed" in text
    assert f"'tpl_bad_{RECORD_ERRORS_PER_RUN - 1}'" in text
    assert f"'tpl_bad_{RECORD_ERRORS_PER_RUN}'" not in text
    assert (
        f"… and 3 more: see the run's page in the admin, or GET /api/v1/sync/runs/{partial.pk}"
        in text
    )


def test_stats_are_printed_at_verbosity_zero(db: None) -> None:
    text = stats("-v", "0")
    assert "Last runs:" in text and "eligible rows" in text


def test_stats_ages_read_like_the_admins(db: None, make_knowledge: Any) -> None:
    make_knowledge()
    call_command("sync", "full", "-v", "0", stdout=io.StringIO())
    run = SyncRun.objects.get()
    SyncRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(seconds=610))
    queued = SyncRun.objects.create(mode="full", trigger="api", sources=["knowledge"])
    SyncRun.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(seconds=3725))

    text = stats()

    assert f"last successful run: #{run.pk} full, finished " in text
    assert "(10 min 10 s ago)" in text
    assert "oldest waiting 1 h 2 min: is a worker (qcluster) running?" in text
    assert " in " in text and " s\n" in text.split(f"run #{run.pk} full (cli)")[1]
