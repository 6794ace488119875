"""Full sync against real PostgreSQL, real embedded Chroma and the real model."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from knowledge.models import KnowledgeReference
from syncer import selectors
from syncer.chroma_client import chroma_client, chroma_reset
from syncer.embeddings import HalasyncEmbeddingFunction, embedding_backend
from syncer.locks import sync_lock
from syncer.models import InvalidRow, SyncRecordError, SyncRun
from syncer.services.health import sync_health
from syncer.services.runs import sync_run_execute
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import MODEL_KEY, SYNC_THRESHOLD, store_open
from tests.conftest import touch

pytestmark = pytest.mark.usefixtures("chroma")


def full(**kwargs: Any) -> SyncRun:
    return sync_run_execute(mode="full", trigger="cli", **kwargs)


def stored(collection: str) -> dict[str, dict[str, Any]]:
    result = store_open(collection, create=False).collection.get(include=["metadatas"])
    return dict(zip(result["ids"], result["metadatas"], strict=True))


def counts(run: SyncRun, source: str) -> dict[str, int]:
    result = run.source_results.get(source=source)
    return {
        name: getattr(result, name)
        for name in ("scanned", "upserted", "metadata_updated", "unchanged", "deleted", "errors")
    }


def test_full_sync_puts_exactly_the_eligible_rows_with_contracted_types(
    make_knowledge, make_journey
) -> None:
    make_knowledge(id="k1")
    make_knowledge(id="k2", status="DRAFT")
    make_knowledge(id="k_rejected", status="REJECTED")
    make_journey(id="j1", match_count=3)
    make_journey(id="j_inactive", is_active=False)
    make_journey(id="j_archived", status="ARCHIVED")

    run = full()

    assert run.status == SyncRun.Status.SUCCEEDED
    knowledge = stored("knowledge_references")
    journeys = stored("journey_templates")
    assert set(knowledge) == {"k1", "k2"}
    assert set(journeys) == {"j1", "j_inactive"}
    assert journeys["j1"]["is_active"] is True
    assert journeys["j_inactive"]["is_active"] is False
    assert journeys["j1"]["match_count"] == 3 and type(journeys["j1"]["match_count"]) is int
    assert knowledge["k1"]["tags"] == ["test"]
    assert knowledge["k1"]["type"] == "knowledge_reference"
    assert counts(run, "knowledge")["upserted"] == 2


def test_collections_are_cosine_and_record_the_model(make_knowledge) -> None:
    make_knowledge()
    full()
    collection = chroma_client().get_collection("knowledge_references")
    assert collection.metadata["embedding_model"] == settings.EMBEDDING_MODEL
    assert collection.metadata["embedding_dimension"] == embedding_backend().dimension
    assert collection.configuration_json["hnsw"]["space"] == "cosine"
    assert collection.configuration_json["embedding_function"]["name"] == (
        "halasync_sentence_transformer"
    )
    assert collection.configuration_json["hnsw"]["sync_threshold"] == SYNC_THRESHOLD == 100


def older_collection(name: str, **hnsw: Any) -> Any:
    """A collection as an earlier halasync created it (Chroma's default sync_threshold,
    1,000), with ``hnsw`` settings an operator may have added."""
    model = settings.EMBEDDING_MODEL
    return chroma_client().create_collection(
        name,
        embedding_function=HalasyncEmbeddingFunction(model=model),
        configuration={"hnsw": {"space": "cosine", **hnsw}},
        metadata={MODEL_KEY: model},
    )


def test_a_sync_gives_an_older_collection_the_lower_sync_threshold(
    make_knowledge, make_journey
) -> None:
    older_collection("knowledge_references")
    older_collection("journey_templates", sync_threshold=500)  # one an operator tuned

    def threshold(name: str) -> int:
        chroma_reset()  # read what is persisted, not this process's handle
        collection = chroma_client().get_collection(name)
        return collection.configuration_json["hnsw"]["sync_threshold"]

    assert threshold("knowledge_references") == 1000
    with sync_lock(["knowledge"]):  # a reader leaves it alone, even beside a writer
        store_open("knowledge_references", create=False).count()
    assert threshold("knowledge_references") == 1000
    make_knowledge(id="k1")
    make_journey(id="j1")

    run = full()

    assert run.status == SyncRun.Status.SUCCEEDED
    assert threshold("knowledge_references") == SYNC_THRESHOLD
    assert threshold("journey_templates") == 500  # a threshold someone chose is kept
    assert set(stored("knowledge_references")) == {"k1"}
    assert set(stored("journey_templates")) == {"j1"}


def test_a_refused_sync_threshold_change_does_not_fail_the_sync(
    make_knowledge, monkeypatch, caplog
) -> None:
    collection = older_collection("knowledge_references")

    # A fake, to inject what a real Chroma does not do on demand: refuse the change.
    def refuse(self, **kwargs):
        raise ValueError("configuration updates are not allowed here")

    monkeypatch.setattr(type(collection), "modify", refuse)
    make_knowledge(id="k1")

    run = full()

    assert run.status == SyncRun.Status.SUCCEEDED
    assert set(stored("knowledge_references")) == {"k1"}
    assert "could not lower sync_threshold to 100" in caplog.text


def test_second_full_sync_embeds_and_writes_nothing(
    make_knowledge, make_journey, embedded_count
) -> None:
    make_knowledge()
    make_journey()
    full()
    embedded_before = embedded_count()

    run = full()

    assert embedded_count() == embedded_before
    for source in ("knowledge", "journeys"):
        assert counts(run, source) == {
            "scanned": 1,
            "upserted": 0,
            "metadata_updated": 0,
            "unchanged": 1,
            "deleted": 0,
            "errors": 0,
        }


def test_metadata_only_change_is_updated_without_embedding(make_journey, embedded_count) -> None:
    template = make_journey(match_count=1)
    full()
    before = embedded_count()
    touch(template, match_count=99)

    run = full()

    assert embedded_count() == before
    assert counts(run, "journeys")["metadata_updated"] == 1
    assert stored("journey_templates")[template.id]["match_count"] == 99


def test_title_change_re_embeds_only_that_row(make_knowledge, embedded_count) -> None:
    changed = make_knowledge()
    make_knowledge()
    make_knowledge()
    full()
    before = embedded_count()
    touch(changed, title={"en": "A completely new title"})

    run = full()

    assert embedded_count() - before == 1
    assert counts(run, "knowledge")["upserted"] == 1
    assert counts(run, "knowledge")["unchanged"] == 2
    document = store_open("knowledge_references").collection.get(ids=[changed.id])
    assert document["documents"][0].startswith("A completely new title")


def test_emptied_tags_and_cleared_keys_disappear_from_chroma(make_knowledge) -> None:
    reference = make_knowledge(tags=["a", "b"], content_ar="نص")
    full()
    touch(reference, tags=[], content_ar=None)

    full()

    metadata = stored("knowledge_references")[reference.id]
    assert "tags" not in metadata
    assert "content_ar" not in metadata


def test_metadata_only_removal_of_a_key_also_disappears(make_journey) -> None:
    template = make_journey(tags=["x"], searchable_text=None)
    full()
    # Dropping tags changes the text too; change languages only: metadata-only.
    touch(template, languages=[])

    run = full()

    assert counts(run, "journeys")["metadata_updated"] == 1
    assert "languages" not in stored("journey_templates")[template.id]


def test_full_sync_deletes_rows_gone_or_excluded(make_knowledge) -> None:
    gone = make_knowledge()
    rejected = make_knowledge()
    kept = make_knowledge()
    full()
    gone.delete()
    touch(rejected, status="REJECTED")

    run = full()

    assert set(stored("knowledge_references")) == {kept.id}
    assert counts(run, "knowledge")["deleted"] == 2


def test_force_re_embeds_everything(make_knowledge, embedded_count) -> None:
    make_knowledge()
    make_knowledge()
    full()
    before = embedded_count()

    run = full(force=True)

    assert embedded_count() - before == 2
    assert counts(run, "knowledge")["upserted"] == 2


def test_source_option_limits_the_run(make_knowledge, make_journey) -> None:
    make_knowledge()
    make_journey()

    run = full(sources=["journeys"])

    assert run.sources == ["journeys"]
    assert stored("journey_templates")
    assert not chroma_client().list_collections() or "knowledge_references" not in [
        c.name for c in chroma_client().list_collections()
    ]


def test_a_row_without_text_is_an_invalid_row_while_the_rest_syncs(make_journey) -> None:
    make_journey(id="good")
    # Nothing to embed: empty goal keyword, no tags, full_json without text.
    make_journey(id="nothing", goal_keyword=" ", tags=[], full_json={"steps": []})

    run = full()

    # Bad data, not a failing sync: the run succeeds, the row is listed apart.
    assert run.status == SyncRun.Status.SUCCEEDED
    assert set(stored("journey_templates")) == {"good"}
    assert not SyncRecordError.objects.filter(run=run).exists()
    entry = InvalidRow.objects.get()
    assert (entry.source, entry.record_id, entry.error_type) == (
        "journeys",
        "nothing",
        "DocumentError",
    )
    assert "no text" in entry.reason
    assert entry.first_seen_run_id == entry.last_seen_run_id == run.pk
    assert counts(run, "journeys")["errors"] == 0
    assert run.source_results.get(source="journeys").invalid == 1


def test_a_record_chroma_refuses_is_recorded_and_skipped_while_the_rest_syncs(
    make_knowledge, chroma_refuses
) -> None:
    make_knowledge(id="good")
    make_knowledge(id="refused")
    chroma_refuses("refused")

    run = full()

    assert run.status == SyncRun.Status.PARTIAL
    assert set(stored("knowledge_references")) == {"good"}
    error = SyncRecordError.objects.get(run=run)
    assert (error.source, error.record_id, error.error_type) == (
        "knowledge",
        "refused",
        "TypeError",
    )
    assert counts(run, "knowledge")["errors"] == 1
    assert not InvalidRow.objects.exists()


def test_last_successful_run_is_judged_per_source(
    make_knowledge, make_journey, chroma_refuses
) -> None:
    make_knowledge(id="k")
    make_journey(id="j")
    first = full()
    make_knowledge(id="refused")
    chroma_refuses("refused")

    second = full()

    # Partial because of knowledge: journeys synced without an error all the same.
    assert second.status == SyncRun.Status.PARTIAL
    assert selectors.run_last_successful(JOURNEYS).pk == second.pk
    assert selectors.run_last_successful(KNOWLEDGE).pk == first.pk
    last_sync = sync_health().checks["last_sync"].facts["sources"]
    assert (last_sync["journeys"]["run_id"], last_sync["knowledge"]["run_id"]) == (
        second.pk,
        first.pk,
    )
    # Both were reconciled in full, record error or not.
    assert selectors.run_last_full_reconcile(KNOWLEDGE).pk == second.pk


def test_rebuild_swaps_in_a_fresh_collection(make_knowledge, settings, embedded_count) -> None:
    make_knowledge(id="k1")
    full()
    # Damage the live collection: a stray document that a rebuild must not carry over.
    live = store_open("knowledge_references")
    live.collection.add(
        ids=["stray"], embeddings=[[0.0] * embedding_backend().dimension], documents=["x"]
    )
    before = embedded_count()

    run = full(rebuild=True, sources=["knowledge"])

    assert run.status == SyncRun.Status.SUCCEEDED
    assert embedded_count() - before == 1
    assert set(stored("knowledge_references")) == {"k1"}
    names = {c.name for c in chroma_client().list_collections()}
    assert names == {"knowledge_references", "journey_templates"}  # no leftovers


@pytest.mark.parametrize("change", ["deleted", "rejected"])
def test_a_row_leaving_during_a_rebuild_is_not_in_the_swapped_in_collection(
    make_knowledge, settings, change
) -> None:
    """A row deleted or rejected after the rebuild had written it: a plain full sync's
    sweep removes it, a rebuild never swept, so its collection went live holding a
    document of a row that no longer belongs there (until some later sweep)."""
    for number in range(1, 5):
        make_knowledge(id=f"k{number}")
    full()
    settings.SYNC_BATCH_SIZE = 1

    def leave_after_first_batch(source: str, done: int, total: int) -> None:
        if source == "knowledge" and done == 1:
            row = KnowledgeReference.objects.get(pk="k1")
            if change == "deleted":
                row.delete()
            else:
                touch(row, status="REJECTED")

    run = full(rebuild=True, sources=["knowledge"], progress=leave_after_first_batch)

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert set(stored("knowledge_references")) == {"k2", "k3", "k4"}
    assert counts(run, "knowledge")["deleted"] == 1


def test_model_mismatch_fails_the_run_and_says_rebuild(make_knowledge, settings) -> None:
    make_knowledge()
    full()
    chroma_client().get_collection("knowledge_references").modify(
        metadata={"embedding_model": "some-other-model"}
    )

    run = full(sources=["knowledge"])

    assert run.status == SyncRun.Status.FAILED
    assert "sync full --rebuild" in run.error

    rebuilt = full(sources=["knowledge"], rebuild=True)
    assert rebuilt.status == SyncRun.Status.SUCCEEDED
    assert store_open("knowledge_references").count() == 1
