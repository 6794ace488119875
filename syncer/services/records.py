"""One record at a time: sync it (``sync ref``/``template``, the API, the admin) or
remove its document (the admin's "remove from search").

Both are recorded as a ``single`` SyncRun under the source's lock (waiting up to
SYNC_LOCK_WAIT_SECONDS for a running sync, then SyncLocked) and share that set-up
(``_single_run``). ``sync_record_remove`` exists because ``sync_record`` deletes a
document only when its row is gone or excluded; an operator who wants an eligible row out
of search now (bad content, awaiting review in the other application) needs it. The row
is not touched, so the next full sync, or the next incremental sync after the row
changes, puts the document back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from syncer import selectors
from syncer.locks import sync_lock
from syncer.models import SyncRun, SyncRunSource
from syncer.retry import database_retry
from syncer.services.bookkeeping import failure_sink, run_record, run_recorded, save_outcome
from syncer.services.engine import SourceOutcome, SourceSync
from syncer.services.invalid_rows import InvalidRowBook
from syncer.services.leftovers import leftovers_drop
from syncer.sources import Source, source_get
from syncer.store import CollectionMissing, CollectionStore, store_open


class RecordNotFound(LookupError):
    """The id is neither in PostgreSQL nor in Chroma."""


@dataclass(frozen=True)
class RecordOutcome:
    """What a single-record run did to ``id``: ``action`` is upserted, metadata_updated,
    unchanged, deleted or failed (then ``error`` says why)."""

    run: SyncRun
    id: str
    action: str
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The answer of the API and of ``sync ref|template --json``."""
        return {
            "id": self.id,
            "action": self.action,
            "run": self.run.pk,
            "error": self.error or None,
        }


def sync_record(
    *, source: str, record_id: str, trigger: str, retry_transient: bool = True
) -> RecordOutcome:
    """Sync one record: upsert it, or delete it when it is gone or excluded.

    Waits up to SYNC_LOCK_WAIT_SECONDS for a running sync, then raises SyncLocked.
    Raises RecordNotFound when the id is neither in PostgreSQL nor in Chroma. When
    PostgreSQL or Chroma fails beyond the retries (ChromaUnavailable: the server cannot
    be reached), the run is marked failed and the error raised. ``retry_transient=False``
    tries once, for a caller that waits (an API request, an admin action).
    """
    with _single_run(source, record_id, trigger, retry_transient) as (spec, run):
        row = selectors.source_row(spec, record_id)
        store = _record_store(spec)
        invalid_rows = InvalidRowBook(run=run, source=spec, record_run=lambda: run_record(run))
        # The one record asked for was not synced: an invalid row is an error here too.
        engine = SourceSync(
            source=spec,
            store=store,
            on_failure=failure_sink(run),
            invalid_rows=invalid_rows,
            track_actions=True,
            invalid_is_error=True,
        )
        eligible = row is not None and spec.is_eligible(row)
        in_chroma = not eligible and bool(store.metadatas([record_id]))
        if row is None and not in_chroma:
            raise _not_found(spec, record_id)
        with run_recorded(run):
            if eligible:
                engine.apply_rows([row])
            else:
                invalid_rows.discard([record_id])  # gone or excluded: not invalid any more
                if in_chroma:
                    engine.delete([record_id])
                else:
                    engine.outcome.actions[record_id] = "unchanged"
            save_outcome(
                run, engine.outcome, previous_watermark=None, keep_watermark=False, completed=True
            )
    action = engine.outcome.actions.get(record_id, "unchanged")
    return RecordOutcome(
        run=run, id=record_id, action=action, error=engine.outcome.problems.get(record_id, "")
    )


def sync_record_remove(
    *, source: str, record_id: str, trigger: str, retry_transient: bool = True
) -> RecordOutcome:
    """Delete the document ``record_id`` from its collection, recorded as a single run.

    The action is ``deleted``, or ``unchanged`` when Chroma does not hold it but the row
    exists. Waits up to SYNC_LOCK_WAIT_SECONDS for a running sync, then raises SyncLocked.
    Raises RecordNotFound when the id is neither in PostgreSQL nor in Chroma.
    ``retry_transient=False`` tries once (for a caller that waits: an admin action).
    """
    with _single_run(source, record_id, trigger, retry_transient) as (spec, run):
        try:
            store = store_open(spec.collection_name, create=False)
        except CollectionMissing:
            store = None  # nothing was ever synced: nothing to remove
        present = store is not None and bool(store.metadatas([record_id]))
        if not present and selectors.source_row(spec, record_id) is None:
            raise _not_found(spec, record_id)
        with run_recorded(run):
            outcome = SourceOutcome(source=spec.name, unchanged=0 if present else 1)
            if present:
                engine = SourceSync(source=spec, store=store, on_failure=failure_sink(run))
                engine.delete([record_id])
                outcome = engine.outcome
            save_outcome(
                run, outcome, previous_watermark=None, keep_watermark=False, completed=True
            )
    return RecordOutcome(run=run, id=record_id, action="deleted" if present else "unchanged")


class CollectionLost(CollectionMissing):
    """The collection of a source that was synced before is gone, and no complete
    rebuild waits to take its place. The message names the collection and the fix, never
    where Chroma is: the API shows it as it is."""


def _record_store(source: Source) -> CollectionStore:
    """The collection a single-record sync writes (its caller holds the lock).

    When it is missing, this does first what the next run of the source would
    (``leftovers_drop``): a complete rebuilt collection that a ``--rebuild`` cut short
    left waiting is put in place, unfinished ones are dropped. A missing collection is
    never created here once the source has been synced: with one document in it, later
    incremental runs (which read only what changed) would take it for complete;
    CollectionLost tells the operator to run a full sync. Before any sync it is created:
    the first incremental or full run reads every row anyway.
    """
    try:
        return store_open(source.collection_name, create=False)
    except CollectionMissing:
        pass
    leftovers_drop(source)
    try:
        return store_open(source.collection_name, create=False)  # a rebuild put in place
    except CollectionMissing:
        if _ever_synced(source):
            raise CollectionLost(
                f"Chroma collection {source.collection_name!r} is missing although "
                f"{source.name} was synced before; run `manage.py sync full` to rebuild "
                "it (a single-record sync does not)."
            ) from None
    return store_open(source.collection_name)


def _ever_synced(source: Source) -> bool:
    return database_retry(
        lambda: SyncRunSource.objects.filter(
            source=source.name,
            completed=True,
            run__mode__in=[SyncRun.Mode.FULL, SyncRun.Mode.INCREMENTAL],
        ).exists(),
        what=f"reading the {source.name} run history",
    )


@contextmanager
def _single_run(
    source: str, record_id: str, trigger: str, retry_transient: bool
) -> Iterator[tuple[Source, SyncRun]]:
    """The source and an unsaved ``single`` run for ``record_id``, with the lock held."""
    spec = source_get(source)
    run = SyncRun(
        mode=SyncRun.Mode.SINGLE, trigger=trigger, sources=[spec.name], record_id=record_id
    )
    with sync_lock(
        [spec.name],
        wait_seconds=settings.SYNC_LOCK_WAIT_SECONDS,
        retry_transient=retry_transient,
    ):
        yield spec, run


def _not_found(spec: Source, record_id: str) -> RecordNotFound:
    return RecordNotFound(f"{spec.label} {record_id!r} is neither in PostgreSQL nor in Chroma")
