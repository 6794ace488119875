"""`sync verify [--repair]`: Chroma damaged behind halasync's back is found, and repaired
exactly (nothing in sync is rewritten), as a recorded run."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from syncer.chroma_client import chroma_client
from syncer.embeddings import (
    HalasyncEmbeddingFunction,
    configured_model,
    embed_query,
    embedding_backend,
)
from syncer.locks import sync_lock
from syncer.models import SyncRun
from syncer.services.runs import sync_run_execute
from syncer.store import store_open

pytestmark = pytest.mark.usefixtures("chroma")


def unit() -> list[float]:
    """A unit vector of the dimension of the model this test embeds with."""
    return [1.0] + [0.0] * (embedding_backend().dimension - 1)


def verify(*args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    try:
        call_command("sync", "verify", *args, "--json", stdout=out)
    except CommandError as error:
        return error.returncode, json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def verify_text(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("sync", "verify", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def synced(chroma: str, make_knowledge: Any, make_journey: Any) -> None:
    for number in range(1, 5):
        make_knowledge(id=f"k{number}", title={"en": f"Knowledge title number {number}"})
    make_journey(id="j1")
    make_journey(id="j2")
    assert sync_run_execute(mode="full", trigger="cli").status == "succeeded"


@pytest.mark.usefixtures("synced")
def test_in_sync_is_clean_exit_0_and_records_no_run() -> None:
    code, body = verify()
    assert code == 0
    assert body["clean"] is True and body["repair_run"] is None
    assert body["sources"]["knowledge"]["in_sync"] == 4
    assert body["sources"]["journeys"]["eligible"] == 2
    assert SyncRun.objects.count() == 1  # the sync only
    code, text = verify_text()
    assert code == 0 and "0 missing, 0 stale, 0 orphaned, 0 invalid" in text


@pytest.mark.usefixtures("synced")
def test_damage_is_found_and_repair_fixes_exactly_it(embedded_count: Any) -> None:
    knowledge = chroma_client().get_collection("knowledge_references")
    knowledge.delete(ids=["k1"])
    knowledge.update(ids=["k2"], documents=["tampered text"], embeddings=[unit()])
    knowledge.update(ids=["k3"], metadatas=[{"category": "HACKED", "injected": "x"}])
    knowledge.add(ids=["ghost"], embeddings=[unit()], documents=["ghost"], metadatas=[{"a": 1}])
    chroma_client().delete_collection("journey_templates")

    code, body = verify()

    assert code == 1 and body["clean"] is False
    found = body["sources"]["knowledge"]
    assert found["missing"] == ["k1"]
    assert found["stale"] == [
        {"id": "k2", "differs": "text"},
        {"id": "k3", "differs": "metadata: category, injected"},
    ]
    assert found["orphans"] == ["ghost"]
    assert found["in_sync"] == 1
    journeys = body["sources"]["journeys"]
    assert journeys["collection_problem"] == "missing"
    assert sorted(journeys["missing"]) == ["j1", "j2"]
    assert SyncRun.objects.count() == 1  # verify alone writes nothing
    code, text = verify_text()
    assert code == 1
    assert "stale    k3 (metadata: category, injected)" in text and "orphaned ghost" in text

    before = embedded_count()
    code, body = verify("--repair")

    assert code == 0, body
    run = body["repair_run"]
    assert (run["mode"], run["status"]) == ("repair", "succeeded")
    assert run["counts"]["knowledge"] == {
        "scanned": 4,
        "upserted": 3,
        "metadata_updated": 0,
        "unchanged": 1,
        "deleted": 1,
        "errors": 0,
        "invalid": 0,
        "watermark_before": None,
        "watermark_after": None,
        "completed": True,
    }
    assert run["counts"]["journeys"]["upserted"] == 2
    assert embedded_count() - before == 5  # k1, k2, k3, j1, j2: nothing else re-embedded
    code, body = verify()
    assert code == 0 and body["clean"] is True

    store = store_open("knowledge_references")
    text, metadata = store.records(["k3"])["k3"]
    assert metadata["category"] == "STRATEGY" and "injected" not in metadata
    vector = embed_query(store.records(["k2"])["k2"][0])
    assert store.query(embedding=vector, where=None, limit=1)[0]["id"] == "k2"


@pytest.mark.usefixtures("synced")
def test_a_collection_of_another_model_is_drift_and_repair_rebuilds_it() -> None:
    collection = chroma_client().get_collection("knowledge_references")
    collection.modify(metadata={"embedding_model": "some-other-model"})

    code, body = verify("--source", "knowledge")

    assert code == 1
    assert list(body["sources"]) == ["knowledge"]
    found = body["sources"]["knowledge"]
    assert found["collection_problem"] == "model"
    assert "some-other-model" in found["problem"] and "sync full --rebuild" in found["problem"]

    code, body = verify("--repair", "--source", "knowledge")

    assert code == 0, body
    assert body["repair_run"]["counts"]["knowledge"]["upserted"] == 4
    rebuilt = chroma_client().get_collection("knowledge_references")
    assert rebuilt.metadata["embedding_model"] == settings.EMBEDDING_MODEL
    assert rebuilt.count() == 4
    assert verify()[0] == 0


@pytest.mark.usefixtures("synced")
def test_vectors_of_another_dimension_are_drift_and_repair_rebuilds_them(
    make_knowledge: Any,
) -> None:
    """Another program rebuilt the collection under its own name, with halasync's metadata
    (model, dimension) but vectors of 3 dimensions. Its text and metadata matched: verify
    said clean, a repair wrote nothing, and every new or changed row failed its run as a
    record error ("expecting embedding with dimension of 3") until someone found out."""
    client = chroma_client()
    live = client.get_collection("knowledge_references")
    held = live.get(include=["documents", "metadatas"])
    client.delete_collection("knowledge_references")
    tampered = client.create_collection(
        "knowledge_references",
        metadata=live.metadata,
        embedding_function=HalasyncEmbeddingFunction(model=configured_model()),
        configuration={"hnsw": {"space": "cosine"}},
    )
    tampered.add(
        ids=held["ids"],
        documents=held["documents"],
        metadatas=held["metadatas"],
        embeddings=[[1.0, 0.0, 0.0]] * len(held["ids"]),
    )

    code, body = verify("--source", "knowledge")

    assert code == 1
    found = body["sources"]["knowledge"]
    assert found["collection_problem"] == "model"
    assert "3 dimensions" in found["problem"] and "sync full --rebuild" in found["problem"]

    make_knowledge(id="k5")
    run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])
    assert run.status == "failed" and "sync full --rebuild" in run.error
    assert run.record_errors.count() == 0  # the collection's fault, not the record's

    code, body = verify("--repair", "--source", "knowledge")

    assert code == 0, body
    assert body["repair_run"]["counts"]["knowledge"]["upserted"] == 5
    assert verify("--source", "knowledge")[0] == 0
    rebuilt = store_open("knowledge_references")
    assert rebuilt.count() == 5
    vector = embed_query(rebuilt.records(["k5"])["k5"][0])
    assert rebuilt.query(embedding=vector, where=None, limit=1)[0]["id"] == "k5"


@pytest.mark.usefixtures("synced")
@pytest.mark.filterwarnings("ignore:space l2 is not supported:UserWarning")
def test_a_collection_measuring_l2_distance_is_drift_and_repair_rebuilds_it() -> None:
    """Recreated by another program with halasync's metadata, embedding function and its
    very vectors, but measuring l2 distance: verify called it clean, while its distances
    (2 x cosine for unit vectors) no longer compared with the other collection's, so
    searches over both ranked one collection's hits below the other's."""
    client = chroma_client()
    live = client.get_collection("knowledge_references")
    held = live.get(include=["documents", "metadatas", "embeddings"])
    client.delete_collection("knowledge_references")
    client.create_collection(
        "knowledge_references",
        metadata=live.metadata,
        embedding_function=HalasyncEmbeddingFunction(model=configured_model()),
        configuration={"hnsw": {"space": "l2"}},
    ).add(
        ids=held["ids"],
        documents=held["documents"],
        metadatas=held["metadatas"],
        embeddings=held["embeddings"],
    )

    code, body = verify("--source", "knowledge")

    assert code == 1
    found = body["sources"]["knowledge"]
    assert found["collection_problem"] == "model"
    assert "'l2'" in found["problem"] and "sync full --rebuild" in found["problem"]

    code, body = verify("--repair", "--source", "knowledge")

    assert code == 0, body
    rebuilt = chroma_client().get_collection("knowledge_references")
    assert rebuilt.configuration_json["hnsw"]["space"] == "cosine"
    assert rebuilt.count() == 4
    assert verify()[0] == 0


@pytest.mark.usefixtures("synced")
def test_rows_that_cannot_be_synced_keep_verify_and_repair_failing(make_journey: Any) -> None:
    make_journey(id="j_no_text", goal_keyword="", tags=[], full_json={})

    code, body = verify()
    assert code == 1
    assert body["sources"]["journeys"]["invalid"] == [
        {
            "id": "j_no_text",
            "error": "DocumentError: the row has no text to embed (every text field is empty)",
        }
    ]

    code, body = verify("--repair")
    assert code == 1
    run = body["repair_run"]
    assert run["status"] == "partial"
    assert [e["record_id"] for e in run["record_errors"]] == ["j_no_text"]


@pytest.mark.usefixtures("synced")
def test_verify_is_refused_while_a_sync_runs(settings: Any) -> None:
    with sync_lock(["journeys"]):
        code, body = verify()
    assert code == 3
    assert "another sync of journeys is running" in body["error"]


def test_a_repair_that_could_not_look_is_not_clean(synced: None, settings: Any) -> None:
    # Chroma unreachable: the repair run fails before any source is compared. The JSON
    # said "clean": true (no source compared, all of none clean) next to a failed run.
    import socket

    from syncer.chroma_client import chroma_reset

    with socket.socket() as probe:  # a free port: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", port
    settings.SYNC_RETRY_ATTEMPTS = 1
    chroma_reset()

    code, report = verify("--repair")

    assert code == 1
    assert report["repair_run"]["status"] == "failed"
    assert report["clean"] is False
