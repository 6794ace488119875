"""A record added after a collection was dropped inherits that collection's list metadata
(chromadb 1.5.9, embedded and `chroma run` alike), and halasync's two workarounds.

    python -m bench.experiments.chroma_dropped_lists [--server]

The reproduction, in six lines of plain chromadb::

    client = chromadb.PersistentClient(path=tempfile.mkdtemp())
    old = client.create_collection("old", embedding_function=None)
    old.add(ids=["x"], embeddings=[[1.0, 0.0]], metadatas=[{"tags": ["stale", "tags"]}])
    client.delete_collection("old")
    new = client.create_collection("new", embedding_function=None)
    new.add(ids=["y"], embeddings=[[1.0, 0.0]], metadatas=[{"k": "v"}])
    new.get(include=["metadatas"])["metadatas"]   # [{'k': 'v', 'tags': ['stale', 'tags']}]

Why (Chroma's source, rust/sysdb/src/sqlite.rs ``delete_collection_with_conn``): dropping
a collection deletes its rows from ``embeddings``, ``embedding_metadata`` and the full-text
table, but not from ``embedding_metadata_array``, where list values live (one row per item,
keyed by the record's ``embeddings.id``). ``embeddings.id`` is an ``INTEGER PRIMARY KEY``
without AUTOINCREMENT, so SQLite hands the next record max(id) + 1: when the dropped
collection held the highest ids (a rebuild collection dropped after a failure, say), the
next records get its ids back, and with them its list values for every list key they are
not sent. Deleting records (``collection.delete(ids=...)``) does remove their list rows,
and writing a key (a list, a scalar or None) replaces whatever was there.

The workarounds measured here (halasync uses both, syncer/store.py):

1. empty a collection (delete its records) before dropping it: nothing is left behind;
2. read back what an add wrote; keys that were not sent are removed by sending them as
   None (this catches rows left by drops halasync did not do, or did before it emptied).

Their costs are measured last: the read-back is a get of the ids just added (against the
add itself, which is small beside embedding the documents: ~43 s per 1,000 on 2 cores),
and emptying deletes every record before the drop.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import chromadb
import numpy as np

from bench.experiments.chroma_metadata_limits import (
    SETTINGS,
    _free_port,
    _http_client,
    _server_start,
    _server_stop,
)

NEW = {"type": "knowledge_reference", "title": "fresh"}


def _fill(collection: Any, count: int) -> None:
    collection.add(
        ids=[f"old{number}" for number in range(count)],
        embeddings=[[1.0, float(number)] for number in range(count)],
        metadatas=[{"tags": ["envy", "jealousy"], "languages": ["en"]}] * count,
    )


def scenario(client: Any, *, empty_first: bool, count: int = 5) -> list[dict[str, Any]]:
    """Fill a collection with list metadata, drop it (emptied first or not), then add
    records without lists to another collection: what do they read back?"""
    kept = client.get_or_create_collection("kept", embedding_function=None)
    kept.add(ids=["k"], embeddings=[[0.0, 1.0]], metadatas=[{"a": 1}])
    dropped = client.create_collection("dropped-rebuild-1", embedding_function=None)
    _fill(dropped, count)
    if empty_first:
        dropped.delete(ids=dropped.get(include=[])["ids"])
    client.delete_collection("dropped-rebuild-1")
    target = client.get_or_create_collection("target", embedding_function=None)
    ids = [f"new{number}" for number in range(count)]
    target.add(ids=ids, embeddings=[[0.5, 0.5]] * count, metadatas=[NEW] * count)
    metadatas = target.get(ids=ids, include=["metadatas"])["metadatas"]
    for name in ("kept", "target"):
        client.delete_collection(name)
    return metadatas


def repaired(client: Any, count: int = 5) -> tuple[list[dict[str, Any]], float]:
    """The read-back workaround: inherited keys are removed with an update sending None."""
    dropped = client.create_collection("dropped-rebuild-2", embedding_function=None)
    _fill(dropped, count)
    client.delete_collection("dropped-rebuild-2")
    target = client.get_or_create_collection("target2", embedding_function=None)
    ids = [f"new{number}" for number in range(count)]
    target.add(ids=ids, embeddings=[[0.5, 0.5]] * count, metadatas=[NEW] * count)
    started = time.perf_counter()
    stored = target.get(ids=ids, include=["metadatas"])
    fixes = {
        doc_id: {key: None for key in metadata if key not in NEW}
        for doc_id, metadata in zip(stored["ids"], stored["metadatas"], strict=True)
        if metadata != NEW
    }
    if fixes:
        target.update(ids=list(fixes), metadatas=list(fixes.values()))
    seconds = time.perf_counter() - started
    metadatas = target.get(ids=ids, include=["metadatas"])["metadatas"]
    client.delete_collection("target2")
    return metadatas, seconds


def read_back_cost(client: Any, *, documents: int = 10_240, batch: int = 1_024) -> None:
    """What the read-back adds to adding documents (halasync's batch size, ~14 metadata
    keys as a knowledge reference has), against the add itself."""
    collection = client.create_collection("cost", embedding_function=None)
    rng = np.random.default_rng(1)
    add_seconds = read_seconds = 0.0
    for start in range(0, documents, batch):
        ids = [f"doc{number:06d}" for number in range(start, start + batch)]
        metadatas = [
            {
                **{f"title_{lang}": f"Title {number} {lang}" for lang in ("en", "id", "ar")},
                "type": "knowledge_reference",
                "category": "STRATEGY",
                "source": "Quran 13:28",
                "status": "VERIFIED",
                "tags": ["calm", "dhikr", "patience"],
                "languages": ["en", "id", "ar"],
                "title": f"Title {number}",
                "created_at": "2026-01-01T00:00:00.000Z",
                "updated_at": "2026-01-01T00:00:00.000Z",
                "document_hash": "a" * 64,
                "metadata_hash": "b" * 64,
            }
            for number in range(start, start + batch)
        ]
        vectors = rng.normal(size=(batch, 384)).astype(np.float32)
        started = time.perf_counter()
        collection.add(
            ids=ids, embeddings=vectors, metadatas=metadatas, documents=["t " * 400] * batch
        )
        added = time.perf_counter()
        stored = collection.get(ids=ids, include=["metadatas"])
        assert all(metadata in metadatas for metadata in stored["metadatas"][:3])
        add_seconds += added - started
        read_seconds += time.perf_counter() - added
    add_ms, read_ms = (seconds / documents * 1_000_000 for seconds in (add_seconds, read_seconds))
    print(
        f"adding {documents:,} documents in batches of {batch:,}: add {add_ms:.0f} ms per "
        f"1,000, read-back {read_ms:.0f} ms per 1,000 (+{read_seconds / add_seconds:.0%})"
    )


def drop_cost(client: Any, *, documents: int = 10_000) -> None:
    """What emptying a collection before dropping it costs (a rebuild's retired copy)."""
    rng = np.random.default_rng(2)
    for empty_first in (False, True):
        collection = client.create_collection(f"drop-{empty_first}", embedding_function=None)
        for start in range(0, documents, 5_000):
            count = min(5_000, documents - start)
            collection.add(
                ids=[f"doc{number}" for number in range(start, start + count)],
                embeddings=rng.normal(size=(count, 384)).astype(np.float32),
                metadatas=[{"tags": ["calm", "dhikr"], "languages": ["en"]}] * count,
                documents=["t " * 400] * count,
            )
        started = time.perf_counter()
        if empty_first:
            while page := collection.get(include=[], limit=5_000)["ids"]:
                collection.delete(ids=page)
        client.delete_collection(collection.name)
        label = "emptied, then dropped" if empty_first else "dropped as is"
        print(f"{documents:,} documents {label}: {time.perf_counter() - started:.2f} s")


def run(label: str, fresh_client: Callable[[], Any]) -> None:
    """Each case on a fresh Chroma (``fresh_client``), so that none inherits another's."""
    print(f"\n== {label}")
    with fresh_client() as client:
        print(f"dropped as is:          {scenario(client, empty_first=False)[0]}")
    with fresh_client() as client:
        print(f"emptied, then dropped:  {scenario(client, empty_first=True)[0]}")
    with fresh_client() as client:
        fixed, seconds = repaired(client)
    print(f"read back and repaired: {fixed[0]} ({seconds * 1000:.1f} ms for 5 records)")
    with fresh_client() as client:
        read_back_cost(client)
        drop_cost(client)


@contextmanager
def embedded() -> Iterator[Any]:
    yield chromadb.PersistentClient(
        path=tempfile.mkdtemp(prefix="chroma-dropped-"), settings=SETTINGS
    )


@contextmanager
def server() -> Iterator[Any]:
    port = _free_port()
    process = _server_start(tempfile.mkdtemp(prefix="chroma-dropped-server-"), port)
    try:
        yield _http_client(port)
    finally:
        _server_stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", action="store_true", help="also on a `chroma run` server")
    args = parser.parse_args()
    print(f"chromadb {chromadb.__version__}")
    run("embedded", embedded)
    if args.server:
        run("server", server)


if __name__ == "__main__":
    main()
