"""Reads: the source tables (through the unmanaged models) and the run history.

Source rows are streamed in bounded batches by keyset pagination on the primary key:
never OFFSET, never the whole table in memory. Table names come from settings and reach
SQL only through Django's quoting.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Model, QuerySet

from syncer.models import SyncRun, SyncRunSource
from syncer.sources import Source


def _eligible(source: Source) -> QuerySet:
    return source.model.objects.exclude(status__in=source.excluded_statuses)


def source_rows(
    source: Source, *, updated_since: datetime | None = None, batch_size: int
) -> Iterator[list[Model]]:
    """Eligible rows in id order, ``batch_size`` at a time (``"updatedAt"`` ≥ since, if given)."""
    rows = _eligible(source)
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=updated_since)
    rows = rows.order_by("id")
    last_id: str | None = None
    while True:
        page_query = rows if last_id is None else rows.filter(id__gt=last_id)
        page = list(page_query[:batch_size])
        if page:
            yield page
        if len(page) < batch_size:
            return
        last_id = page[-1].pk


def source_row(source: Source, record_id: str) -> Model | None:
    """One row by id, whatever its status."""
    return source.model.objects.filter(pk=record_id).first()


def source_eligible_ids(source: Source, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` that exist and belong in Chroma."""
    return set(_eligible(source).filter(pk__in=list(ids)).values_list("pk", flat=True))


def source_eligible_count(source: Source, *, updated_since: datetime | None = None) -> int:
    rows = _eligible(source)
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=updated_since)
    return rows.count()


def source_changed_count(source: Source, *, since: datetime | None) -> int:
    """Eligible rows written after ``since`` (all when None): changes waiting to be synced.

    Rows that left (deleted or excluded) show as Chroma holding more than is eligible.
    """
    rows = _eligible(source)
    if since is not None:
        rows = rows.filter(updated_at__gt=since)
    return rows.count()


def source_watermark(source: Source) -> datetime | None:
    """The watermark of the last run of ``source`` that completed (succeeded or partial)."""
    result = (
        SyncRunSource.objects.filter(
            source=source.name,
            watermark_after__isnull=False,
            run__status__in=[SyncRun.Status.SUCCEEDED, SyncRun.Status.PARTIAL],
        )
        .order_by("-run__finished_at", "-run_id")
        .values_list("watermark_after", flat=True)
        .first()
    )
    return result


def runs_running(sources: Iterable[str]) -> QuerySet[SyncRun]:
    """Runs recorded as running on any of ``sources``."""
    return SyncRun.objects.filter(status=SyncRun.Status.RUNNING, sources__overlap=list(sources))


def run_last_successful(source: Source) -> SyncRun | None:
    return (
        SyncRun.objects.filter(
            status=SyncRun.Status.SUCCEEDED,
            sources__contains=[source.name],
            mode__in=[SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL],
        )
        .order_by("-finished_at")
        .first()
    )
