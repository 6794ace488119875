"""sync_record_remove: the service behind the admin's "Remove selected from Chroma"."""

from __future__ import annotations

from typing import Any

import pytest

from syncer.locks import SyncLocked, sync_lock
from syncer.models import SyncRun
from syncer.services.records import RecordNotFound, sync_record, sync_record_remove
from syncer.sources import KNOWLEDGE
from syncer.store import store_open

pytestmark = pytest.mark.django_db


def _stored(ids: list[str]) -> set[str]:
    return set(store_open(KNOWLEDGE.collection_name).metadatas(ids))


def test_removes_an_eligible_document_and_records_the_run(chroma: str, make_knowledge: Any) -> None:
    row = make_knowledge()
    other = make_knowledge()
    for record in (row, other):
        sync_record(source="knowledge", record_id=record.pk, trigger="cli")

    outcome = sync_record_remove(source="knowledge", record_id=row.pk, trigger="admin")

    assert outcome.action == "deleted" and outcome.id == row.pk
    assert _stored([row.pk, other.pk]) == {other.pk}
    run = SyncRun.objects.get(pk=outcome.run.pk)
    assert (run.mode, run.trigger, run.status, run.record_id) == (
        "single",
        "admin",
        "succeeded",
        row.pk,
    )
    result = run.source_results.get()
    assert (result.source, result.deleted, result.watermark_after) == ("knowledge", 1, None)
    # The row is untouched: a sync puts the document back.
    assert sync_record(source="knowledge", record_id=row.pk, trigger="cli").action == "upserted"


def test_row_not_in_chroma_is_unchanged(chroma: str, make_knowledge: Any) -> None:
    row = make_knowledge()
    # No collection at all yet: nothing to remove, and none is created for it.
    outcome = sync_record_remove(source="knowledge", record_id=row.pk, trigger="admin")
    assert outcome.action == "unchanged"
    assert outcome.run.source_results.get().unchanged == 1
    store_open(KNOWLEDGE.collection_name)
    outcome = sync_record_remove(source="knowledge", record_id=row.pk, trigger="admin")
    assert outcome.action == "unchanged"


def test_unknown_everywhere_is_record_not_found(chroma: str) -> None:
    store_open(KNOWLEDGE.collection_name)
    with pytest.raises(RecordNotFound, match="neither in PostgreSQL nor in Chroma"):
        sync_record_remove(source="knowledge", record_id="ghost", trigger="admin")
    assert not SyncRun.objects.exists()


def test_refused_while_another_sync_holds_the_lock(
    chroma: str, make_knowledge: Any, settings: Any
) -> None:
    settings.SYNC_LOCK_WAIT_SECONDS = 0
    row = make_knowledge()
    with sync_lock(["knowledge"]), pytest.raises(SyncLocked):
        sync_record_remove(source="knowledge", record_id=row.pk, trigger="admin")
    assert not SyncRun.objects.exists()


def test_unknown_source_is_a_value_error(chroma: str) -> None:
    with pytest.raises(ValueError, match="unknown source"):
        sync_record_remove(source="nope", record_id="x", trigger="admin")


def test_a_chroma_failure_ends_the_run_failed(
    chroma: str, make_knowledge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syncer.store import CollectionStore

    row = make_knowledge()
    sync_record(source="knowledge", record_id=row.pk, trigger="cli")

    def failing_delete(self: CollectionStore, ids: Any) -> None:
        # Injected: a Chroma write that fails for a reason of its own cannot be staged.
        raise RuntimeError("disk full")

    monkeypatch.setattr(CollectionStore, "delete", failing_delete)
    with pytest.raises(RuntimeError, match="disk full"):
        sync_record_remove(source="knowledge", record_id=row.pk, trigger="admin")
    run = SyncRun.objects.get(trigger="admin")
    assert (run.status, run.error) == ("failed", "RuntimeError: disk full")
    assert run.finished_at is not None
