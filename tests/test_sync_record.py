"""Single-record sync: upsert, metadata-only, unchanged, delete, not found."""

from __future__ import annotations

import pytest

from syncer.models import SyncRun
from syncer.services.records import RecordNotFound, sync_record
from syncer.store import store_open
from tests.conftest import touch

pytestmark = pytest.mark.usefixtures("chroma")


def one(source: str, record_id: str) -> str:
    return sync_record(source=source, record_id=record_id, trigger="cli").action


def in_chroma(collection: str, record_id: str) -> bool:
    return bool(store_open(collection).collection.get(ids=[record_id])["ids"])


def test_single_record_lifecycle(make_knowledge, embedded_count) -> None:
    reference = make_knowledge()
    assert one("knowledge", reference.id) == "upserted"
    assert in_chroma("knowledge_references", reference.id)

    before = embedded_count()
    assert one("knowledge", reference.id) == "unchanged"
    touch(reference, status="PENDING")
    assert one("knowledge", reference.id) == "metadata_updated"
    assert embedded_count() == before

    record_id = reference.id
    reference.delete()
    assert one("knowledge", record_id) == "deleted"
    assert not in_chroma("knowledge_references", record_id)


def test_excluded_row_is_removed_at_once(make_journey) -> None:
    template = make_journey()
    one("journeys", template.id)
    touch(template, status="ARCHIVED")

    assert one("journeys", template.id) == "deleted"
    assert not in_chroma("journey_templates", template.id)
    # Excluded and already absent: nothing to do, not an error.
    assert one("journeys", template.id) == "unchanged"


def test_unknown_everywhere_is_not_found(db) -> None:
    with pytest.raises(RecordNotFound, match="neither in PostgreSQL nor in Chroma"):
        one("knowledge", "no-such-id")
    assert not SyncRun.objects.exists()


def test_single_record_runs_are_recorded(make_knowledge) -> None:
    reference = make_knowledge()
    outcome = sync_record(source="knowledge", record_id=reference.id, trigger="api")
    run = SyncRun.objects.get(pk=outcome.run.pk)
    assert (run.mode, run.trigger, run.status, run.record_id) == (
        "single",
        "api",
        "succeeded",
        reference.id,
    )
    assert run.source_results.get().upserted == 1


def test_ids_with_odd_characters_round_trip(make_knowledge) -> None:
    odd = "ref with spaces?&#/ünïcødé " + "x" * 250
    make_knowledge(id=odd)
    assert one("knowledge", odd) == "upserted"
    assert in_chroma("knowledge_references", odd)
