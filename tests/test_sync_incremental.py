"""Incremental sync: watermark, overlap, late writers, deletions, failures, rows stamped
in the future and rows that cannot become documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer import selectors
from syncer.models import InvalidRow, SyncRun, SyncRunSource
from syncer.services.runs import sync_run_execute
from syncer.services.stats import sync_stats
from syncer.services.verify import sync_verify
from syncer.sources import JOURNEYS, KNOWLEDGE
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


def test_watermark_does_not_pass_a_failed_record(make_knowledge, chroma_refuses) -> None:
    make_knowledge(id="ok_before", updated_at=at(0))
    bad = make_knowledge(id="bad", updated_at=at(10))
    chroma_refuses("bad")
    make_knowledge(id="ok_after", updated_at=at(20))

    first = run("incremental")

    assert first.status == SyncRun.Status.PARTIAL
    assert first.source_results.get(source="knowledge").watermark_after == at(10)
    assert ids("knowledge_references") == {"ok_before", "ok_after"}
    assert first.record_errors.get().record_id == "bad"

    # Once Chroma takes it again (the row fixed), the next incremental run picks it up.
    chroma_refuses()
    KnowledgeReference.objects.filter(pk=bad.pk).update(title={"en": "fixed title"})
    second = run("incremental")
    assert second.status == SyncRun.Status.SUCCEEDED
    assert ids("knowledge_references") == {"ok_before", "bad", "ok_after"}
    assert second.source_results.get(source="knowledge").watermark_after == at(20)


def invalid_rows() -> dict[str, InvalidRow]:
    return {row.record_id: row for row in InvalidRow.objects.all()}


def test_an_invalid_row_neither_fails_the_run_nor_holds_the_watermark(make_journey) -> None:
    make_journey(id="ok_before", updated_at=at(0))
    bad = make_journey(id="bad", goal_keyword=" ", tags=[], full_json={}, updated_at=at(10))
    make_journey(id="ok_after", updated_at=at(20))

    first = run("incremental")

    # A data problem, not a failing sync: recorded apart, treated as excluded.
    assert first.status == SyncRun.Status.SUCCEEDED
    assert not first.record_errors.exists()
    result = first.source_results.get(source="journeys")
    assert (result.scanned, result.upserted, result.errors, result.invalid) == (3, 2, 0, 1)
    assert result.watermark_after == at(20)
    assert ids("journey_templates") == {"ok_before", "ok_after"}
    entry = invalid_rows()["bad"]
    assert (entry.source, entry.error_type) == ("journeys", "DocumentError")
    assert entry.reason.startswith("the row has no text to embed")
    assert entry.updated_at == at(10)
    assert entry.first_seen_run_id == entry.last_seen_run_id == first.pk

    # Not read again while it does not change: the next run starts after it.
    second = run("incremental")
    assert second.status == SyncRun.Status.SUCCEEDED
    assert second.source_results.get(source="journeys").scanned == 1
    assert invalid_rows()["bad"].last_seen_run_id == first.pk

    # Changed but still invalid: read again, recorded again.
    touch(bad, match_count=3, updated_at=at(30))
    third = run("incremental")
    assert third.status == SyncRun.Status.SUCCEEDED
    entry = invalid_rows()["bad"]
    assert (entry.updated_at, entry.first_seen_run_id, entry.last_seen_run_id) == (
        at(30),
        first.pk,
        third.pk,
    )

    # Fixed: synced, and no longer listed.
    touch(bad, goal_keyword="fixed goal", updated_at=at(40))
    fourth = run("incremental")
    assert fourth.status == SyncRun.Status.SUCCEEDED
    assert ids("journey_templates") == {"ok_before", "bad", "ok_after"}
    assert invalid_rows() == {}
    assert fourth.source_results.get(source="journeys").watermark_after == at(40)


def test_a_row_that_becomes_invalid_leaves_chroma(make_journey) -> None:
    row = make_journey(id="j", updated_at=at(0))
    run("full")
    assert ids("journey_templates") == {"j"}

    touch(row, goal_keyword="", tags=[], full_json={}, updated_at=at(5))
    # Until a sync reads it, verify calls its document an orphan (and the row invalid).
    drift = sync_verify(sources=["journeys"]).sources[0]
    assert (drift.orphans, [record_id for record_id, _ in drift.invalid]) == (["j"], ["j"])

    incremental = run("incremental")

    # As if it were excluded: its old document no longer says what the row says.
    assert incremental.status == SyncRun.Status.SUCCEEDED
    result = incremental.source_results.get(source="journeys")
    assert (result.invalid, result.deleted) == (1, 1)
    assert ids("journey_templates") == set()
    assert set(invalid_rows()) == {"j"}
    # Verify reports the row (the source must fix it), and no document left behind.
    drift = sync_verify(sources=["journeys"]).sources[0]
    assert [record_id for record_id, _ in drift.invalid] == ["j"]
    assert not drift.orphans and not drift.missing and not drift.stale


def test_invalid_rows_leave_the_table_when_deleted_or_excluded(make_journey) -> None:
    for name in ("deleted", "archived", "stays"):
        make_journey(id=name, goal_keyword="", tags=[], full_json={}, updated_at=at(0))
    run("incremental")
    assert set(invalid_rows()) == {"deleted", "archived", "stays"}

    JourneyTemplate.objects.filter(pk="deleted").delete()
    JourneyTemplate.objects.filter(pk="archived").update(status="ARCHIVED")
    # The deletion sweep reconciles the table, whatever the watermark reads.
    swept = run("incremental")

    assert swept.status == SyncRun.Status.SUCCEEDED
    assert set(invalid_rows()) == {"stays"}
    JourneyTemplate.objects.filter(pk="stays").delete()
    run("full", sources=["journeys"])
    assert invalid_rows() == {}


# --- rows stamped in the future -------------------------------------------------------------


def test_a_row_stamped_in_the_future_never_moves_the_watermark_past_the_source_clock(
    make_knowledge,
) -> None:
    make_knowledge(id="future", updated_at=datetime(2099, 1, 1, tzinfo=UTC))
    edited = make_knowledge(id="edited", updated_at=at(0))
    make_knowledge(id="other", updated_at=at(1))

    full = run("full")

    assert full.status == SyncRun.Status.SUCCEEDED
    assert ids("knowledge_references") == {"future", "edited", "other"}  # it still syncs
    assert selectors.source_watermark(KNOWLEDGE) == at(1)
    stats = sync_stats().sources["knowledge"]
    assert (stats.pending_changes, stats.future_rows) == (0, 1)
    out = StringIO()
    call_command("sync", "stats", stdout=out)
    assert '1 row(s) with "updatedAt" in the future' in out.getvalue()

    # A later edit, stamped by a correct clock, is not hidden behind 2099.
    touch(edited, title={"en": "Edited after the future row"}, updated_at=at(60))
    stats = sync_stats().sources["knowledge"]
    assert (stats.pending_changes, stats.future_rows) == (1, 1)

    incremental = run("incremental")

    assert incremental.status == SyncRun.Status.SUCCEEDED
    text = store_open("knowledge_references").collection.get(ids=["edited"])["documents"][0]
    assert text.startswith("Edited after the future row")
    result = incremental.source_results.get(source="knowledge")
    # The future row is read again by every run, at no cost ("other" is in the overlap).
    assert (result.scanned, result.upserted, result.unchanged) == (3, 1, 2)
    assert selectors.source_watermark(KNOWLEDGE) == at(60)
    assert sync_stats().sources["knowledge"].pending_changes == 0


def test_full_sync_recomputes_a_watermark_left_in_the_future(make_knowledge) -> None:
    future = make_knowledge(id="future", updated_at=datetime(2099, 1, 1, tzinfo=UTC))
    make_knowledge(id="k", updated_at=at(0))
    run("full")
    # What an older halasync recorded after syncing that row: the watermark at 2099.
    poisoned = run("incremental")
    SyncRunSource.objects.filter(run=poisoned, source="knowledge").update(
        watermark_after=datetime(2099, 1, 1, tzinfo=UTC)
    )
    assert selectors.source_watermark(KNOWLEDGE).year == 2099

    # The operator fixes the row, then runs a full sync: not max(old, new).
    touch(future, updated_at=at(30))
    repaired = run("full")

    assert selectors.source_watermark(KNOWLEDGE) == at(30)
    assert repaired.source_results.get(source="knowledge").watermark_before.year == 2099
    # Journeys (empty) recomputed too: nothing seen, no watermark.
    assert selectors.source_watermark(JOURNEYS) is None


def test_incremental_rereads_everything_under_a_watermark_left_in_the_future(
    make_knowledge,
) -> None:
    edited = make_knowledge(id="edited", updated_at=at(0))
    run("full")
    SyncRunSource.objects.filter(source="knowledge").update(
        watermark_after=datetime(2099, 1, 1, tzinfo=UTC)
    )
    touch(edited, title={"en": "Edited under a poisoned watermark"}, updated_at=at(10))
    # Stats do not claim that nothing is pending: the next run reads every row.
    assert sync_stats().sources["knowledge"].pending_changes == 1

    incremental = run("incremental")

    text = store_open("knowledge_references").collection.get(ids=["edited"])["documents"][0]
    assert text.startswith("Edited under a poisoned watermark")
    assert incremental.source_results.get(source="knowledge").scanned == 1
    assert selectors.source_watermark(KNOWLEDGE) == at(10)


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


def test_a_run_failed_without_naming_its_sources_completes_none_of_them(
    make_knowledge, make_journey, settings
) -> None:
    """Interrupted after its first batch: the run's error is "interrupted", no line per
    source. Neither source completed: the next incremental starts at the last completed
    run's watermark (not at None: everything), and that run stays the last successful."""
    settings.SYNC_BATCH_SIZE = 2
    settings.SYNC_OVERLAP_SECONDS = 60
    for minute in range(6):
        make_knowledge(updated_at=at(minute))
    make_journey(updated_at=at(0))
    full = run("full")
    assert full.status == SyncRun.Status.SUCCEEDED

    def interrupt(source: str, done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run("full", progress=interrupt)
    interrupted = SyncRun.objects.order_by("-pk").first()
    assert interrupted.status == SyncRun.Status.FAILED and interrupted.error == "interrupted"
    assert interrupted.source_results.get(source="knowledge").scanned == 2
    assert not interrupted.source_results.filter(completed=True).exists()

    assert selectors.source_watermark(KNOWLEDGE) == at(5)
    assert selectors.source_watermark(JOURNEYS) == at(0)
    assert selectors.run_last_successful(KNOWLEDGE) == full
    assert selectors.run_last_full_reconcile(JOURNEYS) == full
    make_knowledge(updated_at=at(30))
    after = run("incremental")
    # From the full run's watermark minus the overlap (minutes 4, 5 and the new row), not all 7.
    assert scanned(after, "knowledge") == 3
    assert after.source_results.get(source="knowledge").completed
