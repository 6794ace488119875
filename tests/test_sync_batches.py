"""Runs over many batches: the next batch's Chroma read runs ahead of this batch's writes,
the deletion sweep asks PostgreSQL about a page of ids in one array parameter, and the
lock's PostgreSQL session is kept between syncs. Real PostgreSQL, Chroma and model."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from knowledge.models import KnowledgeReference
from syncer.locks import sync_lock
from syncer.models import SyncRun
from syncer.services.runs import sync_run_execute
from syncer.store import store_open
from tests.conftest import touch

# Ids that an array literal or a hand-built IN list would get wrong.
ODD_IDS = ["a,b", "{x}", 'q"uote', "back\\slash", "NULL", "sp ace", "o'brien"]


def knowledge_counts(run: SyncRun) -> dict[str, int]:
    result = run.source_results.get(source="knowledge")
    keys = ("scanned", "upserted", "metadata_updated", "unchanged", "deleted", "errors")
    return {key: getattr(result, key) for key in keys}


@pytest.mark.usefixtures("chroma")
def test_batches_read_ahead_and_the_sweep_keep_odd_ids_exact(
    make_knowledge: Any, settings: Any
) -> None:
    settings.SYNC_BATCH_SIZE = 2  # 4 batches: every batch but the first is read ahead
    for record_id in ODD_IDS:
        make_knowledge(id=record_id, title={"en": f"Title of {record_id}"})

    first = sync_run_execute(mode="full", trigger="cli")
    assert knowledge_counts(first)["upserted"] == len(ODD_IDS)

    text_changed, metadata_changed, deleted, excluded = "{x}", "NULL", 'q"uote', "o'brien"
    rows = KnowledgeReference.objects.in_bulk(ODD_IDS)
    touch(rows[text_changed], title={"en": "A new title"})
    touch(rows[metadata_changed], status="DRAFT")
    rows[deleted].delete()
    touch(rows[excluded], status="REJECTED")

    second = sync_run_execute(mode="full", trigger="cli")

    assert second.status == SyncRun.Status.SUCCEEDED
    assert knowledge_counts(second) == {
        "scanned": len(ODD_IDS) - 2,
        "upserted": 1,
        "metadata_updated": 1,
        "unchanged": len(ODD_IDS) - 4,
        "deleted": 2,
        "errors": 0,
    }
    stored = store_open("knowledge_references").collection.get(include=["metadatas"])
    metadata = dict(zip(stored["ids"], stored["metadatas"], strict=True))
    assert set(metadata) == set(ODD_IDS) - {deleted, excluded}
    assert metadata[text_changed]["title"] == "A new title"
    assert metadata[metadata_changed]["status"] == "DRAFT"


def _advisory_locks_of(pid: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s", [pid]
        )
        return int(cursor.fetchone()[0])


def _session_pid(held: Any) -> int:
    with held.connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_lock_session_is_kept_released_and_replaced_when_it_dies() -> None:
    with sync_lock(["knowledge"]) as held:
        first = _session_pid(held)
        assert _advisory_locks_of(first) >= 1
    assert _advisory_locks_of(first) == 0  # kept for reuse, but holding nothing

    with sync_lock(["knowledge"]) as held:
        assert _session_pid(held) == first  # no new connection for the next sync

    with connection.cursor() as cursor:  # what a PostgreSQL restart does to the session
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])

    with sync_lock(["knowledge"]) as held:
        replacement = _session_pid(held)
        assert replacement != first
        assert _advisory_locks_of(replacement) >= 1


@pytest.mark.usefixtures("chroma")
def test_a_run_shows_rows_done_of_its_total_after_every_batch(
    make_journey: Any, settings: Any
) -> None:
    """What the overview's live progress reads: each source's total is saved when it
    starts and its scanned rows after every batch."""
    from syncer.models import SyncRunSource

    settings.SYNC_BATCH_SIZE = 2
    for number in range(5):
        make_journey(id=f"tpl_progress_{number}")
    seen: list[tuple[int, int | None]] = []

    def progress(source: str, done: int, total: int) -> None:
        if source == "journeys" and done:
            saved = SyncRunSource.objects.get(source="journeys", run__status="running")
            seen.append((saved.scanned, saved.total))

    run = sync_run_execute(mode="full", trigger="cli", sources=["journeys"], progress=progress)

    # The callback runs as a batch ends, before that batch's counters are saved: it sees
    # the total saved when the source started, then the rows of each earlier batch.
    assert seen == [(0, 5), (2, 5), (4, 5)]
    saved = run.source_results.get()
    assert (saved.scanned, saved.total) == (5, 5)
