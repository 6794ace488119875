"""What an operator wants to know at a glance: counts on both sides, pending changes,
the last runs and the records they skipped, rows in the future or that cannot become
documents. Reads only: never loads the embedding model.

Chroma trouble does not hide the rest: a collection that cannot be read has its
``chroma_error``, and when the Chroma server cannot be reached (``chroma_reachable``
false) it is asked once, not once per collection (a frozen server costs its timeout
once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from syncer import selectors
from syncer.chroma_client import ChromaUnavailable, StoreError, chroma_kind
from syncer.models import SyncRun
from syncer.public_errors import error_public
from syncer.reporting import run_as_dict, with_first_record_errors
from syncer.selectors import age_seconds
from syncer.services.collections import collection_count
from syncer.sources import SOURCES, Source
from syncer.store import CollectionBroken, collection_broken

LAST_RUNS_SHOWN = 5
RECORD_ERRORS_PER_RUN = 10  # of each last run; its counts say how many there were
INVALID_ROWS_SHOWN = 20


def sync_stats() -> dict[str, Any]:
    now = timezone.now()
    ages = selectors.sync_ages(SOURCES.values(), now=now)
    sources: dict[str, Any] = {}
    unreachable: ChromaUnavailable | None = None
    for source in SOURCES.values():
        watermark = selectors.source_watermark(source)
        clock = selectors.source_clock(source)
        # A watermark past the source's clock (left by an older halasync) is not used by
        # the next incremental run either: it reads every row once.
        since = watermark if watermark is not None and watermark <= clock else None
        counts = selectors.source_counts(source, since=since, clock=clock)
        chroma_count: int | None = None
        chroma_error: str | None = str(unreachable) if unreachable else None
        try:
            if unreachable is None:
                chroma_count = collection_count(source=source)
        except ChromaUnavailable as exc:
            unreachable, chroma_error = exc, str(exc)
        except StoreError as exc:  # a missing collection's message names the directory
            chroma_error = error_public(str(exc))
        except Exception as exc:
            if not collection_broken(exc):
                raise
            chroma_error = str(CollectionBroken(source.collection_name, exc))
        sources[source.name] = {
            "collection": source.collection_name,
            "chroma_count": chroma_count,
            "chroma_error": chroma_error,
            "eligible_count": counts.eligible,
            "pending_changes": counts.pending,
            "future_rows": counts.future,
            "invalid_rows": _invalid_rows(source),
            "watermark": watermark.isoformat() if watermark else None,
            "last_successful_run": _run_summary(ages.last_successful[source.name], now),
            "last_full_reconcile": _run_summary(selectors.run_last_full_reconcile(source), now),
        }
    return {
        "chroma": chroma_kind(),  # never the host, port or directory: clients read this
        "chroma_reachable": unreachable is None,
        "sources": sources,
        "queued_runs": ages.queued_runs,
        "oldest_queued_age_seconds": ages.oldest_queued_age_seconds,
        "running_runs": list(
            SyncRun.objects.filter(status=SyncRun.Status.RUNNING).values_list("pk", flat=True)
        ),
        "last_runs": [run_as_dict(run, errors_limit=RECORD_ERRORS_PER_RUN) for run in _last_runs()],
    }


def _last_runs() -> list[SyncRun]:
    """The runs still going, then the last ones to finish: a run a worker finished after
    later runs were created is among them (ordering by creation would hide it)."""
    runs = SyncRun.objects.order_by(F("finished_at").desc(nulls_first=True), "-pk")
    runs = with_first_record_errors(runs.prefetch_related("source_results"), RECORD_ERRORS_PER_RUN)
    return list(runs[:LAST_RUNS_SHOWN])


def _run_summary(run: SyncRun | None, now: datetime) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "id": run.pk,
        "mode": run.mode,
        "finished_at": run.finished_at.isoformat(),
        "age_seconds": age_seconds(run.finished_at, now),
    }


def _invalid_rows(source: Source) -> dict[str, Any]:
    rows = selectors.invalid_rows(source)
    return {
        "count": rows.count(),
        "rows": [
            {
                "id": row.record_id,
                "error": f"{row.error_type}: {row.reason}",
                "updated_at": row.updated_at.isoformat() if row.updated_at else None,
                "first_seen_run": row.first_seen_run_id,
                "last_seen_run": row.last_seen_run_id,
                "first_seen_at": row.first_seen_at.isoformat(),
                "last_seen_at": row.last_seen_at.isoformat(),
            }
            for row in rows[:INVALID_ROWS_SHOWN]
        ],
    }
