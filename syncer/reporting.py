"""Plain-dict views of runs for ``--json`` output, logs and the API, and the one way
ages and times are written for people (the CLI and the admin share it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.dateparse import parse_datetime

from syncer.models import SyncRecordError, SyncRun

RECORD_ERRORS_SHOWN = 100
_FIRST_ERRORS = "first_record_errors"  # set by ``with_first_record_errors``
NO_VALUE = "—"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # the admin's DATETIME_FORMAT (halasync/formats)
_UNITS = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))


def age_text(seconds: float | None) -> str:
    """A duration as people compare them: the two largest units, "9 min 10 s",
    "3 h 5 min", "2 d 4 h", "42 s" (a zero second unit is left out: "10 min")."""
    if seconds is None:
        return NO_VALUE
    if seconds == float("inf"):
        return "forever"
    left = max(int(seconds), 0)  # a clock a little ahead reads as "0 s", not negative
    for index, (unit, size) in enumerate(_UNITS[:-1]):
        if left >= size:
            smaller, smaller_size = _UNITS[index + 1]
            rest = left % size // smaller_size
            return f"{left // size} {unit}" + (f" {rest} {smaller}" if rest else "")
    return f"{left} s"


def time_text(value: datetime | str | None) -> str:
    """A moment in UTC to the second ("2026-01-02 03:04:05"); ISO text is accepted; a
    naive datetime is taken as UTC, as the source tables store it."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return NO_VALUE
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime(TIME_FORMAT)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def with_first_record_errors(runs: QuerySet[SyncRun], limit: int) -> QuerySet[SyncRun]:
    """``runs`` with their first ``limit`` record errors each, fetched in one query for
    all of them, for ``run_as_dict``."""
    errors = SyncRecordError.objects.order_by("pk")[:limit]
    return runs.prefetch_related(Prefetch("record_errors", queryset=errors, to_attr=_FIRST_ERRORS))


def run_as_dict(
    run: SyncRun, *, with_errors: bool = True, errors_limit: int = RECORD_ERRORS_SHOWN
) -> dict[str, Any]:
    """A run with its per-source counts, watermarks and (the first ``errors_limit``)
    record errors."""
    data: dict[str, Any] = {
        "id": run.pk,
        "mode": run.mode,
        "trigger": run.trigger,
        "status": run.status,
        "sources": list(run.sources),
        "force": run.force,
        "rebuild": run.rebuild,
        "record_id": run.record_id or None,
        "error": run.error or None,
        "created_at": _iso(run.created_at),
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "duration_seconds": run.duration_seconds,
        "counts": {},
    }
    if run.pk is None:
        return data
    for result in run.source_results.all():
        data["counts"][result.source] = {
            "scanned": result.scanned,
            "upserted": result.upserted,
            "metadata_updated": result.metadata_updated,
            "unchanged": result.unchanged,
            "deleted": result.deleted,
            "errors": result.errors,
            "invalid": result.invalid,
            "watermark_before": _iso(result.watermark_before),
            "watermark_after": _iso(result.watermark_after),
            "completed": result.completed,
        }
    if with_errors:
        data["record_errors"] = [
            {
                "source": error.source,
                "record_id": error.record_id,
                "error_type": error.error_type,
                "message": error.message,
            }
            for error in _record_errors(run)[:errors_limit]
        ]
    return data


def _record_errors(run: SyncRun) -> list[SyncRecordError] | QuerySet[SyncRecordError]:
    prefetched = getattr(run, _FIRST_ERRORS, None)
    return run.record_errors.all() if prefetched is None else prefetched
