"""Incremental sync: watermark, overlap, late writers, deletions, failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from knowledge.models import KnowledgeReference
from syncer import selectors
from syncer.models import SyncRun
from syncer.services.runs import sync_run_execute
from syncer.sources import KNOWLEDGE
from syncer.store import store_open
from tests.conftest import touch

pytestmark = pytest.mark.usefixtures("chroma")

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def run(mode: str, **kwargs: Any) -> SyncRun:
    return sync_run_execute(mode=mode, trigger="cli", **kwargs)


def ids(collection: str) -> set[str]:
    return set(store_open(collection).collection.get(include=[])["ids"])


def scanned(run_: SyncRun, source: str) -> int:
    return run_.source_results.get(source=source).scanned


def test_incremental_picks_up_inserts_updates_deletes_and_exclusions(
    make_knowledge, make_journey
) -> None:
    old = make_knowledge(id="old", updated_at=at(0))
    updated = make_knowledge(id="updated", updated_at=at(60))
    deleted = make_knowledge(id="deleted", updated_at=at(61))
    rejected = make_knowledge(id="rejected", updated_at=at(62))
    archived = make_journey(id="archived", updated_at=at(63))
    make_journey(id="journey", updated_at=at(64))
    run("full")
    assert selectors.source_watermark(KNOWLEDGE) == at(62)

    make_knowledge(id="inserted", updated_at=at(120))
    touch(updated, title={"en": "Updated title"}, updated_at=at(121))
    deleted.delete()
    touch(rejected, status="REJECTED", updated_at=at(122))
    touch(archived, status="ARCHIVED", updated_at=at(123))

    incremental = run("incremental")

    assert incremental.status == SyncRun.Status.SUCCEEDED
    assert ids("knowledge_references") == {"old", "updated", "inserted"}
    assert ids("journey_templates") == {"journey"}
    text = store_open("knowledge_references").collection.get(ids=["updated"])["documents"][0]
    assert text.startswith("Updated title")
    # Only rows at or after watermark - overlap are read: "old" is not.
    assert scanned(incremental, "knowledge") == 2
    assert incremental.source_results.get(source="knowledge").deleted == 2
    assert selectors.source_watermark(KNOWLEDGE) == at(121)
    assert old.pk in ids("knowledge_references")


def test_late_writer_clock_inside_the_overlap_is_picked_up(make_knowledge) -> None:
    make_knowledge(id="first", updated_at=at(0))
    late = make_knowledge(id="late", updated_at=at(-30))
    run("full")
    watermark = selectors.source_watermark(KNOWLEDGE)
    # Another writer commits now, with a clock 2 minutes behind the watermark.
    touch(
        late, title={"en": "Written by a slow clock"}, updated_at=watermark - timedelta(minutes=2)
    )
    make_knowledge(id="late_insert", updated_at=watermark - timedelta(minutes=2))

    incremental = run("incremental")

    assert "late_insert" in ids("knowledge_references")
    text = store_open("knowledge_references").collection.get(ids=["late"])["documents"][0]
    assert text.startswith("Written by a slow clock")
    # The watermark never moves backwards because of a late writer.
    assert selectors.source_watermark(KNOWLEDGE) == watermark
    assert incremental.status == SyncRun.Status.SUCCEEDED


def test_rereading_the_overlap_costs_no_writes(make_knowledge, embedded_count) -> None:
    make_knowledge(updated_at=at(0))
    make_knowledge(updated_at=at(1))
    run("full")
    before = embedded_count()

    incremental = run("incremental")

    result = incremental.source_results.get(source="knowledge")
    assert (result.scanned, result.unchanged, result.upserted) == (2, 2, 0)
    assert embedded_count() == before


def test_first_incremental_without_a_watermark_syncs_everything(make_knowledge) -> None:
    make_knowledge(id="a", updated_at=at(0))
    make_knowledge(id="b", updated_at=at(-10_000))

    run("incremental")

    assert ids("knowledge_references") == {"a", "b"}


def test_watermark_does_not_pass_a_failed_record(make_journey) -> None:
    make_journey(id="ok_before", updated_at=at(0))
    make_journey(id="bad", goal_keyword=" ", tags=[], full_json={}, updated_at=at(10))
    make_journey(id="ok_after", updated_at=at(20))

    first = run("incremental")

    assert first.status == SyncRun.Status.PARTIAL
    assert first.source_results.get(source="journeys").watermark_after == at(10)
    assert ids("journey_templates") == {"ok_before", "ok_after"}

    # Once the row is fixed, the next incremental run picks it up.
    from journeys.models import JourneyTemplate

    JourneyTemplate.objects.filter(pk="bad").update(goal_keyword="fixed goal")
    second = run("incremental")
    assert second.status == SyncRun.Status.SUCCEEDED
    assert ids("journey_templates") == {"ok_before", "bad", "ok_after"}
    assert second.source_results.get(source="journeys").watermark_after == at(20)


def test_failed_run_keeps_the_previous_watermark(make_knowledge, settings) -> None:
    make_knowledge(updated_at=at(0))
    run("full")
    make_knowledge(updated_at=at(50))
    # Break Chroma for real: the collection is built by "another model".
    store_open("knowledge_references").collection.modify(metadata={"embedding_model": "other"})

    failed = run("incremental", sources=["knowledge"])

    assert failed.status == SyncRun.Status.FAILED
    assert selectors.source_watermark(KNOWLEDGE) == at(0)
    assert KnowledgeReference.objects.count() == 2
