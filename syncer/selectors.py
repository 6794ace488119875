"""Reads: the source tables (through the unmanaged models), the run history and the
invalid rows.

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

from django.db import DataError, connections
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from halasync.routers import source_alias
from syncer.models import InvalidRow, SyncRun, SyncRunSource
from syncer.retry import database_retry
from syncer.sources import Source
from syncer.sources.base import as_utc

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
    # parameters cost more than PostgreSQL's lookup itself (docs/performance.md).
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


def source_clock(source: Source) -> datetime:
    """The source database's own clock (``now()``, in UTC).

    "updatedAt" is written by the other application's clients: a row stamped after this
    is in the future (a skewed clock, a typo'd year). Runs read it once at their start
    and never move the watermark past it. (``statement_timestamp()`` is ``now()`` outside
    a transaction, and still the present inside one, where ``now()`` stands still.)
    """

    def read() -> datetime:
        with connections[source_alias()].cursor() as cursor:
            cursor.execute("SELECT statement_timestamp()")
            return cursor.fetchone()[0]

    return as_utc(_source_read(source, read, "the database clock"))


@dataclass(frozen=True)
class SourceCounts:
    eligible: int
    pending: int  # written after ``since`` and not after the clock: waiting to be synced
    future: int  # stamped after the source database's clock (synced by every run)


def source_counts(source: Source, *, since: datetime | None, clock: datetime) -> SourceCounts:
    """Eligible rows, and of those the changes waiting since ``since`` (all when None) and
    the rows stamped in the future, in one scan (there is no index on "updatedAt").

    Rows that left (deleted or excluded) show as Chroma holding more than is eligible.
    """
    waiting = Q(updated_at__lte=clock)
    if since is not None:
        waiting &= Q(updated_at__gt=since)
    counts = _source_read(
        source,
        lambda: _eligible(source).aggregate(
            eligible=Count("pk"),
            pending=Count("pk", filter=waiting),
            future=Count("pk", filter=Q(updated_at__gt=clock)),
        ),
        "counts",
    )
    return SourceCounts(**counts)


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
    """The watermark of the last full or incremental run in which ``source`` completed
    (even when another source of that run failed); None when that run saw no row (a full
    sync of an empty table) or there is none."""
    return database_retry(
        lambda: (
            SyncRunSource.objects.filter(
                source_completed(source.name),
                source=source.name,
                run__mode__in=[SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL],
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
    """The last full or incremental run that synced ``source`` without a record error,
    judged by its result for that source: a run partial because of another source still
    counts. (Invalid rows are not errors: see syncer.services.invalid_rows.)"""
    return _run_last(
        source,
        modes=[SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL],
        results=SyncRunSource.objects.filter(source=source.name, errors=0),
    )


def run_last_full_reconcile(source: Source) -> SyncRun | None:
    """The last completed run that compared every row of ``source`` with Chroma (``sync
    full`` or ``sync verify --repair``): the only runs that catch a row written with an
    "updatedAt" older than the incremental look-back."""
    return _run_last(
        source,
        modes=[SyncRun.Mode.FULL, SyncRun.Mode.REPAIR],
        results=SyncRunSource.objects.filter(source=source.name),
    )


def _run_last(source: Source, *, modes: list[str], results: QuerySet) -> SyncRun | None:
    """The last run of ``modes`` in which ``source`` completed (even when another source
    of that run failed) and whose result for it is one of ``results``."""
    return (
        SyncRun.objects.filter(
            source_completed(source.name, prefix=""),
            finished_at__isnull=False,
            mode__in=modes,
            pk__in=results.values("run_id"),
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def invalid_row_counts() -> dict[str, int]:
    """How many rows cannot become documents, per source name (sources without any left
    out)."""
    counts = InvalidRow.objects.order_by().values("source").annotate(count=Count("pk"))
    return {entry["source"]: entry["count"] for entry in counts}


def invalid_rows(source: Source | None = None) -> QuerySet[InvalidRow]:
    """The rows that cannot become documents (of ``source``, or of all), by source and id;
    for ``sync stats``, health and the admin overview."""
    rows = InvalidRow.objects.all()
    return rows if source is None else rows.filter(source=source.name)
