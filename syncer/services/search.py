"""Semantic search over the synced collections, with metadata filters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from syncer.embeddings import embed_query
from syncer.sources import Source
from syncer.store import CollectionBroken, CollectionStore, collection_broken, store_open

T = TypeVar("T")
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
        if self.category and "category" in source.filter_fields:
            clauses.append({"category": self.category})
        if self.status:
            clauses.append({"status": self.status})
        if self.tag:
            clauses.append({"tags": {"$contains": self.tag}})
        if self.language:
            clauses.append({"languages": {"$contains": self.language}})
        if self.active_only and source.active_field:
            clauses.append({source.active_field: True})
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
    if not any(_read(store, store.count) for _, store in stores):
        return []
    embedding = embed_query(query)
    hits: list[dict[str, Any]] = []
    for source, store in stores:
        found = _read(
            store,
            lambda store=store, source=source: store.query(
                embedding=embedding, where=filters.where(source), limit=limit
            ),
        )
        for hit in found:
            hits.append({"type": source.name, **hit})
    hits.sort(key=lambda hit: hit["distance"])
    return hits[:limit]


def _read(store: CollectionStore, read: Callable[[], T]) -> T:
    """``read()``; a collection failing in Chroma itself is CollectionBroken, naming it."""
    try:
        return read()
    except Exception as exc:
        if collection_broken(exc):
            raise CollectionBroken(store.name, exc) from exc
        raise
