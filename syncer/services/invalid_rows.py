"""Invalid rows: source rows that cannot become documents, kept in one small table.

A row without any text, or with a timestamp Python cannot hold, is a data problem, not a
failing sync: the run records it here (``InvalidRow``: reason, the row's "updatedAt",
first and last run that saw it) and otherwise treats it as excluded. It is not a record
error, does not make the run ``partial`` and does not hold the watermark back, so it is
read again only when its "updatedAt" moves, i.e. when someone changed it.

An entry is removed when its row converts (any sync that reads it), and when the row is
deleted or leaves the eligible statuses (``InvalidRowBook.reconcile``, run with every
deletion sweep and full sync). ``sync stats``, health and the admin overview list them
(``syncer.selectors.invalid_rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone

from syncer import selectors
from syncer.models import InvalidRow, SyncRun, record_key
from syncer.retry import database_retry
from syncer.services.engine import InvalidRecord
from syncer.sources import Source

Seen = tuple[str, str, object]  # (error_type, reason, updated_at) as last recorded


class InvalidRowBook:
    """The invalid rows of one source as one run sees them (an ``InvalidRowSink``).

    Loads the source's entries once (they are few), so that rows converting normally
    cost no query; writes only what changed. ``record_run`` saves a run that is not saved
    yet (``sync watch`` defers idle cycles): a new or changed invalid row is news and is
    recorded with its run, a row seen again unchanged by an unsaved run writes nothing.
    """

    def __init__(self, *, run: SyncRun, source: Source, record_run: Callable[[], None]) -> None:
        self.run = run
        self.source = source
        self._record_run = record_run
        self._known: dict[str, Seen] | None = None

    @property
    def known(self) -> dict[str, Seen]:
        if self._known is None:
            entries = database_retry(
                lambda: list(
                    InvalidRow.objects.filter(source=self.source.name).values_list(
                        "record_id", "error_type", "reason", "updated_at"
                    )
                ),
                what=f"reading the invalid {self.source.name} rows",
            )
            self._known = {
                record_id: (error_type, reason, updated_at)
                for record_id, error_type, reason, updated_at in entries
            }
        return self._known

    def seen(self, records: list[InvalidRecord]) -> set[str]:
        """Record ``records``; the ids of those that are new or changed since last seen."""
        news = {
            record.record_id
            for record in records
            if self.known.get(record.record_id)
            != (record.error_type, record.message, record.updated_at)
        }
        if news:
            self._record_run()
        if self.run.pk is None:
            return news  # an unsaved run that only met known rows: nothing to write
        now = timezone.now()
        entries = [
            InvalidRow(
                source=self.source.name,
                record_id=record.record_id,
                record_key=record_key(record.record_id),
                error_type=record.error_type[:128],
                reason=record.message,
                updated_at=record.updated_at,
                first_seen_run=self.run,
                last_seen_run=self.run,
                first_seen_at=now,
                last_seen_at=now,
            )
            for record in records
        ]
        database_retry(
            lambda: InvalidRow.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["source", "record_key"],
                update_fields=[
                    "record_id",
                    "error_type",
                    "reason",
                    "updated_at",
                    "last_seen_run",
                    "last_seen_at",
                ],
            ),
            what=f"recording invalid rows of run #{self.run.pk}",
        )
        for record in records:
            self.known[record.record_id] = (record.error_type, record.message, record.updated_at)
        return news

    def converted(self, ids: Iterable[str]) -> None:
        """These rows became documents: they are invalid no more."""
        self.discard(ids)

    def discard(self, ids: Iterable[str]) -> None:
        """Forget these rows (converted, deleted or excluded)."""
        if not self.known:
            return
        gone = [record_id for record_id in ids if record_id in self.known]
        if not gone:
            return
        database_retry(
            lambda: InvalidRow.objects.filter(
                source=self.source.name, record_key__in=[record_key(i) for i in gone]
            ).delete(),
            what=f"removing rows of {self.source.name} that are no longer invalid",
        )
        for record_id in gone:
            self.known.pop(record_id, None)

    def reconcile(self) -> None:
        """Forget the rows that were deleted or left the eligible statuses."""
        if not self.known:
            return
        eligible = selectors.source_eligible_ids(self.source, list(self.known))
        self.discard([record_id for record_id in list(self.known) if record_id not in eligible])
