"""Embedding backends, behind one small interface (``syncer.embeddings.base``).

EMBEDDING_MODEL picks the backend (``BACKENDS``); EMBEDDING_RUNTIME how MiniLM runs
(``onnx`` or ``torch``); EMBEDDING_CACHE_DIR where converted model files live. Each
backend loads lazily, once per process: importing this package imports no model runtime,
so commands that embed nothing (an idle incremental sync, ``stats``) never pay for one.

Importing this package registers ``HalasyncEmbeddingFunction`` with Chroma: another
program can open halasync's collections and query them with ``query_texts``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from syncer.embeddings.base import ENCODE_BATCH_SIZE, EmbeddingBackend, Parts
from syncer.embeddings.minilm import PRECISIONS, RUNTIMES, EmbeddingUnavailable

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "ENCODE_BATCH_SIZE",
    "PRECISIONS",
    "RUNTIMES",
    "EmbeddingBackend",
    "EmbeddingUnavailable",
    "HalasyncEmbeddingFunction",
    "configured_model",
    "embed_documents",
    "embed_query",
    "embed_texts",
    "embedding_backend",
    "embedding_settings_check",
    "stats",
]

DEFAULT_MODEL = "use-multilingual-v3+all-MiniLM-L6-v2"
DEFAULT_RUNTIME = "onnx"
DEFAULT_PRECISION = "fp32"


def _composite(runtime: str, cache_dir: Path, precision: str) -> EmbeddingBackend:
    from syncer.embeddings.composite import CompositeBackend

    return CompositeBackend(runtime=runtime, cache_dir=cache_dir, precision=precision)


def _use(runtime: str, cache_dir: Path, precision: str) -> EmbeddingBackend:
    from syncer.embeddings.use import UseBackend

    return UseBackend(cache_dir=cache_dir)


def _minilm(runtime: str, cache_dir: Path, precision: str) -> EmbeddingBackend:
    from syncer.embeddings.minilm import MiniLMBackend

    return MiniLMBackend(runtime=runtime, cache_dir=cache_dir, precision=precision)


def _e5(runtime: str, cache_dir: Path, precision: str) -> EmbeddingBackend:
    from syncer.embeddings.e5 import E5Backend

    return E5Backend()


def _hashing(runtime: str, cache_dir: Path, precision: str) -> EmbeddingBackend:
    from syncer.embeddings.hashing import HashingBackend

    return HashingBackend()


# EMBEDDING_MODEL value -> factory(runtime, cache_dir, onnx precision). The order is the order of the docs.
BACKENDS: dict[str, Callable[[str, Path, str], EmbeddingBackend]] = {
    DEFAULT_MODEL: _composite,
    "use-multilingual-v3": _use,
    "all-MiniLM-L6-v2": _minilm,
    "multilingual-e5-small-q4": _e5,
    "hashing-test": _hashing,
}


@dataclass
class EmbeddingStats:
    """Process-wide counters: how often passages were embedded, and how many."""

    calls: int = 0
    texts: int = 0
    queries: int = 0


stats = EmbeddingStats()
_backends: dict[tuple[str, str, str, str], EmbeddingBackend] = {}
_backends_lock = threading.Lock()


def _setting(name: str, default: str) -> str:
    """A halasync setting; outside a Django project (another program importing the
    embedding function) the environment variable of the same name, or the default."""
    if settings.configured:
        value = getattr(settings, name, None)
    else:
        value = os.environ.get(name)
    return str(value) if value not in (None, "") else default


def configured_model() -> str:
    return _setting("EMBEDDING_MODEL", DEFAULT_MODEL)


def configured_runtime() -> str:
    return _setting("EMBEDDING_RUNTIME", DEFAULT_RUNTIME)


def configured_precision() -> str:
    return _setting("EMBEDDING_ONNX_PRECISION", DEFAULT_PRECISION)


def configured_cache_dir() -> Path:
    return Path(_setting("EMBEDDING_CACHE_DIR", str(Path("var") / "models")))


def embedding_settings_check(
    model: str | None = None, runtime: str | None = None, precision: str | None = None
) -> None:
    """ImproperlyConfigured, listing the choices, for an unknown model, runtime or
    precision."""
    model = model or configured_model()
    runtime = runtime or configured_runtime()
    precision = precision or configured_precision()
    if model not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMBEDDING_MODEL={model!r} is not a halasync embedding backend; choose from: "
            f"{', '.join(BACKENDS)}"
        )
    if runtime not in RUNTIMES:
        raise ImproperlyConfigured(
            f"EMBEDDING_RUNTIME={runtime!r} is not supported; choose from: {', '.join(RUNTIMES)}"
        )
    if precision not in PRECISIONS:
        raise ImproperlyConfigured(
            f"EMBEDDING_ONNX_PRECISION={precision!r} is not supported; "
            f"choose from: {', '.join(PRECISIONS)}"
        )


def embedding_backend(model: str | None = None) -> EmbeddingBackend:
    """The backend of ``model`` (default: EMBEDDING_MODEL), built once per process.
    Building loads nothing; the first embedding (or ``load()``) does."""
    model = model or configured_model()
    runtime = configured_runtime()
    precision = configured_precision()
    embedding_settings_check(model, runtime, precision)
    cache_dir = configured_cache_dir()
    key = (model, runtime, precision, str(cache_dir))
    with _backends_lock:
        if key not in _backends:
            _backends[key] = BACKENDS[model](runtime, cache_dir, precision)
        return _backends[key]


def embed_documents(
    texts: Sequence[str], *, parts: Sequence[Parts | None] | None = None, model: str | None = None
) -> list[np.ndarray]:
    """Unit-length passage vectors for ``texts`` (with their ``Document.parts``): float32
    rows of one array, which Chroma takes as they are. (Python lists of floats took ~29 MB
    for a batch of 1,024 vectors of 896 dimensions, at the sync's memory peak.)"""
    if not texts:
        return []
    vectors = embedding_backend(model).embed_documents(texts, parts)
    stats.calls += 1
    stats.texts += len(texts)
    return list(vectors)


def embed_texts(texts: Sequence[str], *, model: str | None = None) -> list[np.ndarray]:
    """Passage vectors of texts without parts (kept for callers of the old interface)."""
    return embed_documents(texts, model=model)


def embed_query(text: str, *, model: str | None = None, source: str | None = None) -> list[float]:
    """The unit-length vector of one search query; ``source``: the one source it searches
    (``EmbeddingBackend.embed_queries``)."""
    vector = embedding_backend(model).embed_query(text, source=source)
    stats.queries += 1
    return vector.tolist()


from syncer.embeddings.chroma import HalasyncEmbeddingFunction  # noqa: E402  (registers it)


def models_prepare(*, model: str | None = None) -> EmbeddingBackend:
    """Make the configured backend ready to embed: convert what it converts (the ONNX
    export of MiniLM into EMBEDDING_CACHE_DIR, checked against a known answer), load it,
    and embed one passage and one query as each source's search encodes it (a file only a
    source's questions read fails here, not at the first search). Idempotent;
    EmbeddingUnavailable says what is missing."""
    from syncer.sources import SOURCES

    backend = embedding_backend(model)
    backend.load()
    backend.embed_documents(["prepare"])
    backend.embed_query("prepare")
    for source in SOURCES.values():
        backend.embed_query("prepare", source=source.name)
    return backend
