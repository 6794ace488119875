"""What Chroma 1.5 operations cost, on a throw-away embedded collection.

    python -m bench.experiments.chroma_costs [--documents 3000] [--rounds 5]

1. ``get(ids, include=["metadatas"])`` per id, with 2 and with 14 metadata keys: the
   price of the warm full sync's hash read grows with the number of keys.
2. Rewriting every vector ``rounds`` times by ``upsert`` and by ``delete`` + ``add``:
   time per round, size of the directory and peak RSS. delete + add leaves tombstones in
   the vector index, so it is only faster at first.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time

import chromadb
import numpy as np
from chromadb.config import Settings

rng = np.random.default_rng(1)


def _unit(count: int) -> np.ndarray:
    vectors = rng.normal(size=(count, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _directory_kb(path: str) -> int:
    return (
        sum(
            os.path.getsize(os.path.join(root, name))
            for root, _, names in os.walk(path)
            for name in names
        )
        // 1024
    )


def _collection(client: chromadb.ClientAPI, name: str, documents: int, keys: int):
    collection = client.create_collection(
        name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    for start in range(0, documents, 5000):
        count = min(5000, documents - start)
        collection.add(
            ids=[f"id{number:07d}" for number in range(start, start + count)],
            embeddings=_unit(count),
            metadatas=[
                {f"key{key}": f"value {number} {key}" for key in range(keys)}
                for number in range(start, start + count)
            ],
            documents=["some document text " * 50] * count,
        )
    return collection


def read_costs(documents: int) -> None:
    client = chromadb.PersistentClient(
        path=tempfile.mkdtemp(), settings=Settings(anonymized_telemetry=False)
    )
    ids = [f"id{number:07d}" for number in range(documents)]
    for keys in (2, 14):
        collection = _collection(client, f"keys{keys}", documents, keys)
        for include in (["metadatas"], []):
            start = time.perf_counter()
            for first in range(0, documents, 256):
                collection.get(ids=ids[first : first + 256], include=include)
            per_id = (time.perf_counter() - start) / documents * 1e6
            print(f"get 256 ids, {keys:2} metadata keys, include={include}: {per_id:.0f} us/id")


def write_costs(documents: int, rounds: int) -> None:
    for method in ("upsert", "delete+add"):
        path = tempfile.mkdtemp()
        client = chromadb.PersistentClient(path=path, settings=Settings(anonymized_telemetry=False))
        collection = _collection(client, "rewrites", documents, 2)
        ids = [f"id{number:07d}" for number in range(documents)]
        for round_number in range(1, rounds + 1):
            start = time.perf_counter()
            for first in range(0, documents, 256):
                batch = ids[first : first + 256]
                metadatas = [{"key0": "new", "key1": str(round_number)}] * len(batch)
                if method == "upsert":
                    collection.upsert(ids=batch, embeddings=_unit(len(batch)), metadatas=metadatas)
                else:
                    collection.delete(ids=batch)
                    collection.add(ids=batch, embeddings=_unit(len(batch)), metadatas=metadatas)
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(
                f"{method:10} round {round_number}: {seconds:5.1f} s, directory "
                f"{_directory_kb(path)} KB, peak RSS {peak} MB, count {collection.count()}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    read_costs(args.documents)
    write_costs(args.documents, args.rounds)


if __name__ == "__main__":
    main()
