"""Embedded Chroma across processes: a long-lived reader (this process) must not serve
stale results after another process wrote (DESIGN.md, "Chroma 1.5 facts")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from syncer import chroma_client
from syncer.embeddings import embedding_backend
from syncer.services.runs import sync_run_execute
from syncer.services.search import SearchFilters, search_documents
from syncer.services.stats import sync_stats
from syncer.sources import KNOWLEDGE
from syncer.store import store_open
from tests.processes import halasync_env, manage_json


def knowledge_count() -> int:
    return sync_stats().sources["knowledge"].chroma_count


def found(query: str) -> list[str]:
    hits = search_documents(query=query, sources=[KNOWLEDGE], filters=SearchFilters(), limit=5)
    return [hit["id"] for hit in hits]


def sync_in_another_process(mode: str, *, chroma: str, tmp_path: Path) -> dict[str, Any]:
    """``manage.py sync <mode> --json`` as a separate process writing the same embedded
    Chroma; the run it printed."""
    env = halasync_env(CHROMA_PATH=chroma, SYNC_LOG_FILE=str(tmp_path / "sync.log"))
    return manage_json("sync", mode, env=env).data


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_reader_sees_what_another_process_wrote(
    chroma: str, tmp_path: Path, make_knowledge: Any
) -> None:
    make_knowledge(id="k1", title={"en": "Breathing exercises for a racing heart"})
    make_knowledge(id="k2", title={"en": "Gratitude journal before sleep"})
    assert sync_run_execute(mode="full", trigger="cli").status == "succeeded"
    # This process has its client open and reads through it.
    assert knowledge_count() == 2
    assert "k3" not in found("forgiving a friend who hurt me")

    make_knowledge(id="k3", title={"en": "Forgiving a friend who hurt you"})
    written = sync_in_another_process("incremental", chroma=chroma, tmp_path=tmp_path)
    assert written["counts"]["knowledge"]["upserted"] == 1

    # The writer's run finished after this process opened its client: it reopens.
    assert knowledge_count() == 3
    assert found("forgiving a friend who hurt me")[0] == "k3"


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_a_reader_that_opened_an_empty_collection_reopens_to_query(
    chroma: str, tmp_path: Path, make_knowledge: Any
) -> None:
    """A web process started before the first sync holds the collection from when it had
    no vectors; Chroma 1.5 then fails its queries ("Nothing found on disk")."""
    reader = store_open(KNOWLEDGE.collection_name)  # created empty, held by this process
    assert reader.metadatas(["k1"]) == {} and reader.count() == 0  # read while empty
    make_knowledge(id="k1", title={"en": "Breathing exercises for a racing heart"})
    sync_in_another_process("full", chroma=chroma, tmp_path=tmp_path)

    hits = reader.query(embedding=[0.05] * embedding_backend().dimension, where=None, limit=3)

    assert [hit["id"] for hit in hits] == ["k1"]


def test_staleness_is_checked_at_most_every_second(
    chroma: str, make_knowledge: Any, monkeypatch
) -> None:
    make_knowledge()
    sync_run_execute(mode="full", trigger="cli")
    store_open("knowledge_references")
    monkeypatch.setattr(chroma_client, "STALE_CHECK_SECONDS", 3600)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            store_open("knowledge_references").count()
    assert not [q for q in queries.captured_queries if "syncer_syncrun" in q["sql"]]

    monkeypatch.setattr(chroma_client, "STALE_CHECK_SECONDS", 0)
    with CaptureQueriesContext(connection) as queries:
        store_open("knowledge_references").count()
    assert [q for q in queries.captured_queries if "syncer_syncrun" in q["sql"]]


@pytest.mark.usefixtures("chroma")
def test_own_runs_do_not_make_the_client_reopen(make_knowledge: Any, monkeypatch) -> None:
    make_knowledge()
    store_open("knowledge_references")
    client = chroma_client.chroma_client()
    sync_run_execute(mode="full", trigger="cli")
    monkeypatch.setattr(chroma_client, "STALE_CHECK_SECONDS", 0)
    assert chroma_client.chroma_client() is client
