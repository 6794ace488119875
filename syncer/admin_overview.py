"""The admin's sync overview, shaped for its page: a verdict with advice that works,
lag and drift per source, charts of the runs, the rows that cannot become documents and
the live progress of queued and running runs (also served as JSON for the page's
polling). The numbers come from ``sync_stats`` and ``syncer.activity``; nothing here
computes an aggregate or talks to Chroma itself.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.contrib.admin.utils import quote
from django.urls import NoReverseMatch, reverse

from syncer import activity, selectors
from syncer.admin_base import ATTENTION, DOWN, OK
from syncer.chroma_client import ChromaBusy
from syncer.models import SyncRun
from syncer.reporting import age_text, time_text
from syncer.services.health import last_sync_too_old, queue_stalled
from syncer.services.stats import SourceStats, SyncStats, sync_stats
from syncer.sources import SOURCES

logger = logging.getLogger(__name__)

INVALID_ROWS_SHOWN = 50
JUST_FINISHED_SHOWN = 5


def overview_context(*, window_name: str, now: datetime) -> dict[str, Any]:
    """Everything the overview template shows."""
    window = activity.WINDOWS.get(window_name) or activity.WINDOWS[activity.DEFAULT_WINDOW]
    try:
        stats: SyncStats | None = sync_stats()
        stats_error = ""
    except Exception as exc:
        # The page must say what is wrong (Chroma server down...) rather than fail.
        logger.exception("sync overview: cannot compute the stats")
        stats, stats_error = None, f"{type(exc).__name__}: {exc}"
    invalid, invalid_counts = invalid_rows()
    return {
        "stats": stats,
        "stats_error": stats_error,
        "health": overview_health(stats, invalid_counts=invalid_counts, error=stats_error),
        "sources": overview_sources(stats) if stats else [],
        "last_runs": stats.last_runs if stats else [],
        "window": window,
        "windows": list(activity.WINDOWS.values()),
        "summary": activity.runs_summary(window=window, now=now),
        "activity": activity.runs_activity(window=window, now=now),
        "invalid_rows": invalid,
        "invalid_total": sum(invalid_counts.values()),
        "progress": progress_payload(),
    }


def _rows(count: int, noun: str = "row") -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def overview_health(
    stats: SyncStats | None, *, invalid_counts: dict[str, int], error: str = ""
) -> dict[str, Any]:
    """A verdict (``ok``, ``attention``, ``down``) and its reasons, each with advice that
    fixes it, read off ``sync_stats()``. Ages are judged by the health service
    (``queue_stalled``, ``last_sync_too_old``), so that the two never disagree.
    ``invalid_counts``: per source, the rows known not to become documents.
    """
    if stats is None:
        return {"status": DOWN, "findings": [f"The sync statistics cannot be read: {error}"]}
    findings: list[str] = []
    status = OK
    # This web process's slots for Chroma requests were all taken (``syncer.chroma_slots``):
    # Chroma may well be answering (health, which takes no slot, says so), so not "down".
    busy = isinstance(stats.chroma_unavailable, ChromaBusy)
    for name, source in stats.sources.items():
        if source.chroma_error:
            if busy and source.chroma_error == str(stats.chroma_unavailable):
                status = DOWN if status == DOWN else ATTENTION
            else:
                status = DOWN
            findings.append(f"{name}: {source.chroma_error}")
            continue
        last = source.last_successful_run
        if last is None:
            findings.append(
                f"{name}: no full or incremental sync has succeeded yet; run `manage.py sync full`."
            )
        elif last_sync_too_old(last.age_seconds):
            findings.append(
                f"{name}: the last successful sync finished {age_text(last.age_seconds)} "
                "ago; are the schedules running?"
            )
        findings.extend(_drift_findings(name, source, invalid_counts.get(name, 0)))
        pending = source.pending_changes
        if pending:
            waiting = "is waiting" if pending == 1 else "are waiting"
            findings.append(
                f"{name}: {_rows(pending, 'change')} since the watermark {waiting} for the "
                "next incremental sync."
            )
    oldest = stats.oldest_queued_age_seconds
    if queue_stalled(oldest):
        findings.append(
            f"a run has been queued for {age_text(oldest)}: is the worker "
            "(`manage.py qcluster`) running?"
        )
    if findings and status == OK:
        status = ATTENTION
    return {"status": status, "findings": findings}


def _drift_findings(name: str, source: SourceStats, invalid: int) -> list[str]:
    """Why Chroma's count differs from the eligible rows, and what fixes each part: rows
    that cannot become documents are fixed at their source (no sync can embed them);
    what remains, a full sync fixes."""
    difference = source.eligible_count - source.chroma_count
    if not difference:
        return []
    findings = [
        f"{name}: Chroma holds {_rows(source.chroma_count, 'document')} but "
        f"{_rows(source.eligible_count)} {'is' if source.eligible_count == 1 else 'are'} "
        "eligible."
    ]
    explained = min(invalid, difference) if difference > 0 else 0
    if explained == 1:
        findings.append(
            f'{name}: 1 row cannot become a document (listed under "Rows that cannot become '
            'documents"): fix it in the source application; the next sync after that change '
            "picks it up."
        )
    elif explained:
        findings.append(
            f'{name}: {explained} rows cannot become documents (listed under "Rows that '
            'cannot become documents"): fix them in the source application; the next sync '
            "after each change picks that row up."
        )
    rest = difference - explained
    if rest > 0:
        findings.append(
            f"{name}: {_rows(rest)} missing from Chroma: run a full sync "
            "(`manage.py sync full`, or the button above)."
        )
    elif rest < 0:
        findings.append(
            f"{name}: {_rows(-rest, 'document')} in Chroma without an eligible row: a full "
            f"sync (`manage.py sync full`, or the button above) deletes "
            f"{'it' if rest == -1 else 'them'}."
        )
    return findings


def overview_sources(stats: SyncStats) -> list[dict[str, Any]]:
    """Per source: drift (Chroma against eligible rows) and lag (pending changes, the
    newest "updatedAt" ahead of the watermark, the age of the last successful run)."""
    rows = []
    for name, source in stats.sources.items():
        last = source.last_successful_run
        rows.append(
            {
                "name": name,
                "collection": source.collection,
                "chroma_count": source.chroma_count,
                "chroma_error": source.chroma_error,
                "eligible_count": source.eligible_count,
                "pending_changes": source.pending_changes,
                "watermark": source.watermark,
                "last_successful_run": last,
                "difference": None
                if source.chroma_count is None
                else source.chroma_count - source.eligible_count,
                "lag_seconds": activity.source_lag_seconds(
                    SOURCES[name], watermark=source.watermark
                ),
                "last_run_age_seconds": last.age_seconds if last else None,
            }
        )
    return rows


def invalid_rows() -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The rows that cannot become documents (the first INVALID_ROWS_SHOWN), with their
    reasons and links to their admin pages and to the last run that saw them; and how
    many there are per source."""
    rows = []
    for row in selectors.invalid_rows().select_related("last_seen_run")[:INVALID_ROWS_SHOWN]:
        run_id = row.last_seen_run_id
        rows.append(
            {
                "source": row.source,
                "record_id": row.record_id,
                "error_type": row.error_type,
                "message": row.reason,
                "url": _row_url(row.source, row.record_id),
                "run_id": run_id,
                "run_url": reverse("admin:syncer_syncrun_change", args=[run_id])
                if run_id
                else None,
                "seen_at": row.last_seen_at,
            }
        )
    return rows, selectors.invalid_row_counts()


def _row_url(source_name: str, record_id: str) -> str | None:
    source = SOURCES.get(source_name)
    if source is None:
        return None
    meta = source.model._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[quote(record_id)])
    except NoReverseMatch:
        return None


def progress_payload() -> dict[str, Any]:
    """Queued and running runs with rows done / total per source, and the runs that
    finished last (so that a page can say how the runs it watched ended)."""
    runs = []
    for run in activity.runs_in_progress():
        since = run["started_at"] or run["created_at"]
        runs.append(
            {
                "id": run["id"],
                "url": reverse("admin:syncer_syncrun_change", args=[run["id"]]),
                "what": f"{run['mode']} {run['record_id']}" if run["record_id"] else run["mode"],
                "trigger": run["trigger"],
                "status": run["status"],
                "since": time_text(since),
                "sources": [
                    _source_progress(name, run["progress"].get(name)) for name in run["sources"]
                ],
            }
        )
    finished = SyncRun.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-pk")
    return {
        "runs": runs,
        "finished": [
            {
                "id": run.pk,
                "url": reverse("admin:syncer_syncrun_change", args=[run.pk]),
                "status": run.status,
                "finished": time_text(run.finished_at),
            }
            for run in finished.only("pk", "status", "finished_at")[:JUST_FINISHED_SHOWN]
        ],
    }


def _source_progress(name: str, counts: dict[str, Any] | None) -> dict[str, Any]:
    done = counts["done"] if counts else 0
    total = counts["total"] if counts else None
    percent = None if not total else min(100, round(100 * done / total))
    if counts is None:
        text = "not started"
    elif total is None:
        text = f"{done} rows"
    else:
        text = f"{done} / {total} rows"
    return {"source": name, "done": done, "total": total, "percent": percent, "text": text}
