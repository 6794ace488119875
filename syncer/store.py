"""All access to Chroma goes through this module.

One client per process, built from settings: embedded (``PersistentClient`` at
``CHROMA_PATH``) or a Chroma server (``HttpClient``) when ``CHROMA_HOST`` is set.
Collections use cosine distance and record the embedding model that built them; opening
one built by another model is an error that tells the operator to rebuild. Writes are
chunked under the server's max batch size, reads are paginated (Chroma fails on ``get``
of more than ~32k ids or rows at once).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.client import SharedSystemClient
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from django.conf import settings

from syncer.embeddings import HalasyncEmbeddingFunction, configured_model

logger = logging.getLogger(__name__)

MODEL_KEY = "embedding_model"
READ_PAGE_SIZE = 5_000

_client_lock = threading.Lock()
_client: tuple[tuple[Any, ...], ClientAPI] | None = None


class StoreError(RuntimeError):
    """Chroma cannot be used as configured; the message says what to do."""


class EmbeddingModelMismatch(StoreError):
    pass


class CollectionMissing(StoreError):
    pass


def _client_key() -> tuple[Any, ...]:
    if settings.CHROMA_HOST:
        return ("http", settings.CHROMA_HOST, int(settings.CHROMA_PORT))
    return ("embedded", str(settings.CHROMA_PATH))


def chroma_client() -> ClientAPI:
    """The process's Chroma client for the current settings (built once, then reused)."""
    global _client
    key = _client_key()
    with _client_lock:
        if _client is None or _client[0] != key:
            chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            if key[0] == "http":
                client = chromadb.HttpClient(host=key[1], port=key[2], settings=chroma_settings)
            else:
                client = chromadb.PersistentClient(path=key[1], settings=chroma_settings)
            _client = (key, client)
        return _client[1]


def chroma_reset() -> None:
    """Forget the client (and embedded Chroma's per-path cache); the next call reopens."""
    global _client
    with _client_lock:
        _client = None
        SharedSystemClient.clear_system_cache()


def chroma_location() -> str:
    """Where Chroma is, for messages (no secrets in it)."""
    key = _client_key()
    return f"server {key[1]}:{key[2]}" if key[0] == "http" else f"directory {key[1]}"


def _open(name: str, *, create: bool) -> Collection:
    client = chroma_client()
    model = configured_model()
    embedding_function = HalasyncEmbeddingFunction(model=model)
    try:
        collection = client.get_collection(name, embedding_function=embedding_function)
    except NotFoundError:
        if not create:
            raise CollectionMissing(
                f"Chroma collection {name!r} does not exist in {chroma_location()}; "
                "run `manage.py sync full` to build it."
            ) from None
        collection = client.get_or_create_collection(
            name,
            embedding_function=embedding_function,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={MODEL_KEY: model},
        )
    built_with = (collection.metadata or {}).get(MODEL_KEY)
    if built_with != model:
        raise EmbeddingModelMismatch(
            f"Chroma collection {name!r} was built with embedding model "
            f"{built_with or 'unknown'!r}, but EMBEDDING_MODEL is {model!r}. Vectors from "
            "different models cannot be mixed: run `manage.py sync full --rebuild`."
        )
    return collection


@dataclass
class CollectionStore:
    """The operations the sync services need on one collection."""

    collection: Collection

    @property
    def name(self) -> str:
        return self.collection.name

    def _max_batch(self) -> int:
        return int(chroma_client().get_max_batch_size())

    def count(self) -> int:
        return int(self.collection.count())

    def metadatas(self, ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        """Stored metadata by id for those of ``ids`` that exist (unknown ids are absent)."""
        found: dict[str, Mapping[str, Any]] = {}
        for chunk in _chunks(list(ids), READ_PAGE_SIZE):
            result = self.collection.get(ids=chunk, include=["metadatas"])
            for doc_id, metadata in zip(result["ids"], result["metadatas"] or [], strict=False):
                found[doc_id] = metadata or {}
        return found

    def records(self, ids: Sequence[str]) -> dict[str, tuple[str | None, Mapping[str, Any]]]:
        """Stored (document text, metadata) by id."""
        found: dict[str, tuple[str | None, Mapping[str, Any]]] = {}
        for chunk in _chunks(list(ids), READ_PAGE_SIZE):
            result = self.collection.get(ids=chunk, include=["documents", "metadatas"])
            rows = zip(
                result["ids"], result["documents"] or [], result["metadatas"] or [], strict=False
            )
            for doc_id, text, metadata in rows:
                found[doc_id] = (text, metadata or {})
        return found

    def iter_ids(self, *, page_size: int = READ_PAGE_SIZE) -> Iterator[list[str]]:
        """Every id in the collection, a page at a time."""
        offset = 0
        while True:
            page = self.collection.get(include=[], limit=page_size, offset=offset)["ids"]
            if not page:
                return
            yield list(page)
            if len(page) < page_size:
                return
            offset += len(page)

    def add(
        self,
        *,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        documents: Sequence[str],
        metadatas: Sequence[Mapping[str, Any]],
    ) -> None:
        step = self._max_batch()
        for start in range(0, len(ids), step):
            end = start + step
            self.collection.add(
                ids=list(ids[start:end]),
                embeddings=list(embeddings[start:end]),
                documents=list(documents[start:end]),
                metadatas=[dict(m) for m in metadatas[start:end]],
            )

    def upsert(
        self,
        *,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        documents: Sequence[str],
        metadatas: Sequence[Mapping[str, Any]],
    ) -> None:
        """Replace existing documents. Metadata merges in Chroma: send None to drop a key."""
        step = self._max_batch()
        for start in range(0, len(ids), step):
            end = start + step
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=list(embeddings[start:end]),
                documents=list(documents[start:end]),
                metadatas=[dict(m) for m in metadatas[start:end]],
            )

    def update_metadatas(
        self, *, ids: Sequence[str], metadatas: Sequence[Mapping[str, Any]]
    ) -> None:
        """Metadata-only update (no embedding). Send None for a key to remove it."""
        step = self._max_batch()
        for start in range(0, len(ids), step):
            end = start + step
            self.collection.update(
                ids=list(ids[start:end]), metadatas=[dict(m) for m in metadatas[start:end]]
            )

    def delete(self, ids: Sequence[str]) -> None:
        step = self._max_batch()
        for chunk in _chunks(list(ids), step):
            self.collection.delete(ids=chunk)

    def query(
        self, *, embedding: Sequence[float], where: Mapping[str, Any] | None, limit: int
    ) -> list[dict[str, Any]]:
        result = self.collection.query(
            query_embeddings=[list(embedding)],
            n_results=limit,
            where=dict(where) if where else None,
            include=["documents", "metadatas", "distances"],
        )
        hits = zip(
            result["ids"][0],
            result["distances"][0],
            result["documents"][0],
            result["metadatas"][0],
            strict=False,
        )
        return [
            {
                "id": doc_id,
                "distance": float(distance),
                "document": text,
                "metadata": metadata or {},
            }
            for doc_id, distance, text, metadata in hits
        ]


def store_open(name: str, *, create: bool = True) -> CollectionStore:
    """The collection called ``name``, created (cosine, model recorded) when missing."""
    return CollectionStore(_open(name, create=create))


def collection_names() -> list[str]:
    return [c.name if hasattr(c, "name") else str(c) for c in chroma_client().list_collections()]


def collection_drop(name: str) -> None:
    try:
        chroma_client().delete_collection(name)
    except NotFoundError:
        pass


def collection_swap(*, fresh: str, target: str, suffix: str) -> None:
    """Put collection ``fresh`` in place of ``target`` and drop the old one.

    Chroma's rename is not atomic and handles opened before keep reading the old
    collection, so callers look collections up by name again afterwards.
    """
    client = chroma_client()
    retired = f"{target}-retired-{suffix}"
    try:
        client.get_collection(target).modify(name=retired)
    except NotFoundError:
        retired = ""
    client.get_collection(fresh).modify(name=target)
    if retired:
        client.delete_collection(retired)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
