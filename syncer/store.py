"""All access to Chroma goes through this module.

One client per process, built from settings: embedded (``PersistentClient`` at
``CHROMA_PATH``) or a Chroma server (``HttpClient``) when ``CHROMA_HOST`` is set, whose
every request times out after CHROMA_TIMEOUT_SECONDS (``syncer.chroma_http``). A server
that cannot be reached, or does not answer in time, is ``ChromaUnavailable`` (after the
retries, within a sync).
Collections use cosine distance and record the embedding model that built them; opening
one built by another model is an error that tells the operator to rebuild. Writes are
chunked under the server's max batch size, reads are paginated (Chroma fails on ``get``
of more than ~32k ids or rows at once).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.client import SharedSystemClient
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import InternalError, NotFoundError
from django.conf import settings

from syncer import chroma_slots, retry
from syncer.chroma_http import http_client
from syncer.embeddings import HalasyncEmbeddingFunction, configured_model
from syncer.retry import error_line, payload_too_large

logger = logging.getLogger(__name__)

T = TypeVar("T")

MODEL_KEY = "embedding_model"
# Collection metadata of a rebuilt collection whose build ran to its end
# (``collection_mark_complete``).
BUILD_COMPLETE_KEY = "build_complete"
READ_PAGE_SIZE = 5_000
# How often (at most) a process reading embedded Chroma asks PostgreSQL whether another
# process wrote since it opened its client.
STALE_CHECK_SECONDS = 1.0
# Chroma keeps each write in its log until it persists the vector index, every
# ``sync_threshold`` records (Chroma's default: 1,000), and every write pays for the
# records still in the log. A one-record upsert into 10,000 documents took 22 ms at the
# median (up to 53 ms just before a persist) with the default against 8 ms with 100;
# 1,024-record upserts and queries cost the same (bench/experiments/chroma_sync_threshold.py).
SYNC_THRESHOLD = 100
CHROMA_DEFAULT_SYNC_THRESHOLD = 1_000


class StoreError(RuntimeError):
    """Chroma cannot be used as configured; the message says what to do."""


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


class ChromaUnavailable(StoreError):
    """The Chroma server cannot be reached or did not answer within CHROMA_TIMEOUT_SECONDS
    (within a sync: after the retries). Says which, but names no host or port (the
    message reaches run records and API clients; the log has the address)."""


class ChromaBusy(ChromaUnavailable):
    """Refused without asking Chroma: every slot for interactive requests is held by a
    request still waiting for it (``syncer.chroma_slots``)."""


class _Breaker:
    """After a Chroma request outside a sync timed out, the process stops asking the
    server for CHROMA_BREAKER_SECONDS: searches, stats and admin pages answer at once
    (503) instead of each holding a web thread for CHROMA_TIMEOUT_SECONDS against a frozen
    server, which left none for health. Syncs are not affected: they retry and report."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._reason = ""

    def check(self) -> None:
        with self._lock:
            remaining = self._open_until - time.monotonic()
            reason = self._reason
        if remaining > 0:
            raise ChromaUnavailable(
                f"the Chroma server {reason} a moment ago; not asking it again for {remaining:.0f}s"
            )

    def trip(self, reason: str) -> None:
        seconds = float(settings.CHROMA_BREAKER_SECONDS)
        if seconds <= 0:
            return
        with self._lock:
            self._open_until = time.monotonic() + seconds
            self._reason = reason

    def reset(self) -> None:
        with self._lock:
            self._open_until, self._reason = 0.0, ""


_breaker = _Breaker()


def chroma_retry(operation: Callable[[], T], *, what: str) -> T:
    """``operation()`` against Chroma, retried within a sync (``syncer.retry``); a server
    still unreachable afterwards raises ChromaUnavailable. Inside an attempt of another
    retried operation the error passes as it is: the outermost reports it. Outside a
    sync, a server that timed out a moment ago is not asked again (``_Breaker``), and at
    most CHROMA_INTERACTIVE_CONCURRENCY calls of this process wait for it at once
    (``syncer.chroma_slots``; the others raise ChromaBusy at once)."""
    interactive = settings.CHROMA_HOST and not retry.retries_enabled()
    outermost = interactive and not retry.retry_nested()
    if outermost:
        _breaker.check()
    try:
        with _interactive_slot() if outermost else nullcontext():
            return retry.chroma_retry(operation, what=what)
    except StoreError:
        raise
    except Exception as exc:
        if retry.retry_nested() or not retry.is_transient_chroma_error(exc):
            raise
        if retry.is_timeout(exc):
            reason = f"did not answer within {settings.CHROMA_TIMEOUT_SECONDS:g}s"
            if interactive:
                _breaker.trip(reason)
        else:
            reason = "cannot be reached"
        message = f"the Chroma server {reason}: {error_line(exc)}"
        logger.warning("Chroma at %s: %s", chroma_location(), message)
        raise ChromaUnavailable(message) from exc


@contextmanager
def _interactive_slot() -> Iterator[None]:
    """One of the process's slots for interactive Chroma requests (``syncer.chroma_slots``),
    or ChromaBusy at once when they are all held by requests waiting for Chroma."""
    try:
        with chroma_slots.interactive_slot():
            yield
    except chroma_slots.SlotsTaken as exc:
        raise ChromaBusy(str(exc)) from None


@dataclass
class _OpenClient:
    key: tuple[Any, ...]
    client: ClientAPI
    # Embedded only: the runs that could still write when the client was opened (None
    # when PostgreSQL could not be asked), and when staleness was last checked.
    runs_seen: Any = None
    checked_at: float = 0.0


_client_lock = threading.RLock()
_client: _OpenClient | None = None
_write_sessions = 0  # writers in this process (holding the sync lock) right now
_own_runs: set[int] = set()  # runs this process executed: they wrote through its client


def _client_key() -> tuple[Any, ...]:
    # The pid: a client inherited through fork() is never reused by the child.
    if settings.CHROMA_HOST:
        timeout = float(settings.CHROMA_TIMEOUT_SECONDS)
        return ("http", settings.CHROMA_HOST, int(settings.CHROMA_PORT), timeout, os.getpid())
    return ("embedded", str(settings.CHROMA_PATH), os.getpid())


def chroma_client() -> ClientAPI:
    """The process's Chroma client for the current settings (built once, then reused).

    An embedded client is reopened when another process finished writing since it was
    opened (embedded Chroma does not see other processes' writes otherwise); this is
    checked at most every STALE_CHECK_SECONDS, and never while this process writes.
    """
    global _client
    key = _client_key()
    with _client_lock:
        current = _client
        if (
            current is not None
            and current.key == key
            and key[0] == "embedded"
            and _write_sessions == 0
            and time.monotonic() - current.checked_at >= STALE_CHECK_SECONDS
        ):
            _reopen_if_stale(current)
        if _client is None or _client.key != key:
            _client = chroma_retry(lambda: _client_open(key), what="connecting to Chroma")
        return _client.client


def _client_open(key: tuple[Any, ...]) -> _OpenClient:
    if key[0] == "http":
        return _OpenClient(key=key, client=http_client(host=key[1], port=key[2]))
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    # Taken before opening: a run finishing in between makes the client look stale
    # (one needless reopen) rather than fresh.
    runs_seen = _runs_snapshot()
    SharedSystemClient.clear_system_cache()  # else a cached, possibly stale, system returns
    client = chromadb.PersistentClient(path=key[1], settings=chroma_settings)
    return _OpenClient(key=key, client=client, runs_seen=runs_seen, checked_at=time.monotonic())


def _runs_snapshot() -> Any:
    from syncer.selectors import runs_snapshot

    try:
        return runs_snapshot()
    except Exception as exc:  # PostgreSQL unavailable: decided at the next check
        logger.debug("cannot read the run history: %s", exc)
        return None


def _reopen_if_stale(current: _OpenClient) -> None:
    """Forget ``current`` if another process wrote since it was opened (lock held)."""
    global _client
    from syncer.selectors import runs_finished_since

    try:
        if current.runs_seen is None:
            # Opened without knowing the run history: reopen once it can be known.
            stale = _runs_snapshot() is not None
        else:
            stale = runs_finished_since(current.runs_seen, excluding=_own_runs)
    except Exception as exc:  # PostgreSQL unavailable: keep serving what we have
        logger.debug("cannot check whether embedded Chroma changed: %s", exc)
        stale = False
    current.checked_at = time.monotonic()
    if stale:
        logger.info(
            "another process wrote to embedded Chroma since this process opened it: reopening"
        )
        _client = None
        SharedSystemClient.clear_system_cache()


def chroma_reset() -> None:
    """Forget the client (and embedded Chroma's per-path cache); the next call reopens.
    A Chroma server that timed out is asked again from now on."""
    global _client
    _breaker.reset()
    with _client_lock:
        _client = None
        SharedSystemClient.clear_system_cache()


def chroma_kind() -> str:
    """How Chroma is reached, for clients: "embedded" or "server" (never where)."""
    return "server" if settings.CHROMA_HOST else "embedded"


def chroma_location() -> str:
    """Where Chroma is, for the log and the operator's terminal (clients get
    ``chroma_kind``, and messages through ``error_public``)."""
    key = _client_key()
    return f"server {key[1]}:{key[2]}" if key[0] == "http" else f"directory {key[1]}"


def chroma_write_scope() -> str | None:
    """What a writer must hold a lock on besides its sources: the embedded Chroma
    directory (two processes must never write it at once); None for a Chroma server."""
    if settings.CHROMA_HOST:
        return None
    return f"chroma-dir:{Path(settings.CHROMA_PATH).resolve()}"


@contextmanager
def chroma_write_session() -> Iterator[None]:
    """Bracket the writes of a sync that holds the lock (``syncer.locks.sync_lock``).

    An embedded client is first reopened if another process wrote since it was opened
    (writing through a stale client would overwrite the other process's work), then it
    is not reopened until the session ends.
    """
    global _write_sessions
    with _client_lock:
        current = _client
        if current is not None and current.key[0] == "embedded" and _write_sessions == 0:
            _reopen_if_stale(current)
        _write_sessions += 1
    try:
        yield
    finally:
        with _client_lock:
            _write_sessions -= 1


def chroma_run_started(run_id: int) -> None:
    """Note a run executed by this process: its writes do not make the client stale."""
    with _client_lock:
        _own_runs.add(run_id)


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
            configuration={"hnsw": {"space": "cosine", "sync_threshold": SYNC_THRESHOLD}},
            metadata={MODEL_KEY: model},
        )
    built_with = (collection.metadata or {}).get(MODEL_KEY)
    if built_with != model:
        raise EmbeddingModelMismatch(
            f"Chroma collection {name!r} was built with embedding model "
            f"{built_with or 'unknown'!r}, but EMBEDDING_MODEL is {model!r}. Vectors from "
            "different models cannot be mixed: run `manage.py sync full --rebuild`."
        )
    if create and _write_sessions:
        _sync_threshold_apply(collection)
    return collection


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
        self, *, embedding: Sequence[float], where: Mapping[str, Any] | None, limit: int
    ) -> list[dict[str, Any]]:
        def query() -> Any:
            return self._call(
                "query",
                lambda: self.collection.query(
                    query_embeddings=[list(embedding)],
                    n_results=limit,
                    where=dict(where) if where else None,
                    include=["documents", "metadatas", "distances"],
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
