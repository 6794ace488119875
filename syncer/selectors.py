"""Reads: the source tables (through the unmanaged models) and the run history.

Source rows are streamed in bounded batches by keyset pagination on the primary key:
never OFFSET, never the whole table in memory. Table names come from settings and reach
SQL only through Django's quoting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import DataError
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from halasync.routers import source_alias
from syncer.models import SyncRun, SyncRunSource
from syncer.retry import database_retry
from syncer.sources import Source

T = TypeVar("T")


def _eligible(source: Source) -> QuerySet:
    return source.model.objects.exclude(status__in=source.excluded_statuses)


def _source_read(source: Source, query: Callable[[], T], what: str) -> T:
    """A read of the source tables, retried while the connection is broken."""
    return database_retry(query, what=f"reading {source.label} rows ({what})", using=source_alias())


@dataclass(frozen=True)
class UnreadableRow:
    """A row that PostgreSQL holds but Python cannot load (a timestamp such as
    ``infinity`` or a year beyond 9999).

    It stands in for the row in a batch: ``pk``, ``status`` and ``updated_at`` (when
    those can be read), and every other attribute raises ValueError with the reason, so
    converting it fails like any other bad record: recorded, skipped, the run goes on.
    """

    pk: str
    status: str | None
    updated_at: datetime | None
    problem: str

    @property
    def id(self) -> str:
        return self.pk

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise ValueError(f"the row cannot be read from PostgreSQL: {self.problem}")


def source_rows(
    source: Source, *, updated_since: datetime | None = None, batch_size: int
) -> Iterator[list[Model | UnreadableRow]]:
    """Eligible rows in id order, ``batch_size`` at a time (``"updatedAt"`` ≥ since, if given).

    A page that cannot be loaded because of an unreadable value is loaded row by row,
    the unreadable rows coming back as UnreadableRow.
    """
    rows = _eligible(source)
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=updated_since)
    rows = rows.order_by("id")
    last_id: str | None = None
    while True:
        page_query = rows if last_id is None else rows.filter(id__gt=last_id)
        page, last_id, complete = _source_read(
            source, lambda page_query=page_query: _page(source, page_query, batch_size), "page"
        )
        if page:
            yield page
        if complete:
            return


def _page(
    source: Source, page_query: QuerySet, batch_size: int
) -> tuple[list[Model | UnreadableRow], str | None, bool]:
    """(rows, last id, whether this was the last page)."""
    try:
        rows = list(page_query[:batch_size])
        ids = [row.pk for row in rows]
    except DataError:
        ids = list(page_query.values_list("pk", flat=True)[:batch_size])
        loaded = (_row_or_unreadable(source, record_id) for record_id in ids)
        rows = [row for row in loaded if row is not None]  # None: deleted meanwhile
    return rows, (ids[-1] if ids else None), len(ids) < batch_size


def _row_or_unreadable(source: Source, record_id: str) -> Model | UnreadableRow | None:
    rows = source.model.objects.filter(pk=record_id)
    try:
        return rows.first()
    except DataError as problem:
        status = rows.values_list("status", flat=True).first()
        try:
            updated_at = rows.values_list("updated_at", flat=True).first()
        except DataError:
            updated_at = None
        reason = str(problem).strip().splitlines()[0] if str(problem).strip() else "DataError"
        return UnreadableRow(pk=record_id, status=status, updated_at=updated_at, problem=reason)


def source_row(source: Source, record_id: str) -> Model | UnreadableRow | None:
    """One row by id, whatever its status (an UnreadableRow when it cannot be loaded)."""
    return _source_read(source, lambda: _row_or_unreadable(source, record_id), "one row")


def source_eligible_ids(source: Source, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` that exist and belong in Chroma."""
    # One array parameter: building and binding ``IN (%s, …)`` with thousands of
    # parameters cost more than PostgreSQL's lookup itself (bench/README.md).
    wanted = RawSQL("SELECT unnest(%s::text[])", [list(ids)])
    return _source_read(
        source,
        lambda: set(
            _eligible(source).filter(pk__in=wanted).order_by().values_list("pk", flat=True)
        ),
        "eligible ids",
    )


def source_eligible_count(source: Source, *, updated_since: datetime | None = None) -> int:
    rows = _eligible(source)
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=updated_since)
    return _source_read(source, rows.count, "count")


def source_changed_count(source: Source, *, since: datetime | None) -> int:
    """Eligible rows written after ``since`` (all when None): changes waiting to be synced.

    Rows that left (deleted or excluded) show as Chroma holding more than is eligible.
    """
    rows = _eligible(source)
    if since is not None:
        rows = rows.filter(updated_at__gt=since)
    return rows.count()


def source_completed(name: str, *, prefix: str = "run__") -> Q:
    """Runs in which source ``name`` ran to its end: runs that completed (succeeded or
    partial), and failed runs whose error does not name it as failed. Each source of a
    run ends on its own: a failed source is a line ``<name>: <error>`` of the run's
    error (``syncer.services.runs.each_source``), the others completed. ``prefix`` is the
    lookup path from the queried model to its run ("" on SyncRun itself)."""
    failed_here = Q(**{f"{prefix}error__regex": rf"(^|\n){re.escape(name)}: "})
    return Q(**{f"{prefix}status__in": [SyncRun.Status.SUCCEEDED, SyncRun.Status.PARTIAL]}) | (
        Q(**{f"{prefix}status": SyncRun.Status.FAILED}) & ~failed_here
    )


def source_watermark(source: Source) -> datetime | None:
    """The watermark of the last run of ``source`` in which it completed (even when
    another source of that run failed)."""
    return database_retry(
        lambda: (
            SyncRunSource.objects.filter(
                source_completed(source.name),
                source=source.name,
                watermark_after__isnull=False,
            )
            .order_by("-run__finished_at", "-run_id")
            .values_list("watermark_after", flat=True)
            .first()
        ),
        what=f"reading the {source.name} watermark",
    )


def runs_running(sources: Iterable[str] | None = None) -> QuerySet[SyncRun]:
    """Runs recorded as running on any of ``sources`` (on any source when None)."""
    runs = SyncRun.objects.filter(status=SyncRun.Status.RUNNING)
    return runs if sources is None else runs.filter(sources__overlap=list(sources))


@dataclass(frozen=True)
class RunsSnapshot:
    """The runs that may still write Chroma at one moment: any run created after
    ``last_id``, and the ``unfinished`` ones."""

    last_id: int
    unfinished: frozenset[int]


def runs_snapshot() -> RunsSnapshot:
    last_id = SyncRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    unfinished = SyncRun.objects.filter(finished_at__isnull=True).values_list("pk", flat=True)
    return RunsSnapshot(last_id=last_id, unfinished=frozenset(unfinished))


def runs_finished_since(snapshot: RunsSnapshot, *, excluding: Iterable[int] = ()) -> bool:
    """Whether a run that may have written Chroma finished after ``snapshot`` was taken.

    Compares run ids, not clocks: the processes writing runs may disagree about the time.
    """
    return (
        SyncRun.objects.filter(started_at__isnull=False, finished_at__isnull=False)
        .filter(Q(pk__gt=snapshot.last_id) | Q(pk__in=snapshot.unfinished))
        .exclude(pk__in=list(excluding))
        .exists()
    )


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
