"""Remove one record's document from Chroma, whatever its row says.

``sync_record`` deletes a document only when its row is gone or excluded; an operator who
wants an eligible row out of search now (bad content, awaiting review in the other
application) needs this. The row is not touched, so the next full sync, or the next
incremental sync after the row changes, puts the document back.
"""

from __future__ import annotations

from django.conf import settings

from syncer import selectors
from syncer.locks import sync_lock
from syncer.models import SyncRun
from syncer.services.engine import SourceOutcome, SourceSync
from syncer.services.runs import (
    RecordNotFound,
    RecordOutcome,
    _failure_sink,
    _save_outcome,
    run_recorded,
)
from syncer.sources import source_get
from syncer.store import CollectionMissing, store_open


def sync_record_remove(
    *, source: str, record_id: str, trigger: str, retry_transient: bool = True
) -> RecordOutcome:
    """Delete the document ``record_id`` from its collection, recorded as a single run.

    The action is ``deleted``, or ``unchanged`` when Chroma does not hold it but the row
    exists. Waits up to SYNC_LOCK_WAIT_SECONDS for a running sync, then raises SyncLocked.
    Raises RecordNotFound when the id is neither in PostgreSQL nor in Chroma.
    ``retry_transient=False`` tries once (for a caller that waits: an admin action).
    """
    spec = source_get(source)
    run = SyncRun(
        mode=SyncRun.Mode.SINGLE, trigger=trigger, sources=[spec.name], record_id=record_id
    )
    with sync_lock(
        [spec.name],
        wait_seconds=settings.SYNC_LOCK_WAIT_SECONDS,
        retry_transient=retry_transient,
    ):
        try:
            store = store_open(spec.collection_name, create=False)
        except CollectionMissing:
            store = None  # nothing was ever synced: nothing to remove
        present = store is not None and bool(store.metadatas([record_id]))
        if not present and selectors.source_row(spec, record_id) is None:
            raise RecordNotFound(
                f"{spec.label} {record_id!r} is neither in PostgreSQL nor in Chroma"
            )
        with run_recorded(run):
            outcome = SourceOutcome(source=spec.name, unchanged=0 if present else 1)
            if present:
                engine = SourceSync(source=spec, store=store, on_failure=_failure_sink(run))
                engine.delete([record_id])
                outcome = engine.outcome
            _save_outcome(
                run, outcome, previous_watermark=None, keep_watermark=False, completed=True
            )
    return RecordOutcome(run=run, id=record_id, action="deleted" if present else "unchanged")
