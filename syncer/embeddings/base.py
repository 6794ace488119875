"""The interface every embedding backend implements, and what backends share.

Nothing here imports a model runtime: a backend loads its model on first use, once per
process (``load``), under its own lock.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# Texts per forward pass: with MiniLM, 32 embeds 256-token documents at least as fast as 64
# with a lower memory peak (measured: docs/performance.md).
ENCODE_BATCH_SIZE = 32

Parts = Mapping[str, str]

# The part of a document that holds its lead: what the row is about, in every language
# (a journey's goal keyword, goal and introduction). Backends that read it weigh it beside
# the whole text, so a long body does not drown the row's subject. Never a language key
# (those are 2-3 letters, then subtags after a separator).
HEAD_PART = "head"


class EmbeddingBackend(ABC):
    """One embedding model (or a fixed combination of models).

    ``name`` is the EMBEDDING_MODEL value that selects it and what a collection records;
    ``dimension`` the length of its vectors. Passages and queries are separate calls:
    a backend may encode them differently (e5-style prefixes, per-language weighting).
    Every vector returned is float32 and unit length.
    """

    name: str
    dimension: int

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False

    @property
    def loaded(self) -> bool:
        return self._loaded

    def load(self) -> None:
        """Load the model now (idempotent, thread-safe); otherwise the first call does."""
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self._load()
                self._loaded = True

    @abstractmethod
    def _load(self) -> None: ...

    def embed_documents(
        self, texts: Sequence[str], parts: Sequence[Parts | None] | None = None
    ) -> np.ndarray:
        """(len(texts), dimension) unit vectors of passages. ``parts``, when given, holds
        for each text its named pieces (``Document.parts``); backends that embed a row
        part by part use them, the others embed the text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if parts is not None and len(parts) != len(texts):
            raise ValueError("parts must have one entry per text")
        self.load()
        return self._embed_documents(
            list(texts), [dict(p or {}) for p in parts or [{}] * len(texts)]
        )

    def embed_queries(self, texts: Sequence[str], *, source: str | None = None) -> np.ndarray:
        """(len(texts), dimension) unit vectors of search queries. ``source``: the one
        source (``Source.name``) they will search, when a backend encodes questions for
        it differently (USE: ``GENERIC_WEIGHTS`` in use.py); None, the plain encoding."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.load()
        return self._embed_queries(list(texts), source)

    def embed_query(self, text: str, *, source: str | None = None) -> np.ndarray:
        return self.embed_queries([text], source=source)[0]

    @abstractmethod
    def _embed_documents(self, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray: ...

    @abstractmethod
    def _embed_queries(self, texts: list[str], source: str | None) -> np.ndarray: ...

    def describe(self) -> dict[str, Any]:
        """What a collection records about the backend that built it."""
        return {"model": self.name, "dimension": self.dimension}


class RecentQueries:
    """The last few single-question encodings of one model, by text: a search that
    encodes its question for two sources (syncer/services/search.py) runs the model once.
    Thread-safe; a miss under a race only encodes twice."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: list[str], encode: Any) -> np.ndarray:
        """``encode(texts)``, from memory for a single text seen lately."""
        if len(texts) != 1:
            return encode(texts)
        with self._lock:
            vector = self._vectors.get(texts[0])
        if vector is None:
            vector = encode(texts)
            with self._lock:
                self._vectors[texts[0]] = vector
                while len(self._vectors) > self._size:
                    del self._vectors[next(iter(self._vectors))]
        return vector.copy()


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def batched(texts: Sequence[str], size: int = ENCODE_BATCH_SIZE) -> list[list[str]]:
    return [list(texts[start : start + size]) for start in range(0, len(texts), size)]


def english_text(text: str, parts: Mapping[str, str]) -> str:
    """The English section of a document, or its whole text when it has none."""
    english = parts.get("en", "")
    return english if english.strip() else text
