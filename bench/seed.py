"""Fill Chroma for rows that are not in it yet, without the embedding model."""

from __future__ import annotations

from typing import Any

from bench.harness import Bench, log
from bench.measure import stopwatch


def seed_collections(bench: Bench, *, note: str) -> dict[str, Any]:
    """Write the documents of every eligible row missing from Chroma WITHOUT the model:
    the real converter output (text, metadata, hashes) with stand-in vectors (a stored
    vector plus noise, or random unit vectors when nothing is stored yet). A full sync
    then finds these rows unchanged, as after a cold sync, at a fraction of its cost."""
    import numpy as np
    from django.conf import settings

    from syncer import selectors
    from syncer.embeddings import embedding_backend
    from syncer.sources import SOURCES
    from syncer.store import store_open

    rng = np.random.default_rng(7)
    added = 0
    with stopwatch() as elapsed:
        for source in SOURCES.values():
            store = store_open(source.collection_name)
            pool = store.collection.get(limit=2_000, include=["embeddings"])["embeddings"]
            pool = np.asarray(pool if pool is not None and len(pool) else [], dtype=np.float32)
            for rows in selectors.source_rows(source, batch_size=settings.SYNC_BATCH_SIZE * 4):
                stored = store.metadatas([row.pk for row in rows])
                documents = [source.to_document(row) for row in rows if row.pk not in stored]
                if not documents:
                    continue
                if len(pool):
                    base = pool[rng.integers(0, len(pool), len(documents))]
                    vectors = base + rng.normal(0, 0.02, base.shape).astype(np.float32)
                else:
                    # The backend's dimension: the collection refuses any other.
                    dimension = embedding_backend().dimension
                    vectors = rng.normal(0, 1, (len(documents), dimension)).astype(np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                store.add(
                    ids=[d.id for d in documents],
                    embeddings=vectors.tolist(),
                    documents=[d.text for d in documents],
                    metadatas=[d.metadata for d in documents],
                )
                added += len(documents)
    seeded = {"documents": added, "seconds": round(elapsed(), 1), "why": note}
    bench.results.setdefault("seeded", []).append(seeded)
    log(f"seeded {added} documents without the model in {seeded['seconds']}s ({note})")
    return seeded
