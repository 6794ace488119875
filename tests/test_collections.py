"""Collections that come and go: a dropped collection leaves nothing that later documents
could inherit (Chroma 1.5 keeps a dropped collection's list metadata,
bench/experiments/chroma_dropped_lists.py), and what an unfinished ``--rebuild`` leaves
behind is reported by verify and cleaned up by the next run of its source."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection
from django.core.management import CommandError, call_command

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.chroma_client import chroma_client, chroma_reset
from syncer.embeddings import embedding_backend
from syncer.models import SyncRun, SyncRunSource
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute, sync_watch_cycle
from syncer.services.verify import sync_verify
from syncer.sources import journey_to_document, knowledge_to_document
from syncer.store import CollectionMissing, collection_names, store_open
from tests.processes import halasync_env, process_stop, spawn, sync_lock_free, wait_until

OLD_TAGS = ["envy", "jealousy", "comparison"]


def verify(*args: str, as_json: bool = True) -> tuple[int, Any]:
    out = io.StringIO()
    code = 0
    try:
        call_command("sync", "verify", *args, *(["--json"] if as_json else []), stdout=out)
    except CommandError as error:
        code = error.returncode
    return code, json.loads(out.getvalue()) if as_json else out.getvalue()


@contextmanager
def syncer_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The "syncer" logger does not propagate: hand caplog its records for a while."""
    logger = logging.getLogger("syncer")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="syncer"):
            yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def collection_with_lists(name: str) -> None:
    """A collection named ``name`` holding a document with list metadata."""
    store_open(name).collection.add(
        ids=["x"],
        embeddings=[[1.0] + [0.0] * (embedding_backend().dimension - 1)],
        metadatas=[{"tags": OLD_TAGS}],
    )


# --- list metadata left by dropped collections ----------------------------------------------


@pytest.mark.django_db
def test_an_interrupted_rebuild_leaves_no_list_metadata_to_later_documents(
    any_chroma: Any, make_journey: Any, settings: Any
) -> None:
    settings.SYNC_BATCH_SIZE = 4
    for number in range(8):
        make_journey(id=f"j_old_{number}", tags=OLD_TAGS, languages=["en", "id"])
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED

    def interrupt(source: str, done: int, total: int) -> None:
        if done:  # Ctrl-C during `sync full --rebuild`, after its first batch was written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_run_execute(
            mode="full", trigger="cli", sources=["journeys"], rebuild=True, progress=interrupt
        )
    assert [name for name in collection_names() if "journey" in name] == ["journey_templates"]

    new = [make_journey(id=f"j_new_{number}", tags=[], languages=[]) for number in range(7)]
    run = sync_run_execute(mode="full", trigger="cli", sources=["journeys"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    stored = store_open("journey_templates").records([row.pk for row in new])
    for row in JourneyTemplate.objects.filter(pk__in=[row.pk for row in new]):
        _, metadata = stored[row.pk]
        assert "tags" not in metadata and "languages" not in metadata
        assert metadata == journey_to_document(row).metadata
    assert sync_verify().clean


@pytest.mark.django_db
def test_list_metadata_of_a_collection_dropped_elsewhere_is_removed_in_the_same_run(
    any_chroma: Any, make_knowledge: Any, caplog: pytest.LogCaptureFixture
) -> None:
    make_knowledge(id="k1")
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    # Another program's collection, dropped as Chroma does it (its list metadata stays).
    client = chroma_client()
    notes = client.create_collection("another-apps-notes", embedding_function=None)
    notes.add(
        ids=[f"n{number}" for number in range(5)],
        embeddings=[[1.0, 0.0]] * 5,
        metadatas=[{"tags": OLD_TAGS, "audience": ["teens"]}] * 5,
    )
    client.delete_collection("another-apps-notes")
    new = [make_knowledge(id=f"k_new_{number}", tags=[], languages=[]) for number in range(3)]

    with syncer_log(caplog):
        run = sync_run_execute(mode="incremental", trigger="cli")

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    stored = store_open("knowledge_references").records([row.pk for row in new])
    for row in KnowledgeReference.objects.filter(pk__in=[row.pk for row in new]):
        assert stored[row.pk][1] == knowledge_to_document(row).metadata
    assert any(
        "metadata they were not sent (audience, tags)" in message for message in caplog.messages
    )
    assert sync_verify().clean


@pytest.mark.usefixtures("chroma")
def test_list_metadata_a_sync_did_not_write_shows_as_stale_and_repair_removes_it(
    make_knowledge: Any,
) -> None:
    make_knowledge(id="k1", tags=[])
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    chroma_client().get_collection("knowledge_references").update(
        ids=["k1"], metadatas=[{"tags": OLD_TAGS}]
    )

    code, body = verify()
    assert code == 1
    assert body["sources"]["knowledge"]["stale"] == [{"id": "k1", "differs": "metadata: tags"}]

    assert verify("--repair")[0] == 0
    assert "tags" not in store_open("knowledge_references").records(["k1"])["k1"][1]
    code, body = verify()
    assert code == 0 and body["clean"] is True


# --- what an unfinished --rebuild leaves ----------------------------------------------------

LEFTOVERS = ["journey_templates-rebuild-41", "journey_templates-retired-40"]
NOT_LEFTOVERS = [
    "journey_templates-rebuild-x",
    "journey_templates-rebuild-41-copy",
    "my-journey_templates-rebuild-41",
    "journey_templates_rebuild_41",
]


@pytest.fixture
def synced(chroma: str, make_knowledge: Any, make_journey: Any) -> None:
    make_knowledge(id="k1")
    make_journey(id="j1")
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED


@pytest.mark.usefixtures("synced")
def test_collections_left_by_unfinished_rebuilds_are_drift_and_repair_drops_them() -> None:
    for name in [*LEFTOVERS, *NOT_LEFTOVERS, "knowledge_references-rebuild-7"]:
        collection_with_lists(name)

    code, body = verify("--source", "journeys")

    assert code == 1 and body["clean"] is False
    drift = body["sources"]["journeys"]
    assert drift["leftovers"] == LEFTOVERS and drift["counts"]["leftovers"] == 2
    assert drift["missing"] == drift["stale"] == drift["orphans"] == []
    code, text = verify("--source", "journeys", as_json=False)
    assert code == 1
    assert "0 invalid, 2 leftover collection(s)" in text
    assert "leftover collection journey_templates-rebuild-41" in text

    code, body = verify("--repair", "--source", "journeys")

    assert code == 0 and body["repair_run"]["status"] == "succeeded", body
    names = collection_names()
    assert not set(LEFTOVERS) & set(names)
    assert set(NOT_LEFTOVERS) | {"knowledge_references-rebuild-7"} <= set(names)
    code, body = verify()  # the knowledge leftover was not the journeys repair's business
    assert code == 1 and body["sources"]["knowledge"]["leftovers"] == [
        "knowledge_references-rebuild-7"
    ]
    assert body["sources"]["journeys"]["clean"] is True
    assert verify("--repair")[0] == 0
    assert verify()[1]["clean"] is True
    assert set(NOT_LEFTOVERS) <= set(collection_names())


@pytest.mark.usefixtures("synced")
def test_the_next_run_of_a_source_drops_its_leftovers_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name in [*LEFTOVERS, *NOT_LEFTOVERS, "knowledge_references-rebuild-7"]:
        collection_with_lists(name)

    with syncer_log(caplog):
        run = sync_run_execute(mode="incremental", trigger="cli", sources=["journeys"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    names = set(collection_names())
    assert not set(LEFTOVERS) & names
    assert set(NOT_LEFTOVERS) | {"knowledge_references-rebuild-7"} <= names
    for name in LEFTOVERS:
        assert (
            f"dropped collection {name!r}, left by a `--rebuild` that did not finish"
            in caplog.messages
        )
    run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])
    assert "knowledge_references-rebuild-7" not in collection_names()
    assert sync_verify().clean


@pytest.mark.usefixtures("synced")
def test_a_rebuild_cut_short_between_its_renames_is_finished_by_the_next_run(
    make_knowledge: Any, embedded_count: Any
) -> None:
    for number in range(2, 6):
        make_knowledge(id=f"k{number}")
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    # What a rebuild killed between its two renames leaves: the old collection renamed
    # away, the complete new one still under its rebuild name, no knowledge_references.
    live = chroma_client().get_collection("knowledge_references")
    everything = live.get(include=["embeddings", "documents", "metadatas"])
    store_open("knowledge_references-rebuild-9").collection.add(
        ids=everything["ids"],
        embeddings=everything["embeddings"],
        documents=everything["documents"],
        metadatas=everything["metadatas"],
    )
    live.modify(name="knowledge_references-retired-9")
    before = embedded_count()

    run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert sorted(n for n in collection_names() if "knowledge" in n) == ["knowledge_references"]
    assert store_open("knowledge_references").count() == 5
    assert embedded_count() == before  # put in place, not rebuilt
    assert sync_verify().clean


def _swap_cut_short(make_knowledge: Any) -> None:
    """Five knowledge documents synced, then what a rebuild killed between its two renames
    leaves: the old collection renamed away, the complete new one under its rebuild name.
    The rows are days apart: an incremental re-reads only the newest (the overlap)."""
    for number in range(2, 6):
        make_knowledge(id=f"k{number}", updated_at=datetime(2026, 2, number, tzinfo=UTC))
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    live = chroma_client().get_collection("knowledge_references")
    everything = live.get(include=["embeddings", "documents", "metadatas"])
    store_open("knowledge_references-rebuild-9").collection.add(
        ids=everything["ids"],
        embeddings=everything["embeddings"],
        documents=everything["documents"],
        metadatas=everything["metadatas"],
    )
    live.modify(name="knowledge_references-retired-9")


@pytest.mark.usefixtures("synced")
def test_verify_reports_a_swap_cut_short_and_a_single_record_sync_finishes_it(
    make_knowledge: Any,
) -> None:
    _swap_cut_short(make_knowledge)

    report = sync_verify(sources=["knowledge"])
    drift = report.sources[0]
    assert drift.collection_problem == "swap_unfinished"
    assert "knowledge_references-rebuild-9" in drift.problem
    assert "knowledge_references" not in collection_names()  # verify only looks

    # A single-record sync arriving now puts the rebuilt collection in place instead of
    # creating an empty one that later incremental runs would take for complete.
    sync_record(source="knowledge", record_id="k2", trigger="api")
    assert store_open("knowledge_references").count() == 5
    run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert sorted(n for n in collection_names() if "knowledge" in n) == ["knowledge_references"]
    assert store_open("knowledge_references").count() == 5
    assert sync_verify().clean


@pytest.mark.usefixtures("synced")
def test_an_incremental_without_sweep_finishes_a_swap_cut_short(make_knowledge: Any) -> None:
    _swap_cut_short(make_knowledge)

    # `sync watch` cycles skip the sweep and its housekeeping: still no empty collection.
    run = sync_watch_cycle(sweep=False, sources=["knowledge"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert store_open("knowledge_references").count() == 5
    assert sync_verify(sources=["knowledge"]).sources[0].collection_problem == ""


@pytest.mark.usefixtures("synced")
def test_a_lost_collection_is_not_recreated_by_a_single_record_sync(make_knowledge: Any) -> None:
    for number in range(2, 6):
        make_knowledge(id=f"k{number}")
    assert sync_run_execute(mode="full", trigger="cli").status == SyncRun.Status.SUCCEEDED
    chroma_client().delete_collection("knowledge_references")

    with pytest.raises(CollectionMissing, match="sync full"):
        sync_record(source="knowledge", record_id="k2", trigger="api")
    assert "knowledge_references" not in collection_names()

    # An incremental that has to create it reads every row, whatever the watermark says.
    run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert store_open("knowledge_references").count() == KnowledgeReference.objects.count()
    assert sync_verify(sources=["knowledge"]).clean


LOST = (
    "Chroma collection 'knowledge_references' is missing although knowledge was synced "
    "before; run `manage.py sync full` to rebuild it (a single-record sync does not)."
)


@pytest.mark.usefixtures("synced")
def test_a_single_record_sync_of_a_lost_collection_says_so_in_the_api_and_the_cli(
    api: Any, chroma: str
) -> None:
    chroma_client().delete_collection("knowledge_references")

    response = api.post("/api/v1/sync/knowledge-reference/k1")

    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": LOST}
    assert chroma not in response.content.decode() and "directory" not in response.json()["detail"]
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sync", "ref", "k1", stdout=out, stderr=io.StringIO())
    assert error.value.returncode == 1 and str(error.value) == LOST
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sync", "ref", "k1", "--json", stdout=out, stderr=io.StringIO())
    assert error.value.returncode == 1 and json.loads(out.getvalue())["error"] == LOST
    assert "knowledge_references" not in collection_names()


def _first_rebuild_killed_before_its_rename(monkeypatch: pytest.MonkeyPatch) -> str:
    """A first-ever `sync full --rebuild` of knowledge killed at its only rename (there is
    no live collection to rename away): its complete collection stays under its rebuild
    name and no knowledge_references exists. The rename raising stands in for the kill."""

    def killed(self: Collection, name: str | None = None, **changes: Any) -> None:
        if name is not None:
            raise RuntimeError("killed before the rename")
        original(self, name=name, **changes)

    original = Collection.modify
    monkeypatch.setattr(Collection, "modify", killed)
    run = sync_run_execute(mode="full", trigger="cli", sources=["knowledge"], rebuild=True)
    monkeypatch.setattr(Collection, "modify", original)
    assert run.status == SyncRun.Status.FAILED and "killed before the rename" in run.error
    fresh = f"knowledge_references-rebuild-{run.pk}"
    assert sorted(n for n in collection_names() if "knowledge" in n) == [fresh]
    return fresh


@pytest.mark.parametrize("finish", ["single record", "incremental", "repair"])
def test_a_first_rebuild_killed_before_its_rename_is_put_in_place_not_rebuilt(
    finish: str,
    any_chroma: Any,
    make_knowledge: Any,
    embedded_count: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for number in range(5):
        make_knowledge(id=f"k{number}")
    fresh = _first_rebuild_killed_before_its_rename(monkeypatch)

    code, body = verify("--source", "knowledge")
    drift = body["sources"]["knowledge"]
    assert code == 1 and drift["collection_problem"] == "swap_unfinished", drift
    assert fresh in drift["problem"] and "complete" in drift["problem"]
    assert drift["rebuilds_complete"] == [fresh] and drift["rebuilds_unfinished"] == []
    code, text = verify("--source", "knowledge", as_json=False)
    assert f"leftover collection {fresh} (a complete rebuild)" in text
    before = embedded_count()

    if finish == "single record":
        outcome = sync_record(source="knowledge", record_id="k1", trigger="api")
        assert outcome.action == "unchanged"
    elif finish == "incremental":
        run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])
        assert run.status == SyncRun.Status.SUCCEEDED, run.error
    else:
        assert verify("--repair", "--source", "knowledge")[0] == 0

    assert sorted(n for n in collection_names() if "knowledge" in n) == ["knowledge_references"]
    assert store_open("knowledge_references", create=False).count() == 5
    assert embedded_count() == before  # put in place, not built again
    assert sync_verify(sources=["knowledge"]).clean


@pytest.mark.usefixtures("chroma")
@pytest.mark.parametrize("finish", ["single record", "incremental"])
def test_an_unfinished_first_rebuild_is_dropped_not_put_in_place(
    finish: str, make_knowledge: Any
) -> None:
    for number in range(5):
        make_knowledge(id=f"k{number}")
    # What a first-ever rebuild killed while building leaves (kill -9: nothing dropped
    # it): two of the five documents under its rebuild name, no live collection.
    unfinished = "knowledge_references-rebuild-3"
    store_open(unfinished).collection.add(
        ids=["k0", "k1"], embeddings=[[1.0] + [0.0] * 383] * 2, documents=["a", "b"]
    )

    code, body = verify("--source", "knowledge")
    drift = body["sources"]["knowledge"]
    assert code == 1 and drift["collection_problem"] == "missing", drift
    assert drift["rebuilds_unfinished"] == [unfinished] and drift["rebuilds_complete"] == []
    assert f"{unfinished!r}: a `--rebuild` killed before it finished building" in drift["problem"]

    if finish == "single record":
        # Never synced before: the collection is created (the next run reads every row).
        sync_record(source="knowledge", record_id="k4", trigger="api")
        assert sorted(n for n in collection_names() if "knowledge" in n) == ["knowledge_references"]
        assert store_open("knowledge_references", create=False).count() == 1
    run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert sorted(n for n in collection_names() if "knowledge" in n) == ["knowledge_references"]
    assert store_open("knowledge_references", create=False).count() == 5
    assert sync_verify(sources=["knowledge"]).clean


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_kill_9_during_a_rebuild_leaves_a_collection_that_the_next_run_drops(
    chroma: str, tmp_path: Path
) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    KnowledgeReference.objects.bulk_create(
        KnowledgeReference(
            id=f"k{number:03}",
            category="STRATEGY",
            source="Test source",
            title={"en": f"Title {number}"},
            content={"en": f"Content number {number}"},
            tags=OLD_TAGS,
            languages=["en"],
            status="VERIFIED",
            created_at=start,
            updated_at=start + timedelta(minutes=number),
        )
        for number in range(40)
    )
    log = tmp_path / "rebuild.log"
    env = halasync_env(
        CHROMA_PATH=chroma, SYNC_BATCH_SIZE="4", SYNC_LOG_FILE=str(tmp_path / "sync.log")
    )
    args = [sys.executable, "manage.py", "sync", "full", "--rebuild", "--source", "knowledge"]
    process = spawn(args, env=env, log=log)
    try:
        progressed = SyncRunSource.objects.filter(source="knowledge", scanned__gte=8)
        killed_run = wait_until(
            lambda: progressed.values_list("run_id", flat=True).first(),
            timeout=180,
            what="rebuild under way",
            process=process,
            log=log,
        )
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        process_stop(process)
    wait_until(lambda: sync_lock_free(["knowledge"]), timeout=10, what="lock released")
    chroma_reset()  # another process wrote the directory
    leftover = f"knowledge_references-rebuild-{killed_run}"
    assert leftover in collection_names()
    assert sync_verify(sources=["knowledge"]).sources[0].leftovers == [leftover]

    run = sync_run_execute(mode="incremental", trigger="cli", sources=["knowledge"])

    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert leftover not in collection_names()
    assert store_open("knowledge_references").count() == 40
    assert sync_verify(sources=["knowledge"]).clean  # (journeys were never synced)


def _break(collection_name: str) -> None:
    """Break a collection as Chroma 1.5 does for real: a record with 10,000 list items
    fails compaction and stays in the log; after a reopen every read fails."""
    collection = chroma_client().get_collection(collection_name)
    vector = collection.get(limit=1, include=["embeddings"])["embeddings"][0]
    with pytest.raises(Exception, match="compaction"):
        collection.add(
            ids=["written-by-someone-else"],
            embeddings=[vector],
            documents=["x"],
            metadatas=[{"tags": [f"t{number}" for number in range(10_000)]}],
        )
    chroma_reset()


@pytest.mark.usefixtures("synced")
def test_a_broken_collection_is_reported_per_collection_and_can_be_dropped(
    api: Any, caplog: Any
) -> None:
    from syncer.services.stats import sync_stats
    from syncer.store import collection_drop

    _break("journey_templates")

    health = api.get("/api/v1/sync/health").json()["checks"]["chroma"]
    assert health["status"] == "degraded", health
    assert health["collections"]["knowledge"]["count"] == 1
    assert health["collections"]["journeys"]["broken"] is True
    assert "journeys: collection cannot be read" in health["detail"]

    stats = sync_stats()
    assert stats.sources["knowledge"].chroma_count == 1
    assert "'journey_templates' cannot be read" in stats.sources["journeys"].chroma_error
    out = io.StringIO()
    call_command("sync", "stats", "--json", stdout=out)
    assert json.loads(out.getvalue())["sources"]["journeys"]["chroma_count"] is None

    assert api.get("/api/v1/search/knowledge-references", {"q": "calm"}).status_code == 200
    search = api.get("/api/v1/search/journey-templates", {"q": "calm"})
    assert search.status_code == 503
    assert "'journey_templates' cannot be read" in search.json()["detail"]
    assert "sync full --rebuild" in search.json()["detail"]
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("sync", "search", "calm", "--type", "journey", stdout=io.StringIO())

    report = sync_verify(sources=["journeys"])
    assert report.sources[0].collection_problem == "broken"
    assert "sync full --rebuild" in report.sources[0].problem

    # It cannot be emptied before its drop: it is dropped anyway.
    collection_drop("journey_templates")
    assert "journey_templates" not in collection_names()


@pytest.mark.usefixtures("synced")
def test_verify_repair_rebuilds_a_broken_collection() -> None:
    _break("journey_templates")

    report = sync_verify(sources=["journeys"], repair=True)

    assert report.sources[0].collection_problem == "broken"
    assert report.repair_run.status == SyncRun.Status.SUCCEEDED, report.repair_run.error
    assert sorted(n for n in collection_names() if "journey" in n) == ["journey_templates"]
    assert store_open("journey_templates").count() == 1
    assert sync_verify().clean
