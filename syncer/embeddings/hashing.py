"""``hashing-test``: a declared test embedder, for tests only (``bin/test --fast``).

Deterministic and instant, no model: each token is hashed to one of DIMENSION signed
slots. Texts sharing words are near each other; meaning, languages and paraphrase are
not understood at all. Never use it for a real collection.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from syncer.embeddings.base import EmbeddingBackend, unit_rows

_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashingBackend(EmbeddingBackend):
    name = "hashing-test"
    dimension = 256

    def _load(self) -> None:
        pass

    def _embed_documents(self, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray:
        return unit_rows(np.vstack([self._vector(text) for text in texts]))

    def _embed_queries(self, texts: list[str], source: str | None) -> np.ndarray:
        return unit_rows(np.vstack([self._vector(text) for text in texts]))

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for token in _TOKEN.findall(text.lower()) or ["\x00empty"]:
            digest = hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            vector[value % self.dimension] += 1.0 if value >> 63 else -1.0
        if not vector.any():  # every token cancelled out: still a unit vector
            vector[0] = 1.0
        return vector
