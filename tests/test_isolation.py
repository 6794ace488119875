"""A failure stays with what failed: an error Chroma raises for a write is the error of the
records written (found one by one), and a source that fails does not stop the other
sources of its run, whose watermarks still advance. Only Chroma or PostgreSQL out of
reach fails a source."""

from __future__ import annotations

from typing import Any

import pytest
from chromadb.errors import InternalError

from syncer import selectors
from syncer.chroma_client import chroma_client
from syncer.models import SyncRun, SyncRunSource
from syncer.services.runs import sync_run_execute
from syncer.services.verify import sync_verify
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import CollectionStore, store_open
from tests.processes import ChromaServer

COMPACTION = "Error in compaction: Failed to apply logs to the metadata segment"


def ids(collection: str) -> set[str]:
    return {doc_id for page in store_open(collection).iter_ids() for doc_id in page}


def counts(run: SyncRun, source: str) -> dict[str, int]:
    result = SyncRunSource.objects.get(run=run, source=source)
    return {name: getattr(result, name) for name in ("scanned", "upserted", "errors")}


@pytest.mark.usefixtures("chroma")
def test_an_error_chroma_raises_for_one_record_is_that_records_error(
    make_knowledge: Any, make_journey: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(5):
        make_knowledge(id=f"k{number}")
    make_knowledge(id="k_refused")
    make_journey(id="j1")
    real_add = CollectionStore.add

    def add(self: CollectionStore, *, ids: list[str], **columns: Any) -> None:
        # Fake only in failing: Chroma's own error (as its compaction raises it) whenever
        # a write holds this one record, which no real row can trigger any more.
        if "k_refused" in ids:
            raise InternalError(COMPACTION)
        real_add(self, ids=ids, **columns)

    monkeypatch.setattr(CollectionStore, "add", add)

    run = sync_run_execute(mode="full", trigger="cli")

    assert run.status == SyncRun.Status.PARTIAL, run.error
    errors = [(e.source, e.record_id, e.error_type, e.message) for e in run.record_errors.all()]
    assert errors == [("knowledge", "k_refused", "InternalError", COMPACTION)]
    assert counts(run, "knowledge") == {"scanned": 6, "upserted": 5, "errors": 1}
    assert ids("knowledge_references") == {f"k{number}" for number in range(5)}
    assert ids("journey_templates") == {"j1"}

    monkeypatch.undo()  # Chroma takes the record again: the next run writes it
    run = sync_run_execute(mode="incremental", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert "k_refused" in ids("knowledge_references")
    assert sync_verify().clean


@pytest.mark.usefixtures("chroma")
def test_a_source_that_fails_does_not_stop_the_other_whose_watermark_advances(
    make_knowledge: Any, make_journey: Any
) -> None:
    make_knowledge(id="k1")
    make_journey(id="j1")
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    knowledge_watermark = selectors.source_watermark(KNOWLEDGE)
    # A real failure of the first source: its collection was built by another model.
    chroma_client().get_collection("knowledge_references").modify(
        metadata={"embedding_model": "some-other-model"}
    )
    make_knowledge(id="k2")
    make_journey(id="j2")
    newest = make_journey(id="j3").updated_at

    run = sync_run_execute(mode="incremental", trigger="cli")

    assert run.status == SyncRun.Status.FAILED
    assert run.error.startswith(
        "knowledge: EmbeddingModelMismatch: Chroma collection 'knowledge_references' was "
        "built with embedding model 'some-other-model'"
    )
    assert len(run.error.splitlines()) == 1  # journeys did not fail
    assert counts(run, "journeys") == {"scanned": 3, "upserted": 2, "errors": 0}  # j1: overlap
    assert ids("journey_templates") == {"j1", "j2", "j3"}
    assert selectors.source_watermark(JOURNEYS) == newest
    assert selectors.source_watermark(KNOWLEDGE) == knowledge_watermark

    run = sync_run_execute(mode="incremental", trigger="cli", sources=["journeys"])
    assert run.source_results.get().watermark_before == newest  # went on from there

    rebuild = sync_run_execute(mode="full", trigger="cli", rebuild=True, sources=["knowledge"])
    assert rebuild.status == SyncRun.Status.SUCCEEDED, rebuild.error
    assert sync_verify().clean


@pytest.mark.django_db(transaction=True)
def test_chroma_out_of_reach_while_writing_fails_the_sources_not_their_records(
    chroma_server: ChromaServer,
    make_knowledge: Any,
    make_journey: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.SYNC_RETRY_ATTEMPTS, settings.SYNC_RETRY_BACKOFF_SECONDS = 3, 0.05
    for number in range(3):
        make_knowledge(id=f"k{number}")
        make_journey(id=f"j{number}")
    real_add = CollectionStore.add

    def add(self: CollectionStore, **columns: Any) -> None:
        chroma_server.kill()  # the server dies as the first write goes out
        real_add(self, **columns)

    monkeypatch.setattr(CollectionStore, "add", add)

    run = sync_run_execute(mode="full", trigger="cli")

    assert run.status == SyncRun.Status.FAILED
    knowledge, journeys = run.error.splitlines()
    assert knowledge.startswith("knowledge: ChromaUnavailable: the Chroma server cannot be ")
    assert "gave up after 3 attempt(s)" in knowledge and "ConnectError" in knowledge
    # The same server: journeys tried once instead of waiting through the retries again.
    assert journeys.startswith("journeys: ChromaUnavailable: the Chroma server cannot be ")
    assert "gave up" not in journeys
    assert not run.record_errors.exists()  # not blamed on the records
    assert selectors.source_watermark(KNOWLEDGE) is None

    monkeypatch.undo()
    chroma_server.start()
    run = sync_run_execute(mode="full", trigger="cli")
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert sync_verify().clean
