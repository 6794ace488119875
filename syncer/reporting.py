"""Plain-dict views of runs for ``--json`` output, logs and the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from syncer.models import SyncRun

RECORD_ERRORS_SHOWN = 100


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def run_as_dict(run: SyncRun, *, with_errors: bool = True) -> dict[str, Any]:
    """A run with its per-source counts, watermarks and (the first) record errors."""
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
        }
    if with_errors:
        data["record_errors"] = [
            {
                "source": error.source,
                "record_id": error.record_id,
                "error_type": error.error_type,
                "message": error.message,
            }
            for error in run.record_errors.all()[:RECORD_ERRORS_SHOWN]
        ]
    return data
