"""The overview's selectors (syncer.activity): aggregates computed by PostgreSQL, in a
fixed number of queries whatever the number of runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from syncer import activity
from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.sources import JOURNEYS, KNOWLEDGE

pytestmark = pytest.mark.django_db
DAY = activity.WINDOWS["24h"]


def _run(
    *,
    finished: Any,
    seconds: float,
    status: str = "succeeded",
    mode: str = "incremental",
    **counts: int,
) -> SyncRun:
    run = SyncRun.objects.create(
        mode=mode,
        trigger="schedule",
        status=status,
        sources=["knowledge"],
        started_at=finished - timedelta(seconds=seconds),
        finished_at=finished,
    )
    SyncRunSource.objects.create(run=run, source="knowledge", **counts)
    return run


def test_summary_and_series_come_from_postgresql() -> None:
    now = timezone.now()
    hour_ago = now - timedelta(minutes=61)
    for seconds in (1, 2, 3, 4, 100):
        _run(finished=hour_ago, seconds=seconds, upserted=2, deleted=1)
    _run(finished=now - timedelta(minutes=1), seconds=5, status="failed", errors=3)
    _run(finished=now - timedelta(days=2), seconds=9)  # outside the window
    _run(finished=hour_ago, seconds=30, mode="single", metadata_updated=1)
    SyncRun.objects.create(mode="full", trigger="cli", status="running", sources=["knowledge"])

    summary = {row["mode"]: row for row in activity.runs_summary(window=DAY, now=now)}

    incremental = summary["incremental"]
    assert (incremental["runs"], incremental["succeeded"], incremental["failed"]) == (6, 5, 1)
    assert incremental["failure_rate"] == pytest.approx(1 / 6)
    # percentile_cont over 1, 2, 3, 4, 5, 100 seconds
    assert incremental["p50"] == pytest.approx(3.5)
    assert incremental["p95"] == pytest.approx(5 + 0.75 * 95)  # at 0.95 * (6 - 1) = 4.75
    assert (incremental["upserted"], incremental["deleted"], incremental["errors"]) == (10, 5, 3)
    assert summary["single"]["metadata_updated"] == 1
    assert set(summary) == {"incremental", "single"}

    series = activity.runs_activity(window=DAY, now=now)
    assert len(series["labels"]) == DAY.buckets == 24
    assert sum(series["succeeded"]) == 6 and sum(series["failed"]) == 1
    assert sum(series["upserted"]) == 10 and sum(series["errors"]) == 3
    assert sum(series["metadata_updated"]) == 1  # single-record runs write documents too
    # The run that failed a minute ago is in the last bucket, alone.
    assert series["failed"][-1] == 1 and series["p50"][-1] == pytest.approx(5)
    # The five incremental runs and the single-record run of an hour ago share a bucket;
    # durations count full and incremental runs only.
    busy = series["succeeded"].index(6)
    assert series["p50"][busy] == pytest.approx(3) and series["p95"][busy] > 50
    assert series["labels"][busy] == (DAY.start(now) + busy * DAY.bucket).strftime("%H:%M")
    assert series["p50"][0] is None  # no run: no duration, not zero


@pytest.mark.parametrize("window", list(activity.WINDOWS))
def test_aggregates_cost_the_same_queries_for_3_runs_or_90(window: str) -> None:
    now = timezone.now()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            activity.runs_summary(window=activity.WINDOWS[window], now=now)
            activity.runs_activity(window=activity.WINDOWS[window], now=now)
        return len(captured)

    for hours in range(3):
        _run(finished=now - timedelta(hours=hours, minutes=5), seconds=2, upserted=1)
    few = queries()
    for hours in range(87):
        _run(finished=now - timedelta(hours=hours % 20, minutes=7), seconds=2, upserted=1)
    assert queries() == few == 5  # two for the table, three for the charts


def test_lag_is_newest_eligible_row_ahead_of_the_watermark(
    make_knowledge: Any, make_journey: Any
) -> None:
    now = timezone.now()
    watermark = now - timedelta(hours=1)
    assert activity.source_lag_seconds(KNOWLEDGE, watermark=None) is None
    assert activity.source_lag_seconds(KNOWLEDGE, watermark=watermark) is None  # no rows
    make_knowledge(updated_at=watermark - timedelta(minutes=5))
    assert activity.source_lag_seconds(KNOWLEDGE, watermark=watermark) == 0
    make_knowledge(updated_at=watermark + timedelta(seconds=90))
    make_knowledge(updated_at=now, status="REJECTED")  # excluded: not a lag
    assert activity.source_lag_seconds(KNOWLEDGE, watermark=watermark) == pytest.approx(
        90, abs=0.01
    )
    # A row stamped in the future, or at 'infinity', counts as now: the lag stays finite.
    future = make_journey(updated_at=now + timedelta(days=365))
    assert activity.source_lag_seconds(JOURNEYS, watermark=watermark) == pytest.approx(3600, abs=60)
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "JourneyTemplate" SET "updatedAt" = \'infinity\' WHERE id = %s', [future.pk]
        )
    assert activity.source_lag_seconds(JOURNEYS, watermark=watermark) == pytest.approx(3600, abs=60)


def test_record_errors_recent_lists_each_row_once_with_its_latest_reason() -> None:
    now = timezone.now()
    older = _run(finished=now - timedelta(hours=2), seconds=1, errors=2)
    newer = _run(finished=now - timedelta(hours=1), seconds=1, errors=1)
    for run, record_id, message in (
        (older, "ref_a", "old reason"),
        (older, "ref_b", "b's reason"),
        (newer, "ref_a", "new reason"),
    ):
        SyncRecordError.objects.create(
            run=run, source="knowledge", record_id=record_id, error_type="E", message=message
        )

    rows, total = activity.record_errors_recent(runs=10, limit=1)
    assert total == 2
    assert [(r["record_id"], r["message"], r["run_id"]) for r in rows] == [
        ("ref_a", "new reason", newer.pk)
    ]
    rows, _ = activity.record_errors_recent(runs=1, limit=10)  # the newest run only
    assert [r["record_id"] for r in rows] == ["ref_a"]


def test_runs_in_progress_carry_rows_done_and_total() -> None:
    queued = SyncRun.objects.create(mode="full", trigger="api", sources=["knowledge"])
    running = SyncRun.objects.create(
        mode="incremental", trigger="cli", status="running", sources=["knowledge", "journeys"]
    )
    SyncRunSource.objects.create(run=running, source="knowledge", scanned=10, total=40)
    _run(finished=timezone.now(), seconds=1)

    runs = activity.runs_in_progress()

    assert [run["id"] for run in runs] == [queued.pk, running.pk]
    assert runs[0]["progress"] == {}
    assert runs[1]["progress"] == {"knowledge": {"done": 10, "total": 40}}
