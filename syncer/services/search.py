"""Search over the synced collections, with metadata filters.

Rows the query names exactly (a Quran or hadith reference, a du'a's Arabic words, a
journey's goal keyword: ``syncer.lookup``) come first, nearest first among them; then the
nearest rows by embedding, each row once. Filters apply to both. A source searched alone
whose rows cite another source's rows (journeys cite knowledge references) has its
nearest rows re-ranked with what they cite (``_cited_fusion``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from syncer.chroma_client import StoreError
from syncer.embeddings import embed_query
from syncer.lookup import QueryLookup, query_lookup
from syncer.retry import RetriesExhausted
from syncer.sources import SOURCES, Source
from syncer.store import CollectionBroken, CollectionStore, collection_broken, store_open

logger = logging.getLogger(__name__)

T = TypeVar("T")
MAX_LIMIT = 100
# Cited fusion (issue 15): a journey searched alone is ranked by reciprocal rank fusion
# (k = RRF_K) of its own rank among the CITED_OVERFETCH nearest journeys and the best rank,
# among the CITED_REFERENCES nearest knowledge references, of a reference its steps cite.
# A journey's text is long and mixed; the references it cites are short and on topic, so
# a question that misses the journey often finds what it cites. Measured on both quality
# sets (docs/search.md, "Journeys ranked with the references they cite").
RRF_K = 60
CITED_OVERFETCH = 30
CITED_REFERENCES = 20


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
        return _all_of(clauses)


def _all_of(clauses: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def search_documents(
    *, query: str, sources: list[Source], filters: SearchFilters, limit: int = 10
) -> list[dict[str, Any]]:
    """The rows the query names exactly, then the nearest documents across ``sources``;
    ``limit`` hits in all, each row once.

    Each hit is ``{"id", "type", "match", "distance", "document", "metadata"}``; ``match``
    is "exact" for a row the query names, "semantic" for the others.
    """
    if not query.strip():
        raise ValueError("the search query is empty")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    stores = [(source, store_open(source.collection_name, create=False)) for source in sources]
    if not any(_read(store, store.count) for _, store in stores):
        return []
    # One vector for every collection searched, so that their distances compare; encoded
    # for the source when there is one (syncer/embeddings/use.py, GENERIC_WEIGHTS).
    embedding = embed_query(query, source=sources[0].name if len(sources) == 1 else None)
    lookup = query_lookup(query)
    exact: list[dict[str, Any]] = []
    nearest: list[dict[str, Any]] = []
    for source, store in stores:
        where = filters.where(source)
        found_exact = _read(
            store,
            lambda store=store, where=where: _exact_hits(
                store, lookup, embedding=embedding, where=where, limit=limit
            ),
        )
        for found in found_exact:
            exact.append({"type": source.name, "match": "exact", **found})
        cites = source.cites if len(stores) == 1 and source.cited_ids else ""
        fetch = max(limit, CITED_OVERFETCH) if cites else limit
        found_nearest = _read(
            store,
            lambda store=store, where=where, fetch=fetch: store.query(
                embedding=embedding, where=where, limit=fetch
            ),
        )
        if cites:
            found_nearest = _cited_fusion(source, found_nearest, query=query)[:limit]
        for hit in found_nearest:
            nearest.append({"type": source.name, "match": "semantic", **hit})
    exact.sort(key=lambda hit: hit["distance"])
    if len(stores) > 1:  # one source's hits keep their order (nearest, or fused)
        nearest.sort(key=lambda hit: hit["distance"])
    hits: dict[tuple[str, str], dict[str, Any]] = {}
    for hit in [*exact, *nearest]:
        hits.setdefault((hit["type"], hit["id"]), hit)
    return list(hits.values())[:limit]


def _cited_fusion(
    source: Source, hits: list[dict[str, Any]], *, query: str
) -> list[dict[str, Any]]:
    """``hits`` (nearest first) re-ranked by reciprocal rank fusion of their own rank and
    the best rank of a row they cite among the query's nearest rows of ``source.cites``.
    Hits citing nothing found keep their own rank's share; ties keep the nearest first.
    When the cited source cannot be read, ``hits`` as they are (and a log line)."""
    cited_ranks = _cited_ranks(source.cites, query=query)
    if not cited_ranks or source.cited_ids is None:
        return hits
    cited_ids = source.cited_ids

    def score(ranked: tuple[int, dict[str, Any]]) -> float:
        rank, hit = ranked
        cited = [cited_ranks[i] for i in cited_ids(hit.get("metadata") or {}) if i in cited_ranks]
        return 1.0 / (RRF_K + rank) + (1.0 / (RRF_K + min(cited)) if cited else 0.0)

    return [hit for _, hit in sorted(enumerate(hits, start=1), key=score, reverse=True)]


def _cited_ranks(name: str, *, query: str) -> dict[str, int]:
    """Rank (from 1) of each of the query's CITED_REFERENCES nearest rows of source
    ``name``, by id; {} when that collection is missing, broken or out of reach."""
    cited = SOURCES[name]
    try:
        store = store_open(cited.collection_name, create=False)
        embedding = embed_query(query, source=cited.name)
        hits = _read(
            store,
            lambda: store.query(
                embedding=embedding, where=None, limit=CITED_REFERENCES, content=False
            ),
        )
    except (StoreError, RetriesExhausted) as exc:
        logger.warning("search: ranking without the %s it cites: %s", cited.name, exc)
        return {}
    return {hit["id"]: rank for rank, hit in enumerate(hits, start=1)}


def _read(store: CollectionStore, read: Callable[[], T]) -> T:
    """``read()``; a collection failing in Chroma itself is CollectionBroken, naming it."""
    try:
        return read()
    except Exception as exc:
        if collection_broken(exc):
            raise CollectionBroken(store.name, exc) from exc
        raise


def _exact_hits(
    store: Any,
    lookup: QueryLookup,
    *,
    embedding: Any,
    where: dict[str, Any] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """The rows of ``store`` that ``lookup`` names and ``where`` keeps, nearest first."""
    found: list[dict[str, Any]] = []
    named = lookup.where()
    if named:
        found += store.query(
            embedding=embedding, where=_all_of([named, *_listed(where)]), limit=limit
        )
    phrase = lookup.where_document()
    if phrase:
        found += store.query(embedding=embedding, where=where, where_document=phrase, limit=limit)
    return found


def _listed(where: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not where:
        return []
    return list(where["$and"]) if "$and" in where else [where]
