"""Collections that come and go: a dropped collection leaves nothing that later documents
could inherit (Chroma 1.5 keeps a dropped collection's list metadata,
bench/experiments/chroma_dropped_lists.py), and what an unfinished ``--rebuild`` leaves
behind is reported by verify and cleaned up by the next run of its source."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from journeys.models import JourneyTemplate
from knowledge.models import KnowledgeReference
from syncer.models import SyncRun
from syncer.services.runs import sync_run_execute
from syncer.services.verify import sync_verify
from syncer.sources import journey_to_document, knowledge_to_document
from syncer.store import chroma_client, collection_names, store_open
from tests.processes import any_chroma, chroma_server

__all__ = ["any_chroma", "chroma_server"]  # fixtures, used by name below

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
        ids=["x"], embeddings=[[1.0] + [0.0] * 383], metadatas=[{"tags": OLD_TAGS}]
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
