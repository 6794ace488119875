"""What an operator wants to know at a glance: counts on both sides, pending changes,
the last runs and the records they skipped, rows in the future or that cannot become
documents. Reads only: never loads the embedding model.

Chroma trouble does not hide the rest: a collection that cannot be read has its
``chroma_error``, and when the Chroma server cannot be reached (``chroma_reachable``
false) it is asked once, not once per collection (a frozen server costs its timeout
once)."""

from __future__ import annotations

from dataclasses import dataclass
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class RunSummary:
    """A finished run, as the stats name it (the last successful one, the last full
    reconcile)."""

    id: int
    mode: str
    finished_at: datetime
    age_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mode": self.mode,
            "finished_at": self.finished_at.isoformat(),
            "age_seconds": self.age_seconds,
        }


@dataclass(frozen=True)
class InvalidRowSummary:
    """A row that cannot become a document, with the runs that saw it."""

    id: str
    error: str
    updated_at: datetime | None
    first_seen_run: int | None
    last_seen_run: int | None
    first_seen_at: datetime
    last_seen_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "error": self.error,
            "updated_at": _iso(self.updated_at),
            "first_seen_run": self.first_seen_run,
            "last_seen_run": self.last_seen_run,
            "first_seen_at": self.first_seen_at.isoformat(),
            "last_seen_at": self.last_seen_at.isoformat(),
        }


@dataclass(frozen=True)
class InvalidRows:
    """How many rows of a source cannot become documents; the first INVALID_ROWS_SHOWN."""

    count: int
    rows: tuple[InvalidRowSummary, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "rows": [row.as_dict() for row in self.rows]}


@dataclass(frozen=True)
class SourceStats:
    """One source: its collection (``chroma_count`` None and ``chroma_error`` set when it
    cannot be read) against its eligible rows, what waits for the next incremental run,
    and the last runs that synced it."""

    collection: str
    chroma_count: int | None
    chroma_error: str | None
    eligible_count: int
    pending_changes: int
    future_rows: int
    invalid_rows: InvalidRows
    watermark: datetime | None
    last_successful_run: RunSummary | None
    last_full_reconcile: RunSummary | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "chroma_count": self.chroma_count,
            "chroma_error": self.chroma_error,
            "eligible_count": self.eligible_count,
            "pending_changes": self.pending_changes,
            "future_rows": self.future_rows,
            "invalid_rows": self.invalid_rows.as_dict(),
            "watermark": _iso(self.watermark),
            "last_successful_run": _summary_dict(self.last_successful_run),
            "last_full_reconcile": _summary_dict(self.last_full_reconcile),
        }


@dataclass(frozen=True)
class SyncStats:
    """What ``sync_stats`` found. ``as_dict()`` is the answer of ``GET sync/stats`` and of
    ``sync stats --json``; ``last_runs`` are already rendered (``reporting.run_as_dict``)."""

    chroma: str  # "embedded" or "server": never the host, port or directory
    sources: dict[str, SourceStats]
    queued_runs: int
    oldest_queued_age_seconds: float | None
    running_runs: list[int]
    last_runs: list[dict[str, Any]]
    # Why Chroma could not be asked (ChromaBusy when this process's interactive slots were
    # all taken, ``syncer.chroma_slots``), or None. The API answers it as any other
    # ChromaUnavailable (``syncer.api.exceptions``), so the two never word it differently.
    chroma_unavailable: ChromaUnavailable | None = None

    @property
    def chroma_reachable(self) -> bool:
        return self.chroma_unavailable is None

    @property
    def chroma_unreachable_error(self) -> str | None:
        """Why the Chroma server cannot be reached (or is busy), or None when it can."""
        return None if self.chroma_unavailable is None else str(self.chroma_unavailable)

    def as_dict(self) -> dict[str, Any]:
        return {
            "chroma": self.chroma,
            "chroma_reachable": self.chroma_reachable,
            "sources": {name: source.as_dict() for name, source in self.sources.items()},
            "queued_runs": self.queued_runs,
            "oldest_queued_age_seconds": self.oldest_queued_age_seconds,
            "running_runs": self.running_runs,
            "last_runs": self.last_runs,
        }


def _summary_dict(summary: RunSummary | None) -> dict[str, Any] | None:
    return summary.as_dict() if summary else None


def sync_stats() -> SyncStats:
    now = timezone.now()
    ages = selectors.sync_ages(SOURCES.values(), now=now)
    sources: dict[str, SourceStats] = {}
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
        sources[source.name] = SourceStats(
            collection=source.collection_name,
            chroma_count=chroma_count,
            chroma_error=chroma_error,
            eligible_count=counts.eligible,
            pending_changes=counts.pending,
            future_rows=counts.future,
            invalid_rows=_invalid_rows(source),
            watermark=watermark,
            last_successful_run=_run_summary(ages.last_successful[source.name], now),
            last_full_reconcile=_run_summary(selectors.run_last_full_reconcile(source), now),
        )
    return SyncStats(
        chroma=chroma_kind(),
        sources=sources,
        queued_runs=ages.queued_runs,
        oldest_queued_age_seconds=ages.oldest_queued_age_seconds,
        running_runs=list(
            SyncRun.objects.filter(status=SyncRun.Status.RUNNING).values_list("pk", flat=True)
        ),
        last_runs=[run_as_dict(run, errors_limit=RECORD_ERRORS_PER_RUN) for run in _last_runs()],
        chroma_unavailable=unreachable,
    )


def _last_runs() -> list[SyncRun]:
    """The runs still going, then the last ones to finish: a run a worker finished after
    later runs were created is among them (ordering by creation would hide it)."""
    runs = SyncRun.objects.order_by(F("finished_at").desc(nulls_first=True), "-pk")
    runs = with_first_record_errors(runs.prefetch_related("source_results"), RECORD_ERRORS_PER_RUN)
    return list(runs[:LAST_RUNS_SHOWN])


def _run_summary(run: SyncRun | None, now: datetime) -> RunSummary | None:
    if run is None:
        return None
    return RunSummary(
        id=run.pk,
        mode=run.mode,
        finished_at=run.finished_at,
        age_seconds=age_seconds(run.finished_at, now),
    )


def _invalid_rows(source: Source) -> InvalidRows:
    rows = selectors.invalid_rows(source)
    return InvalidRows(
        count=rows.count(),
        rows=tuple(
            InvalidRowSummary(
                id=row.record_id,
                error=f"{row.error_type}: {row.reason}",
                updated_at=row.updated_at,
                first_seen_run=row.first_seen_run_id,
                last_seen_run=row.last_seen_run_id,
                first_seen_at=row.first_seen_at,
                last_seen_at=row.last_seen_at,
            )
            for row in rows[:INVALID_ROWS_SHOWN]
        ),
    )
