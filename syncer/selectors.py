"""Reads: the source tables (through the unmanaged models), the run history and the
invalid rows.

Source rows are streamed in bounded batches by keyset pagination on the primary key:
never OFFSET, never the whole table in memory. Table names come from settings and reach
SQL only through Django's quoting.
"""

from __future__ import annotations

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


# What loading a row can raise because of a value it holds: a timestamp Python cannot hold
# (DataError), a JSONB value nesting deeper than Python's json decodes (RecursionError), a
# JSON number with more digits than Python converts (ValueError). psycopg raises the last
# two as they are, from its loader.
ROW_LOAD_ERRORS: tuple[type[Exception], ...] = (DataError, RecursionError, ValueError)


def row_load_problem(exc: BaseException) -> str:
    """Why a row could not be loaded, for its invalid-row reason (what to fix in it)."""
    if isinstance(exc, RecursionError):
        return (
            "a JSON column nests deeper than Python can decode (about 1,000 levels): "
            "flatten it in the source application"
        )
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, ValueError) and not isinstance(exc, DataError):
        return f"a JSON column holds a value Python cannot decode ({first[:300]})"
    return first


@dataclass(frozen=True)
class UnreadableRow:
    """A row that PostgreSQL holds but Python cannot load (a timestamp such as
    ``infinity`` or a year beyond 9999, a JSONB value nesting thousands of levels deep or
    a number of thousands of digits).

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
    except ROW_LOAD_ERRORS:
        ids = list(page_query.values_list("pk", flat=True)[:batch_size])
        loaded = (_row_or_unreadable(source, record_id) for record_id in ids)
        rows = [row for row in loaded if row is not None]  # None: deleted meanwhile
    return rows, (ids[-1] if ids else None), len(ids) < batch_size


def _row_or_unreadable(source: Source, record_id: str) -> Model | UnreadableRow | None:
    rows = source.model.objects.filter(pk=record_id)
    try:
        return rows.first()
    except ROW_LOAD_ERRORS as problem:
        status = rows.values_list("status", flat=True).first()
        try:
            updated_at = rows.values_list("updated_at", flat=True).first()
        except DataError:
            updated_at = None
        reason = row_load_problem(problem)
        return UnreadableRow(pk=record_id, status=status, updated_at=updated_at, problem=reason)


def source_row(source: Source, record_id: str) -> Model | UnreadableRow | None:
    """One row by id, whatever its status (an UnreadableRow when it cannot be loaded)."""
    return _source_read(source, lambda: _row_or_unreadable(source, record_id), "one row")


def source_eligible_ids(source: Source, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` that exist and belong in Chroma."""
    # PostgreSQL text holds no NUL: an id with one (a document another program wrote into
    # Chroma) has no row, and binding it would fail the whole look-up.
    ids = [record_id for record_id in ids if "\x00" not in record_id]
    if not ids:
        return set()
    # One array parameter: building and binding ``IN (%s, …)`` with thousands of
    # parameters cost more than PostgreSQL's lookup itself (docs/performance.md).
    wanted = RawSQL("SELECT unnest(%s::text[])", [ids])
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


def source_watermark(source: Source) -> datetime | None:
    """The watermark of the last full or incremental run in which ``source`` completed
    (``SyncRunSource.completed``, even when another source of that run failed); None when
    that run saw no row (a full sync of an empty table) or there is none."""
    return database_retry(
        lambda: (
            SyncRunSource.objects.filter(
                completed=True,
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


@dataclass(frozen=True)
class SyncAges:
    """How long things have waited, at ``now``: the oldest queued run (the worker's
    backlog) and each source's last successful run. Health, ``sync stats`` and the admin
    overview read them from here; ``syncer.services.health`` judges them."""

    queued_runs: int
    oldest_queued: SyncRun | None
    oldest_queued_age_seconds: float | None
    last_successful: dict[str, SyncRun | None]
    last_successful_age_seconds: dict[str, float | None]


def sync_ages(sources: Iterable[Source], *, now: datetime) -> SyncAges:
    queued = SyncRun.objects.filter(status=SyncRun.Status.QUEUED).order_by("created_at")
    oldest = queued.first()
    last = {source.name: run_last_successful(source) for source in sources}
    return SyncAges(
        queued_runs=queued.count(),
        oldest_queued=oldest,
        oldest_queued_age_seconds=None if oldest is None else age_seconds(oldest.created_at, now),
        last_successful=last,
        last_successful_age_seconds={
            name: None if run is None else age_seconds(run.finished_at, now)
            for name, run in last.items()
        },
    )


def age_seconds(since: datetime, now: datetime) -> float:
    """Seconds from ``since`` to ``now``, as every age is reported (0.1 s)."""
    return round((now - since).total_seconds(), 1)


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
    """The last run of ``modes`` in which ``source`` completed (``SyncRunSource.completed``,
    even when another source of that run failed) and whose result for it is one of
    ``results``."""
    return (
        SyncRun.objects.filter(
            finished_at__isnull=False,
            mode__in=modes,
            pk__in=results.filter(completed=True).values("run_id"),
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
