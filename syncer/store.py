"""Chroma collections: open, create, read and write, drop, and the ``--rebuild`` swap.

Collections use cosine distance and record the embedding model that built them; opening
one built by another model is an error that tells the operator to rebuild. Writes are
chunked under the server's max batch size, reads are paginated (Chroma fails on ``get``
of more than ~32k ids or rows at once). The client they are reached through, its
timeouts and its reopening when stale, is ``syncer.chroma_client``'s.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chromadb.api.models.Collection import Collection
from chromadb.errors import InternalError, NotFoundError
from django.conf import settings

from syncer.chroma_client import (
    ChromaDiskFull,
    ChromaUnavailable,
    StoreError,
    chroma_client,
    chroma_location,
    chroma_reset,
    chroma_retry,
    chroma_writing,
)
from syncer.embeddings import HalasyncEmbeddingFunction, configured_model, embedding_backend
from syncer.retry import error_line, payload_too_large

logger = logging.getLogger(__name__)

MODEL_KEY = "embedding_model"
DIMENSION_KEY = "embedding_dimension"
# How every collection halasync builds measures distance (search compares distances).
DISTANCE_SPACE = "cosine"
RUNTIME_KEY = "embedding_runtime"  # informational: torch and fp32 ONNX give the same vectors
# fp32 or int8: int8 vectors differ from fp32 ones (cosine ~0.99), so the precision is part
# of a collection's model identity, like the model name and the dimension.
PRECISION_KEY = "embedding_precision"
# Where MiniLM cut the texts it embedded (tokens): a document cut elsewhere has another
# vector, so this is part of the model identity too. Collections from before it was
# recorded were all cut at MiniLM's own 256.
MAX_TOKENS_KEY = "embedding_max_tokens"
UNRECORDED_MAX_TOKENS = 256
# Collection metadata of a rebuilt collection whose build ran to its end
# (``collection_mark_complete``).
BUILD_COMPLETE_KEY = "build_complete"
READ_PAGE_SIZE = 5_000
# Chroma keeps each write in its log until it persists the vector index, every
# ``sync_threshold`` records (Chroma's default: 1,000), and every write pays for the
# records still in the log. With 100 a one-record upsert is several times faster, while
# bulk upserts and queries cost the same (docs/performance.md, "Chroma sync_threshold";
# bench/experiments/chroma_sync_threshold.py).
SYNC_THRESHOLD = 100
CHROMA_DEFAULT_SYNC_THRESHOLD = 1_000


class EmbeddingModelMismatch(StoreError):
    pass


class CollectionMissing(StoreError):
    pass


class CollectionBroken(StoreError):
    """A collection that fails every read (Chroma could not apply its own log: e.g. a
    record with more than 5,461 list items written by something else than halasync).
    Names the collection and the fix, never where Chroma is."""

    def __init__(self, name: str, exc: BaseException) -> None:
        self.collection = name
        super().__init__(
            f"Chroma collection {name!r} cannot be read ({error_line(exc)}); rebuild it "
            "with `manage.py sync full --rebuild`"
        )


def collection_broken(exc: BaseException) -> bool:
    """Whether ``exc`` is a collection failing in Chroma itself (InternalError), as
    opposed to Chroma being out of reach or the request being wrong."""
    return isinstance(exc, InternalError)


def _open(name: str, *, create: bool, missing_is_error: bool = False) -> Collection:
    return chroma_retry(
        lambda: _open_once(name, create=create, missing_is_error=missing_is_error),
        what=f"opening Chroma collection {name!r}",
    )


def _open_once(name: str, *, create: bool, missing_is_error: bool = False) -> Collection:
    """``missing_is_error``: a missing collection raises CollectionMissing even with
    ``create`` (which then only applies the writer's settings to an existing one)."""
    client = chroma_client()
    model = configured_model()
    backend = embedding_backend(model)  # an unknown EMBEDDING_MODEL fails here, clearly
    embedding_function = HalasyncEmbeddingFunction(model=model)
    try:
        collection = client.get_collection(name, embedding_function=embedding_function)
    except NotFoundError:
        if not create or missing_is_error:
            raise CollectionMissing(
                f"Chroma collection {name!r} does not exist in {chroma_location()}; "
                "run `manage.py sync full` to build it."
            ) from None
        collection = client.get_or_create_collection(
            name,
            embedding_function=embedding_function,
            configuration={"hnsw": {"space": DISTANCE_SPACE, "sync_threshold": SYNC_THRESHOLD}},
            metadata=_backend_metadata(backend.describe()),
        )
    except ValueError as exc:
        # Chroma compares the function's config with the one the collection recorded.
        if "embedding" not in str(exc).lower():
            raise
        raise EmbeddingModelMismatch(
            f"Chroma collection {name!r} was built with another embedding model than "
            f"EMBEDDING_MODEL={model!r} ({exc}). Vectors from different models cannot be "
            "mixed: run `manage.py sync full --rebuild`."
        ) from None
    _model_check(name, collection.metadata or {}, backend.describe())
    _vector_dimension_check(name, collection, backend.describe())
    _distance_check(name, collection)
    if create and chroma_writing():
        _sync_threshold_apply(collection)
    return collection


def _backend_metadata(described: Mapping[str, Any]) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        MODEL_KEY: described["model"],
        DIMENSION_KEY: int(described["dimension"]),
    }
    if described.get("runtime"):
        metadata[RUNTIME_KEY] = described["runtime"]
    if described.get("precision"):
        metadata[PRECISION_KEY] = described["precision"]
    if described.get("max_tokens"):
        metadata[MAX_TOKENS_KEY] = int(described["max_tokens"])
    return metadata


def _recorded_precision(recorded: Mapping[str, Any]) -> str | None:
    """The precision a collection was built with. Collections from before the setting
    recorded none: built by ONNX they were int8 (its only precision then), by torch fp32."""
    if recorded.get(PRECISION_KEY):
        return str(recorded[PRECISION_KEY])
    runtime = recorded.get(RUNTIME_KEY)
    if runtime == "onnx":
        return "int8"
    return "fp32" if runtime == "torch" else None


def _recorded_max_tokens(recorded: Mapping[str, Any]) -> int | None:
    """Where the collection's MiniLM cut texts: recorded, or 256 for a collection of a
    backend with MiniLM from before the record (None for backends without MiniLM)."""
    if recorded.get(MAX_TOKENS_KEY):
        return int(recorded[MAX_TOKENS_KEY])
    return UNRECORDED_MAX_TOKENS if recorded.get(RUNTIME_KEY) else None


def model_identity(described: Mapping[str, Any], *, window: bool = False) -> str:
    """The model, with its precision when it has one (and, with ``window``, where MiniLM
    cuts texts): what must match to share vectors."""
    details = [str(described["precision"])] if described.get("precision") else []
    if window and described.get("max_tokens"):
        details.append(f"{described['max_tokens']} tokens")
    model = str(described["model"])
    return f"{model} ({', '.join(details)})" if details else model


def _model_check(name: str, recorded: Mapping[str, Any], described: Mapping[str, Any]) -> None:
    """EmbeddingModelMismatch unless the collection was built by the configured backend
    (same model name; same dimension when recorded: older collections recorded none)."""
    model, dimension = described["model"], int(described["dimension"])
    precision = described.get("precision")
    max_tokens = described.get("max_tokens")
    built_with = recorded.get(MODEL_KEY)
    built_dimension = recorded.get(DIMENSION_KEY)
    built_precision = _recorded_precision(recorded)
    built_max_tokens = _recorded_max_tokens(recorded)
    if (
        built_with == model
        and built_dimension in (None, dimension)
        and (precision is None or built_precision in (None, precision))
        and (max_tokens is None or built_max_tokens in (None, int(max_tokens)))
    ):
        return
    # The token window is named only when it is what differs.
    window = max_tokens is not None and built_max_tokens not in (None, int(max_tokens))
    built = repr(
        model_identity(
            {
                "model": built_with or "unknown",
                "precision": built_precision,
                "max_tokens": built_max_tokens,
            },
            window=window,
        )
    )
    if built_dimension is not None:
        built += f" ({built_dimension} dimensions)"
    raise EmbeddingModelMismatch(
        f"Chroma collection {name!r} was built with embedding model {built}, but "
        f"the configured one is {model_identity(described, window=window)!r} ({dimension} dimensions; "
        "EMBEDDING_MODEL, EMBEDDING_ONNX_PRECISION). Vectors from different models cannot "
        "be mixed: run `manage.py sync full --rebuild`."
    )


def _vector_dimension_check(
    name: str, collection: Collection, described: Mapping[str, Any]
) -> None:
    """EmbeddingModelMismatch when the vectors the collection holds are not as long as the
    configured model's. The recorded metadata can say the right model while the vectors
    are not its own (a collection recreated or filled by another program): text and
    metadata then compare equal, so verify called it clean, and every write failed as a
    record error. Chroma keeps the length of the first vector written (None before)."""
    held = getattr(getattr(collection, "_model", None), "dimension", None)
    dimension = int(described["dimension"])
    if held is None or int(held) == dimension:
        return
    raise EmbeddingModelMismatch(
        f"Chroma collection {name!r} holds vectors of {int(held)} dimensions, but the "
        f"configured embedding model {model_identity(described)!r} gives {dimension} "
        "(EMBEDDING_MODEL): they were not written by this model. Vectors from different "
        "models cannot be mixed: run `manage.py sync full --rebuild`."
    )


def _distance_check(name: str, collection: Collection) -> None:
    """EmbeddingModelMismatch when the collection does not measure cosine distance (one
    recreated by hand: Chroma's default is l2). Its documents may all be right, but its
    distances do not compare with the other collection's nor mean what search expects."""
    hnsw = (collection.configuration_json or {}).get("hnsw") or {}
    space = hnsw.get("space")
    if space in (None, DISTANCE_SPACE):
        return
    raise EmbeddingModelMismatch(
        f"Chroma collection {name!r} measures {space!r} distance, not {DISTANCE_SPACE!r} "
        "as halasync builds its collections (it was created by something else): its "
        "search distances are wrong. Run `manage.py sync full --rebuild`."
    )


def _sync_threshold_apply(collection: Collection) -> None:
    """Give a collection still at Chroma's default threshold (made by an older halasync,
    or by hand without one) SYNC_THRESHOLD; a threshold someone chose is left alone. Only
    a writer does this: it holds the sync lock, so no other process writes meanwhile."""
    hnsw = (collection.configuration_json or {}).get("hnsw") or {}
    current = hnsw.get("sync_threshold")
    if current != CHROMA_DEFAULT_SYNC_THRESHOLD:
        return
    try:
        collection.modify(configuration={"hnsw": {"sync_threshold": SYNC_THRESHOLD}})
    except Exception as exc:  # a speed-up: never worth failing the sync for
        logger.warning(
            "Chroma collection %r: could not lower sync_threshold to %d (%s); syncing with %s",
            collection.name,
            SYNC_THRESHOLD,
            error_line(exc),
            current,
        )
        return
    logger.info(
        "Chroma collection %r: sync_threshold %s -> %d (cheaper small writes once Chroma "
        "loads the collection again: restart a Chroma server to apply it now)",
        collection.name,
        current,
        SYNC_THRESHOLD,
    )


@dataclass
class CollectionStore:
    """The operations the sync services need on one collection.

    Every call is retried while a Chroma server is unreachable (``syncer.retry``); writes
    are chunked under the server's max batch size, and a chunk the server refuses as too
    large is split in halves until it passes.
    """

    collection: Collection
    # store_open made the collection just now (it was missing and no cut-short rebuild
    # swap could put one in its place): it holds nothing yet.
    created: bool = False

    @property
    def name(self) -> str:
        return self.collection.name

    def _call(self, what: str, operation: Callable[[], Any]) -> Any:
        return chroma_retry(operation, what=f"Chroma {what} on {self.name!r}")

    def _max_batch(self) -> int:
        return int(self._call("max batch size", lambda: chroma_client().get_max_batch_size()))

    def _write(self, what: str, write: Callable[..., None], columns: dict[str, list[Any]]) -> None:
        """``write(**columns)`` in chunks of at most the max batch size."""
        disk_room_check()
        total = len(columns["ids"])
        step = self._max_batch()
        for start in range(0, total, step):
            chunk = {name: values[start : start + step] for name, values in columns.items()}
            self._write_chunk(what, write, chunk)

    def _write_chunk(
        self, what: str, write: Callable[..., None], chunk: dict[str, list[Any]]
    ) -> None:
        try:
            self._call(what, lambda: write(**chunk))
        except Exception as exc:
            if not payload_too_large(exc):
                raise
            size = len(chunk["ids"])
            if size == 1:
                raise ValueError(
                    f"document {chunk['ids'][0]!r} is too large for the Chroma server "
                    "(HTTP 413 Payload Too Large)"
                ) from exc
            half = size // 2
            logger.info(
                "Chroma server refused a %s of %d documents as too large: sending halves",
                what,
                size,
            )
            self._write_chunk(what, write, {k: v[:half] for k, v in chunk.items()})
            self._write_chunk(what, write, {k: v[half:] for k, v in chunk.items()})

    def count(self) -> int:
        return int(self._call("count", self.collection.count))

    def _get(self, ids: list[str], include: list[str]) -> Iterator[dict[str, Any]]:
        """``collection.get`` of ``ids`` in pages; a page the server refuses as too large
        (HTTP 413: long ids) is asked for in halves until it passes."""
        for chunk in _chunks(ids, READ_PAGE_SIZE):
            yield from self._get_chunk(chunk, include)

    def _get_chunk(self, ids: list[str], include: list[str]) -> Iterator[dict[str, Any]]:
        try:
            yield self._call(
                "get",
                lambda: self.collection.get(ids=ids, include=include),
            )
        except Exception as exc:
            if not payload_too_large(exc) or len(ids) == 1:
                raise
            logger.info("Chroma server refused a get of %d ids as too large: halves", len(ids))
            half = len(ids) // 2
            yield from self._get_chunk(ids[:half], include)
            yield from self._get_chunk(ids[half:], include)

    def metadatas(self, ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        """Stored metadata by id for those of ``ids`` that exist (unknown ids are absent)."""
        found: dict[str, Mapping[str, Any]] = {}
        for result in self._get(list(ids), ["metadatas"]):
            for doc_id, metadata in zip(result["ids"], result["metadatas"] or [], strict=False):
                found[doc_id] = metadata or {}
        return found

    def records(self, ids: Sequence[str]) -> dict[str, tuple[str | None, Mapping[str, Any]]]:
        """Stored (document text, metadata) by id."""
        found: dict[str, tuple[str | None, Mapping[str, Any]]] = {}
        for result in self._get(list(ids), ["documents", "metadatas"]):
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
            page = self._call(
                "get ids",
                lambda offset=offset: self.collection.get(
                    include=[], limit=page_size, offset=offset
                )["ids"],
            )
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
        """Add new documents, whose metadata then reads back exactly as sent. Retrying an
        add whose answer was lost is harmless: Chroma ignores the ids it already has.

        Chroma 1.5 can give a new record list values it was not sent, left behind by a
        dropped collection (``collection_drop``): what was written is read back, and keys
        that were not sent are removed. A record that still differs raises ValueError.
        """
        self._write(
            "add",
            self.collection.add,
            {
                "ids": list(ids),
                "embeddings": list(embeddings),
                "documents": list(documents),
                "metadatas": [dict(m) for m in metadatas],
            },
        )
        self._metadata_as_sent(
            {
                doc_id: {key: value for key, value in metadata.items() if value is not None}
                for doc_id, metadata in zip(ids, metadatas, strict=True)
            }
        )

    def _metadata_as_sent(self, sent: Mapping[str, Mapping[str, Any]]) -> None:
        """Remove what Chroma added to the metadata of just-added records (see ``add``)."""
        inherited = {
            doc_id: sorted(set(stored) - set(sent[doc_id]))
            for doc_id, stored in self.metadatas(list(sent)).items()
            if stored != sent[doc_id]
        }
        if not inherited:
            return
        logger.warning(
            "Chroma %r gave %d new document(s) metadata they were not sent (%s), left "
            "behind by a dropped collection: removing it",
            self.name,
            len(inherited),
            ", ".join(sorted({key for keys in inherited.values() for key in keys})) or "-",
        )
        # Sending a key as None deletes whatever Chroma holds under it, list items too.
        self.update_metadatas(
            ids=list(inherited),
            metadatas=[
                {**sent[doc_id], **dict.fromkeys(keys)} for doc_id, keys in inherited.items()
            ],
        )
        still = [
            doc_id
            for doc_id, stored in self.metadatas(list(inherited)).items()
            if stored != sent[doc_id]
        ]
        if still:
            raise ValueError(
                f"Chroma keeps metadata that was not sent for {len(still)} new document(s) "
                f"({', '.join(map(repr, still[:5]))}); run `manage.py sync verify --repair`"
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
        self._write(
            "upsert",
            self.collection.upsert,
            {
                "ids": list(ids),
                "embeddings": list(embeddings),
                "documents": list(documents),
                "metadatas": [dict(m) for m in metadatas],
            },
        )

    def update_metadatas(
        self, *, ids: Sequence[str], metadatas: Sequence[Mapping[str, Any]]
    ) -> None:
        """Metadata-only update (no embedding). Send None for a key to remove it."""
        self._write(
            "update",
            self.collection.update,
            {"ids": list(ids), "metadatas": [dict(m) for m in metadatas]},
        )

    def delete(self, ids: Sequence[str]) -> None:
        self._write("delete", self.collection.delete, {"ids": list(ids)})

    def empty(self) -> None:
        """Delete every document, a page at a time (before dropping the collection)."""
        deleted: list[str] = []
        while page := self._call(
            "get ids",
            lambda: self.collection.get(include=[], limit=READ_PAGE_SIZE)["ids"],
        ):
            if page == deleted:  # never loop forever on a delete Chroma did not apply
                raise StoreError(f"Chroma did not delete documents of {self.name!r}")
            self.delete(page)
            deleted = page

    def query(
        self,
        *,
        embedding: Sequence[float],
        where: Mapping[str, Any] | None,
        limit: int,
        where_document: Mapping[str, Any] | None = None,
        content: bool = True,
    ) -> list[dict[str, Any]]:
        """The ``limit`` nearest records, nearest first: ``{"id", "distance", "document",
        "metadata"}``; with ``content=False`` only ids and distances are read (document
        None, metadata {})."""
        include = ["documents", "metadatas", "distances"] if content else ["distances"]

        def query() -> Any:
            return self._call(
                "query",
                lambda: self.collection.query(
                    query_embeddings=[list(embedding)],
                    n_results=limit,
                    where=dict(where) if where else None,
                    where_document=dict(where_document) if where_document else None,
                    include=include,
                ),
            )

        try:
            result = query()
        except InternalError as exc:
            if not _vectors_written_elsewhere(exc):
                raise
            # Embedded Chroma opened here while the collection had no vectors, then
            # another process wrote some: reopen now rather than at the next stale check.
            logger.info("Chroma %r changed under this process (%s): reopening", self.name, exc)
            chroma_reset()
            self.collection = _open(self.name, create=False)
            result = query()
        ids = result["ids"][0]
        hits = zip(
            ids,
            result["distances"][0],
            (result.get("documents") or [None])[0] or [None] * len(ids),
            (result.get("metadatas") or [None])[0] or [None] * len(ids),
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


def disk_room_check() -> None:
    """ChromaDiskFull when embedded Chroma's disk has less free space than
    CHROMA_MIN_FREE_MB. A Chroma whose disk filled mid-write stopped answering, and the
    sync waited for it for good, holding its lock (an embedded call cannot be
    interrupted): refusing to write first ends the run with a reason instead."""
    floor_mb = int(settings.CHROMA_MIN_FREE_MB)
    if settings.CHROMA_HOST or floor_mb <= 0:
        return
    try:
        free = shutil.disk_usage(settings.CHROMA_PATH).free
    except OSError:
        return  # a directory that cannot be opened is reported when it is opened
    if free < floor_mb * 1024 * 1024:
        logger.error(
            "the disk holding CHROMA_PATH %s has %d MB free (CHROMA_MIN_FREE_MB=%d)",
            settings.CHROMA_PATH,
            free // (1024 * 1024),
            floor_mb,
        )
        raise ChromaDiskFull(
            f"the disk holding CHROMA_PATH has {free // (1024 * 1024)} MB free, less than "
            f"CHROMA_MIN_FREE_MB={floor_mb}: halasync writes nothing to embedded Chroma "
            "until there is room (a Chroma whose disk fills stops answering). Free space "
            "on that disk or move CHROMA_PATH, then run the sync again."
        )


def _vectors_written_elsewhere(exc: Exception) -> bool:
    """Chroma 1.5's error for a vector query through an embedded client that opened the
    collection before another process wrote its first vectors."""
    return not settings.CHROMA_HOST and "Nothing found on disk" in str(exc)


def store_open(name: str, *, create: bool = True) -> CollectionStore:
    """The collection called ``name``, created (cosine, model recorded) when missing.

    Before creating it, a ``--rebuild`` cut short before its complete collection was in
    place is finished (``collection_swap_resume``): the rebuilt collection takes its place
    instead of a new, empty one that later syncs would take for complete. Only writers (holding the sync
    lock) pass ``create=True``. ``CollectionStore.created`` says whether it was created.
    """
    if not create:
        return CollectionStore(_open(name, create=False))
    try:
        return CollectionStore(_open(name, create=True, missing_is_error=True))
    except CollectionMissing:
        pass
    resumed = collection_swap_resume(name)
    if resumed:
        logger.warning(
            "renamed collection %r to %r: the `--rebuild` that built it was cut short "
            "before putting it in place",
            resumed,
            name,
        )
    return CollectionStore(_open(name, create=True), created=resumed is None)


def collection_names() -> list[str]:
    collections = chroma_retry(
        lambda: chroma_client().list_collections(), what="listing Chroma collections"
    )
    return [c.name if hasattr(c, "name") else str(c) for c in collections]


def collection_drop(name: str) -> None:
    """Drop collection ``name`` (nothing happens when it does not exist), emptied first.

    Chroma 1.5 drops a collection without its list metadata, and records added later
    (to any collection) can inherit it; deleting the records first removes it
    (bench/experiments/chroma_dropped_lists.py). A drop cut short leaves the collection,
    emptied or not, to be dropped again (``collection_leftovers``).
    """

    def open_existing() -> Collection | None:
        try:
            return chroma_client().get_collection(name)
        except NotFoundError:
            return None

    collection = chroma_retry(open_existing, what=f"opening Chroma collection {name!r}")
    if collection is not None:
        try:
            CollectionStore(collection).empty()
        except ChromaUnavailable:
            raise
        except Exception as exc:
            # A broken collection fails every read and write: it cannot be emptied, and
            # dropping it is all that can be done (its list metadata may stay behind;
            # ``CollectionStore.add`` checks new records for that).
            logger.warning(
                "could not empty Chroma collection %r before dropping it (%s): dropping it",
                name,
                error_line(exc),
            )

    def drop() -> None:
        try:
            chroma_client().delete_collection(name)
        except NotFoundError:
            pass

    chroma_retry(drop, what=f"dropping Chroma collection {name!r}")


def rebuild_collection_name(target: str, run_id: int | None) -> str:
    """Where a ``--rebuild`` of run ``run_id`` builds the fresh copy of ``target``."""
    return f"{target}-rebuild-{run_id}"


def _retired_collection_name(target: str, suffix: str) -> str:
    return f"{target}-retired-{suffix}"


def _leftover_pattern(target: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(target)}-(?P<kind>rebuild|retired)-(?P<run>[0-9]+)")


def collection_leftovers(target: str, names: Iterable[str] | None = None) -> list[str]:
    """Collections left by a rebuild of ``target`` that did not finish (killed before it
    could drop them): ``<target>-rebuild-<run>`` and ``<target>-retired-<run>``. Only
    these exact patterns of halasync's own names: nothing else is ever listed. ``names``:
    the collections, when the caller has just listed them."""
    pattern = _leftover_pattern(target)
    names = collection_names() if names is None else names
    return sorted(name for name in names if pattern.fullmatch(name))


def collection_mark_complete(name: str) -> None:
    """Record in the metadata of the rebuilt collection ``name`` that its build is
    complete. Set after its last write and before it is renamed into place: a rebuild
    killed in between leaves a collection that can be told from an unfinished build
    (``collection_rebuild_complete``) and put in place instead of rebuilt."""

    def mark() -> None:
        collection = chroma_client().get_collection(name)
        # Chroma replaces a collection's metadata: the embedding model is sent again.
        collection.modify(metadata={**(collection.metadata or {}), BUILD_COMPLETE_KEY: True})

    chroma_retry(mark, what=f"marking Chroma collection {name!r} complete")


def collection_rebuild_complete(name: str) -> bool:
    """Whether the rebuilt collection ``name`` exists and was marked complete
    (``collection_mark_complete``)."""

    def complete() -> bool:
        try:
            collection = chroma_client().get_collection(name)
        except NotFoundError:
            return False
        return (collection.metadata or {}).get(BUILD_COMPLETE_KEY) is True

    return chroma_retry(complete, what=f"reading Chroma collection {name!r}")


def collection_rebuilds_complete(target: str, names: Iterable[str] | None = None) -> list[str]:
    """The collections ``<target>-rebuild-<run>`` whose build ran to its end, the latest
    first: marked complete (``collection_mark_complete``), or with their
    ``<target>-retired-<run>`` beside them (killed between the two renames by a halasync
    that did not mark builds yet). The other ``-rebuild-`` collections are unfinished."""
    names = set(collection_names() if names is None else names)
    matches = list(filter(None, map(_leftover_pattern(target).fullmatch, names)))
    retired_runs = {int(m["run"]) for m in matches if m["kind"] == "retired"}
    rebuild_runs = sorted((int(m["run"]) for m in matches if m["kind"] == "rebuild"), reverse=True)
    complete: list[str] = []
    for run_id in rebuild_runs:
        fresh = rebuild_collection_name(target, run_id)
        if run_id in retired_runs or collection_rebuild_complete(fresh):
            complete.append(fresh)
    return complete


def collection_swap_pending(target: str, names: Iterable[str] | None = None) -> str | None:
    """The complete rebuilt collection waiting to replace ``target`` when a ``--rebuild``
    was cut short before its collection was in place (``target`` gone, killed before or
    between the two renames): the latest of ``collection_rebuilds_complete``. None when
    ``target`` exists or no rebuild is complete: an unfinished build is never put in
    place."""
    names = set(collection_names() if names is None else names)
    if target in names:
        return None
    complete = collection_rebuilds_complete(target, names)
    return complete[0] if complete else None


def collection_swap_resume(target: str, names: Iterable[str] | None = None) -> str | None:
    """Finish a swap of ``target`` cut short before the rebuilt collection was in place
    (``collection_swap_pending``): the rebuilt collection takes its place. Returns its old
    name, or None (nothing to do). The caller holds the source's sync lock."""
    fresh = collection_swap_pending(target, names)
    if fresh is not None:
        chroma_retry(
            lambda: chroma_client().get_collection(fresh).modify(name=target),
            what=f"renaming Chroma collection {fresh!r} to {target!r}",
        )
    return fresh


def collection_swap(*, fresh: str, target: str, suffix: str) -> None:
    """Put collection ``fresh`` in place of ``target`` and drop the old one.

    Chroma's rename is not atomic and handles opened before keep reading the old
    collection, so callers look collections up by name again afterwards.
    """
    client = chroma_client()
    retired = _retired_collection_name(target, suffix)
    try:
        client.get_collection(target).modify(name=retired)
    except NotFoundError:
        retired = ""
    client.get_collection(fresh).modify(name=target)
    if retired:
        collection_drop(retired)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
