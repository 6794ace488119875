"""Selectors for the admin overview: run activity aggregated by PostgreSQL (durations
p50/p95, statuses and documents written, per mode and per time bucket), how far each
source's newest row is ahead of its watermark, the record errors of the last runs and
the runs in progress.

Every aggregate is one query over the runs finished in a window (an index on
``finished_at``), never a Python loop over runs; Python only fills empty buckets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    DurationField,
    F,
    FloatField,
    Func,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Now

from syncer.models import SyncRecordError, SyncRun, SyncRunSource
from syncer.sources import Source

DOCUMENT_COUNTS = ("upserted", "metadata_updated", "deleted", "errors")
SYNC_MODES = (SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL)


BUCKET_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)  # buckets start on whole hours and days


@dataclass(frozen=True)
class Window:
    """A period the overview charts: ``buckets`` bars of width ``bucket``, the last one
    the bucket ``now`` is in (so hours start at :00 and days at midnight UTC)."""

    name: str
    bucket: timedelta
    buckets: int
    label: str
    tick_format: str  # strftime of a bucket's label

    def start(self, now: datetime) -> datetime:
        current = BUCKET_ORIGIN + (now - BUCKET_ORIGIN) // self.bucket * self.bucket
        return current - (self.buckets - 1) * self.bucket


WINDOWS = {
    window.name: window
    for window in (
        Window("24h", timedelta(hours=1), 24, "per hour, last 24 hours", "%H:%M"),
        Window("7d", timedelta(hours=6), 28, "per 6 hours, last 7 days", "%m-%d %H:%M"),
        Window("30d", timedelta(days=1), 30, "per day, last 30 days", "%m-%d"),
    )
}
DEFAULT_WINDOW = "7d"


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(f) WITHIN GROUP (ORDER BY expression)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        fraction = float(fraction)  # inlined in the SQL: a number and nothing else
        if not 0 <= fraction <= 1:
            raise ValueError(f"fraction must be between 0 and 1, not {fraction}")
        super().__init__(expression, fraction=repr(fraction), **extra)


def _seconds(expression: Any) -> Func:
    return Func(
        expression, template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField()
    )


DURATION = _seconds(F("finished_at") - F("started_at"))


def _bucket(field: str, window: Window) -> Func:
    """The start of the ``window.bucket``-wide bin holding ``field`` (PostgreSQL's
    ``date_bin``)."""
    return Func(
        Value(window.bucket, output_field=DurationField()),
        F(field),
        Value(BUCKET_ORIGIN, output_field=DateTimeField()),
        function="date_bin",
        output_field=DateTimeField(),
    )


def _finished_in(window: Window, now: datetime) -> QuerySet[SyncRun]:
    return SyncRun.objects.filter(finished_at__gte=window.start(now), finished_at__lte=now)


def _status_counts() -> dict[str, Any]:
    return {
        "runs": Count("pk"),
        "succeeded": Count("pk", filter=Q(status=SyncRun.Status.SUCCEEDED)),
        "partial": Count("pk", filter=Q(status=SyncRun.Status.PARTIAL)),
        "failed": Count("pk", filter=Q(status=SyncRun.Status.FAILED)),
        "p50": PercentileCont(DURATION, fraction=0.5),
        "p95": PercentileCont(DURATION, fraction=0.95),
    }


def _document_sums(prefix: str = "") -> dict[str, Any]:
    return {name: Sum(f"{prefix}{name}") for name in DOCUMENT_COUNTS}


def runs_summary(*, window: Window, now: datetime) -> list[dict[str, Any]]:
    """Per mode, over the runs finished in ``window``: runs by status, the failure rate,
    duration p50/p95 (seconds) and documents written; modes without runs left out."""
    runs = _finished_in(window, now)
    by_mode = {
        row["mode"]: row for row in runs.order_by().values("mode").annotate(**_status_counts())
    }
    documents = {
        row["run__mode"]: row
        for row in SyncRunSource.objects.filter(run__in=runs)
        .order_by()
        .values("run__mode")
        .annotate(**_document_sums())
    }
    summary = []
    for mode in SyncRun.Mode.values:
        if mode not in by_mode:
            continue
        row = {**by_mode[mode], **{name: 0 for name in DOCUMENT_COUNTS}}
        row.update({k: v or 0 for k, v in documents.get(mode, {}).items() if k != "run__mode"})
        row["failure_rate"] = row["failed"] / row["runs"] if row["runs"] else None
        summary.append(row)
    return summary


def runs_activity(*, window: Window, now: datetime) -> dict[str, Any]:
    """The overview's chart series for ``window``, one value per bucket (oldest first):

    ``labels`` (bucket starts, UTC, as ``window.tick_format``), ``succeeded``/``partial``/``failed`` (runs of every
    mode), ``p50``/``p95`` (seconds, full and incremental runs; None without any), and
    the documents ``upserted``/``metadata_updated``/``deleted``/``errors`` (every mode).
    """
    start = window.start(now)
    runs = _finished_in(window, now)
    bucket = _bucket("finished_at", window)
    statuses = {
        row["bucket"]: row
        for row in runs.annotate(bucket=bucket)
        .order_by()
        .values("bucket")
        .annotate(**{k: v for k, v in _status_counts().items() if k not in ("p50", "p95")})
    }
    durations = {
        row["bucket"]: row
        for row in runs.filter(mode__in=SYNC_MODES, started_at__isnull=False)
        .annotate(bucket=bucket)
        .order_by()
        .values("bucket")
        .annotate(
            p50=PercentileCont(DURATION, fraction=0.5), p95=PercentileCont(DURATION, fraction=0.95)
        )
    }
    documents = {
        row["bucket"]: row
        for row in SyncRunSource.objects.filter(run__in=runs)
        .annotate(bucket=_bucket("run__finished_at", window))
        .order_by()
        .values("bucket")
        .annotate(**_document_sums())
    }
    series: dict[str, list[Any]] = {
        name: []
        for name in ("labels", "succeeded", "partial", "failed", "p50", "p95", *DOCUMENT_COUNTS)
    }
    for index in range(window.buckets):
        moment = start + index * window.bucket
        series["labels"].append(moment.strftime(window.tick_format))
        for name in ("succeeded", "partial", "failed"):
            series[name].append(statuses.get(moment, {}).get(name, 0))
        for name in ("p50", "p95"):
            value = durations.get(moment, {}).get(name)
            series[name].append(None if value is None else round(value, 3))
        for name in DOCUMENT_COUNTS:
            series[name].append(documents.get(moment, {}).get(name) or 0)
    return series


def source_lag_seconds(source: Source, *, watermark: datetime | None) -> float | None:
    """How far the newest eligible ``"updatedAt"`` is ahead of ``watermark`` (0 when it
    is not), counting a row stamped in the future as now; None before the first sync or
    without rows.

    Computed in PostgreSQL: a stamp such as ``infinity`` cannot become a Python datetime.
    """
    if watermark is None:
        return None
    utc_now = Func(Now(), template="(%(expressions)s AT TIME ZONE 'UTC')")
    newest, now = (
        source.model.objects.exclude(status__in=source.excluded_statuses)
        .order_by()
        .aggregate(newest=_seconds(Max("updated_at")), now=Max(_seconds(utc_now)))
        .values()
    )
    if newest is None:
        return None
    return max(min(float(newest), float(now)) - watermark.timestamp(), 0.0)


def record_errors_recent(*, runs: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The rows that failed in the last ``runs`` finished runs, each once with its latest
    reason (at most ``limit``, by source and id), and how many rows there are in all.

    Until halasync keeps a table of the rows that cannot become documents, this is where
    the overview finds them.
    """
    last_runs = SyncRun.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-pk")[
        :runs
    ]
    errors = (
        SyncRecordError.objects.filter(run__in=last_runs.values("pk"))
        .order_by("source", "record_id", "-pk")
        .distinct("source", "record_id")
    )
    total = errors.count()
    rows = list(
        errors.values("source", "record_id", "error_type", "message", "run_id", "run__finished_at")[
            :limit
        ]
    )
    return rows, total


def runs_in_progress(*, limit: int = 20) -> list[dict[str, Any]]:
    """Queued and running runs, oldest first, with rows done / total per source."""
    runs = (
        SyncRun.objects.filter(status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING])
        .order_by("created_at", "pk")
        .prefetch_related("source_results")[:limit]
    )
    return [
        {
            "id": run.pk,
            "mode": run.mode,
            "trigger": run.trigger,
            "status": run.status,
            "sources": list(run.sources),
            "record_id": run.record_id or None,
            "created_at": run.created_at,
            "started_at": run.started_at,
            "progress": {
                result.source: {"done": result.scanned, "total": result.total}
                for result in run.source_results.all()
            },
        }
        for run in runs
    ]
