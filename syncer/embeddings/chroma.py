"""The embedding function halasync declares to Chroma for its collections."""

from __future__ import annotations

from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function


@register_embedding_function
class HalasyncEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's handle on a collection's backend (``model`` = its EMBEDDING_MODEL name).

    ``query_texts`` go through ``embed_query``: the backend's *query* encoding (prefixes,
    per-language weighting); documents given to ``add`` as text go through ``__call__``,
    the passage encoding. Other programs ``import syncer.embeddings`` (which registers
    this class) and open the collection: Chroma rebuilds it from the collection's config.
    Building it loads no model.
    """

    def __init__(self, model: str | None = None) -> None:
        from syncer.embeddings import DEFAULT_MODEL

        self.model = model or DEFAULT_MODEL

    def __call__(self, input: Documents) -> Embeddings:
        from syncer.embeddings import embedding_backend

        return list(embedding_backend(self.model).embed_documents(list(input)).astype(np.float32))

    def embed_query(self, input: Documents) -> Embeddings:
        from syncer.embeddings import embedding_backend

        return list(embedding_backend(self.model).embed_queries(list(input)).astype(np.float32))

    @staticmethod
    def name() -> str:
        # Unchanged since halasync's first collections: Chroma refuses to open a
        # collection whose recorded function name differs.
        return "halasync_sentence_transformer"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HalasyncEmbeddingFunction:
        # Collections built before backends existed recorded no model: MiniLM.
        return HalasyncEmbeddingFunction(model=str(config.get("model") or "all-MiniLM-L6-v2"))

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
