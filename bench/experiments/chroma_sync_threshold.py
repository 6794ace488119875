"""What Chroma's ``sync_threshold`` does to the cost of writes, on throw-away collections.

    python -m bench.experiments.chroma_sync_threshold [--documents 10000] [--writes 1200]
        [--thresholds 100,250,1000]

Chroma 1.5 keeps every write in its log until the vector index is persisted, which it
does every ``sync_threshold`` records (default 1,000), and each write pays for the
records still in the log: one-record upserts into a 10,000-document collection took
15 ms right after a persist and 53 ms just before the next one. This builds one
collection like halasync's (cosine, clustered unit vectors, ~1,000-character documents,
14 metadata keys), copies it once per threshold, and measures on each copy:

1. ``--writes`` one-record upserts of existing ids with a new vector and text (what a
   single-record sync or a ``watch`` cycle writes): p50, p95, max, mean, and the bytes
   written to the block devices meanwhile (``/sys/block/*/stat`` after ``sync``: Chroma's
   SQLite pages and their rollback journal, and the index files at each persist);
2. three upserts of 1,024 records (one batch of a full sync with changed text);
3. 100 queries of 10 nearest neighbours: p50.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time

import chromadb
import numpy as np
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings

from bench.measure import disk_written_bytes

rng = np.random.default_rng(1)
DIMENSIONS = 384


def _clustered(count: int, centres: np.ndarray) -> np.ndarray:
    """Unit vectors near random centres: real embeddings cluster, and clustering is what
    makes the index's neighbour repairs expensive."""
    picked = centres[rng.integers(0, len(centres), size=count)]
    vectors = picked + rng.normal(scale=0.35 / np.sqrt(DIMENSIONS), size=(count, DIMENSIONS))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _metadata(number: int) -> dict:
    return {
        "type": "knowledge_reference",
        "category": ("VERSE", "HADITH", "STRATEGY", "PRAYER")[number % 4],
        "source": f"Source {number % 97}",
        "status": "APPROVED",
        "tags": ["anxiety", f"tag{number % 31}", f"tag{number % 17}"],
        "languages": ["en", "id"],
        "title": f"Title number {number} about patience",
        "title_en": f"Title number {number} about patience",
        "title_id": f"Judul nomor {number} tentang sabar",
        "created_at": "2026-01-01T00:00:00.000Z",
        "updated_at": "2026-01-02T00:00:00.000Z",
        "content_ar": "نص عربي" * 10,
        "document_hash": f"{number:064x}",
        "metadata_hash": f"{number + 1:064x}",
    }


def _document(number: int, variant: int = 0) -> str:
    return f"document {number} variant {variant} " + "some words of content " * 45


def build(path: str, documents: int, centres: np.ndarray) -> list[str]:
    client = chromadb.PersistentClient(path=path, settings=Settings(anonymized_telemetry=False))
    collection = client.create_collection(
        "threshold", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    ids = [f"id{number:07d}" for number in range(documents)]
    for start in range(0, documents, 5000):
        batch = range(start, min(start + 5000, documents))
        collection.add(
            ids=[ids[n] for n in batch],
            embeddings=_clustered(len(batch), centres),
            metadatas=[_metadata(n) for n in batch],
            documents=[_document(n) for n in batch],
        )
    SharedSystemClient.clear_system_cache()
    return ids


def measure(path: str, ids: list[str], threshold: int, writes: int, centres: np.ndarray) -> None:
    client = chromadb.PersistentClient(path=path, settings=Settings(anonymized_telemetry=False))
    collection = client.get_collection("threshold", embedding_function=None)
    collection.modify(configuration={"hnsw": {"sync_threshold": threshold}})
    single: list[float] = []
    written_before = disk_written_bytes()
    for write in range(writes):
        number = (write * 7919) % len(ids)
        vector = _clustered(1, centres)
        start = time.perf_counter()
        collection.upsert(
            ids=[ids[number]],
            embeddings=vector,
            metadatas=[_metadata(number)],
            documents=[_document(number, write + 1)],
        )
        single.append((time.perf_counter() - start) * 1000)
    written = disk_written_bytes() - written_before
    bulk: list[float] = []
    for round_number in range(3):
        first = (round_number * 1024 * 3) % max(1, len(ids) - 1024)
        batch = ids[first : first + 1024]
        start = time.perf_counter()
        collection.upsert(
            ids=batch,
            embeddings=_clustered(len(batch), centres),
            metadatas=[_metadata(first + n) for n in range(len(batch))],
            documents=[_document(first + n, 10_000 + round_number) for n in range(len(batch))],
        )
        bulk.append(time.perf_counter() - start)
    queries: list[float] = []
    for _ in range(100):
        vector = _clustered(1, centres)
        start = time.perf_counter()
        collection.query(query_embeddings=vector, n_results=10, include=["metadatas"])
        queries.append((time.perf_counter() - start) * 1000)
    single_sorted = sorted(single)
    print(
        f"sync_threshold {threshold:5}: one-record upsert p50 {statistics.median(single):5.1f} ms, "
        f"p95 {single_sorted[int(len(single) * 0.95)]:5.1f}, max {single_sorted[-1]:6.1f}, "
        f"mean {statistics.fmean(single):5.1f}, disk {written / 2**20:.0f} MB "
        f"({written / writes / 1024:.0f} KB per upsert) | 1,024-record upsert "
        f"{', '.join(f'{s:.2f}' for s in bulk)} s | query p50 {statistics.median(queries):.1f} ms",
        flush=True,
    )
    SharedSystemClient.clear_system_cache()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=1_200)
    parser.add_argument("--thresholds", default="100,250,1000")
    args = parser.parse_args()
    thresholds = [int(value) for value in args.thresholds.split(",")]
    centres = rng.normal(size=(64, DIMENSIONS)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    base = tempfile.mkdtemp(prefix="threshold_base_")
    try:
        start = time.perf_counter()
        ids = build(base, args.documents, centres)
        print(
            f"built {args.documents} documents in {time.perf_counter() - start:.1f} s", flush=True
        )
        for threshold in thresholds:
            copy = tempfile.mkdtemp(prefix=f"threshold_{threshold}_")
            shutil.rmtree(copy)
            shutil.copytree(base, copy)
            try:
                measure(copy, ids, threshold, args.writes, centres)
            finally:
                shutil.rmtree(copy, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
