"""Semantic search over the synced collections, with metadata filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncer.embeddings import embed_query
from syncer.sources import JOURNEYS, KNOWLEDGE, Source
from syncer.store import store_open

MAX_LIMIT = 100


@dataclass(frozen=True)
class SearchFilters:
    category: str | None = None
    status: str | None = None
    tag: str | None = None
    language: str | None = None
    active_only: bool = False

    def where(self, source: Source) -> dict[str, Any] | None:
        """The Chroma ``where`` clause for ``source`` (list fields use ``$contains``)."""
        clauses: list[dict[str, Any]] = []
        if self.category and source is KNOWLEDGE:
            clauses.append({"category": self.category})
        if self.status:
            clauses.append({"status": self.status})
        if self.tag:
            clauses.append({"tags": {"$contains": self.tag}})
        if self.language:
            clauses.append({"languages": {"$contains": self.language}})
        if self.active_only and source is JOURNEYS:
            clauses.append({"is_active": True})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def search_documents(
    *, query: str, sources: list[Source], filters: SearchFilters, limit: int = 10
) -> list[dict[str, Any]]:
    """The ``limit`` nearest documents across ``sources``, nearest first.

    Each hit is ``{"id", "type", "distance", "document", "metadata"}``.
    """
    if not query.strip():
        raise ValueError("the search query is empty")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    stores = [(source, store_open(source.collection_name, create=False)) for source in sources]
    if not any(store.count() for _, store in stores):
        return []
    embedding = embed_query(query)
    hits: list[dict[str, Any]] = []
    for source, store in stores:
        for hit in store.query(embedding=embedding, where=filters.where(source), limit=limit):
            hits.append({"type": source.name, **hit})
    hits.sort(key=lambda hit: hit["distance"])
    return hits[:limit]
