"""Reconcile rows of one source with its Chroma collection.

For each batch of rows: read the stored hashes of those ids, convert (a row that cannot
become a document is an *invalid row*: handed to the run's ``InvalidRowSink`` and otherwise
treated as excluded, its old document removed), then
  * new id, or text changed (or ``force``)  -> embed and write the document,
  * only metadata changed                    -> metadata update, no embedding,
  * nothing changed                          -> no Chroma write at all.
Chroma merges metadata on update/upsert, so keys that a row no longer has are sent as
None to remove them. The deletion sweep removes documents whose row is gone or excluded.

Reading the stored hashes is the largest cost of a sync where little changed, and
Chroma's reads release the GIL: ``ReadAhead`` runs the read of the next batch on a
worker thread while this one is converted and written (``SourceSync.read_ahead``).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import numpy as np
from chromadb.errors import InvalidArgumentError
from django.db import DatabaseError

from syncer import selectors
from syncer.chroma_client import ChromaUnavailable
from syncer.embeddings import embed_documents
from syncer.locks import SyncLockLost
from syncer.retry import RetriesExhausted, is_transient_chroma_error
from syncer.sources import Document, Source
from syncer.sources.base import as_utc
from syncer.store import CollectionStore

logger = logging.getLogger(__name__)

UPSERTED = "upserted"
METADATA_UPDATED = "metadata_updated"
UNCHANGED = "unchanged"
DELETED = "deleted"
FAILED = "failed"

# Errors that belong to one record (bad data), as opposed to Chroma or PostgreSQL being
# unusable, which must stop the run instead of being blamed on every record.
RECORD_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    KeyError,
    UnicodeError,
    InvalidArgumentError,
    # Data nesting deeper than a converter, json or hashlib can follow: the record's fault.
    RecursionError,
)


def is_record_write_error(exc: BaseException) -> bool:
    """Whether a failed Chroma write is the written records' failure (so it is isolated
    down to them) rather than the run's: not reaching Chroma or PostgreSQL (beyond the
    retries, or outside them), nor losing the sync lock, is ever a record's fault."""
    if isinstance(exc, ChromaUnavailable | RetriesExhausted | SyncLockLost | DatabaseError):
        return False
    return not is_transient_chroma_error(exc)


@dataclass
class RecordFailure:
    source: str
    record_id: str
    error_type: str
    message: str


@dataclass(frozen=True)
class InvalidRecord:
    """A row that cannot become a document (bad data, not a failing sync)."""

    source: str
    record_id: str
    updated_at: datetime | None
    error_type: str
    message: str


class InvalidRowSink(Protocol):
    """Where a run keeps the invalid rows it meets (``syncer.services.invalid_rows``)."""

    def seen(self, records: list[InvalidRecord]) -> set[str]:
        """Record these invalid rows; return the ids of those new or changed since seen."""

    def converted(self, ids: Iterable[str]) -> None:
        """These rows became documents: they are no longer invalid."""


@dataclass
class SourceOutcome:
    """Counters and watermark bookkeeping of one source in one run.

    ``watermark_ceiling`` is the source database's clock when the run started: a row
    stamped later (a client clock in the future, a typo'd year) is synced but does not
    move the watermark, so it cannot hide the edits that follow it. ``from_scratch``
    (full syncs) recomputes the watermark from what this run saw instead of keeping a
    larger previous one.
    """

    source: str
    scanned: int = 0
    upserted: int = 0
    metadata_updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: int = 0
    invalid: int = 0
    invalid_new: int = 0  # of ``invalid``: new or changed since last seen (news, not noise)
    max_synced_updated_at: datetime | None = None
    min_failed_updated_at: datetime | None = None
    watermark_ceiling: datetime | None = None
    from_scratch: bool = False
    actions: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # id -> why (with track_actions)

    def counts(self) -> dict[str, int]:
        return {
            "scanned": self.scanned,
            "upserted": self.upserted,
            "metadata_updated": self.metadata_updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "errors": self.errors,
            "invalid": self.invalid,
        }

    def watermark(self, previous: datetime | None) -> datetime | None:
        """The new watermark: the largest "updatedAt" handled (synced, or found invalid)
        up to ``watermark_ceiling``, but never past a failure (incremental runs re-read
        from there until the record syncs)."""
        base = None if self.from_scratch else previous
        candidates = [t for t in (base, self.max_synced_updated_at) if t is not None]
        reached = max(candidates) if candidates else None
        if self.min_failed_updated_at is not None:
            reached = (
                self.min_failed_updated_at
                if reached is None
                else min(reached, self.min_failed_updated_at)
            )
        ceiling = self.watermark_ceiling
        if reached is not None and ceiling is not None and reached > ceiling:
            reached = ceiling
        return reached


FailureSink = Callable[[RecordFailure], None]


class ReadAhead:
    """One worker thread for Chroma reads, so that a batch's stored hashes are read while
    the previous batch is converted and written (on a server or embedded, the read waits
    outside the GIL). Reads only: writes stay on the caller's thread, in order. The
    caller's context travels with each read (the transient-retry scope is a ContextVar).
    Closing waits for a read in flight and drops the ones not started."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="halasync-read")

    def submit(self, read: Callable[[], Any]) -> Future:
        return self._executor.submit(contextvars.copy_context().run, read)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass
class PendingBatch:
    """Rows whose stored metadata is being read (``stored`` is a Future or the result)."""

    rows: Sequence[Any]
    stored: Future | dict[str, Mapping[str, Any]]

    def stored_metadatas(self) -> dict[str, Mapping[str, Any]]:
        return self.stored.result() if isinstance(self.stored, Future) else self.stored


class SourceSync:
    """Applies rows of one source to one collection, counting what it did."""

    def __init__(
        self,
        *,
        source: Source,
        store: CollectionStore,
        on_failure: FailureSink,
        invalid_rows: InvalidRowSink | None = None,
        force: bool = False,
        track_actions: bool = False,
        invalid_is_error: bool = False,
    ) -> None:
        """``invalid_is_error``: an invalid row is also a record error (a single-record
        sync, whose one record was not synced; a repair, which could not fix it)."""
        self.source = source
        self.store = store
        self.on_failure = on_failure
        self.invalid_rows = invalid_rows
        self.force = force
        self.track_actions = track_actions
        self.invalid_is_error = invalid_is_error
        self.outcome = SourceOutcome(source=source.name)

    # -- bookkeeping ---------------------------------------------------------------------

    def _fail(self, record_id: str, updated_at: datetime | None, exc: BaseException) -> None:
        self.outcome.errors += 1
        if updated_at is not None:
            updated_at = as_utc(updated_at)
            current = self.outcome.min_failed_updated_at
            self.outcome.min_failed_updated_at = (
                updated_at if current is None else min(current, updated_at)
            )
        self._act(record_id, FAILED)
        message = str(exc) or exc.__class__.__name__
        if self.track_actions:
            self.outcome.problems[str(record_id)] = message
        logger.warning(
            "%s %r skipped: %s: %s", self.source.label, record_id, type(exc).__name__, message
        )
        self.on_failure(
            RecordFailure(
                source=self.source.name,
                record_id=str(record_id),
                error_type=type(exc).__name__,
                message=message[:2000],
            )
        )

    def _reached(self, updated_at: datetime | None) -> None:
        """A row up to ``updated_at`` is handled; rows stamped after the ceiling do not
        move the watermark (every run re-reads them, which the hashes make free)."""
        if updated_at is None:
            return
        ceiling = self.outcome.watermark_ceiling
        if ceiling is not None and updated_at > ceiling:
            return
        current = self.outcome.max_synced_updated_at
        if current is None or updated_at > current:
            self.outcome.max_synced_updated_at = updated_at

    def _synced(self, document: Document, action: str) -> None:
        self._reached(document.updated_at)
        counter = {
            UPSERTED: "upserted",
            METADATA_UPDATED: "metadata_updated",
            UNCHANGED: "unchanged",
        }
        setattr(self.outcome, counter[action], getattr(self.outcome, counter[action]) + 1)
        self._act(document.id, action)

    def _act(self, record_id: str, action: str) -> None:
        if self.track_actions:
            self.outcome.actions[str(record_id)] = action

    # -- upserts -------------------------------------------------------------------------

    def apply_rows(self, rows: Sequence[Any]) -> None:
        """Bring Chroma in line with these (eligible) rows."""
        self.apply(self.read_ahead(rows))

    def read_ahead(self, rows: Sequence[Any], reader: ReadAhead | None = None) -> PendingBatch:
        """Start reading what Chroma holds for ``rows`` (on ``reader``'s thread when
        given); ``apply`` the result later. Reads only: dropping it loses nothing."""
        # A row without a usable id fails to convert: nothing to read for it.
        ids = [row.pk for row in rows if isinstance(row.pk, str) and row.pk]

        def read() -> dict[str, Mapping[str, Any]]:
            return self.store.metadatas(ids) if ids else {}

        return PendingBatch(rows=rows, stored=reader.submit(read) if reader else read())

    def apply(self, batch: PendingBatch) -> None:
        """Convert the rows of ``batch`` and write what differs from Chroma."""
        documents: list[Document] = []
        invalid: list[tuple[Any, BaseException]] = []
        for row in batch.rows:
            self.outcome.scanned += 1
            try:
                documents.append(self.source.to_document(row))
            except RECORD_ERRORS as exc:
                invalid.append((row, exc))
        stored = batch.stored_metadatas()
        if invalid:
            self._invalid(invalid, stored)
        if not documents:
            return
        if self.invalid_rows is not None:
            self.invalid_rows.converted(document.id for document in documents)
        to_add: list[Document] = []
        to_replace: list[tuple[Document, Mapping[str, Any]]] = []
        to_update: list[tuple[Document, Mapping[str, Any]]] = []
        for document in documents:
            old = stored.get(document.id)
            if old is None:
                to_add.append(document)
            elif self.force or old.get("document_hash") != document.document_hash:
                to_replace.append((document, old))
            elif old.get("metadata_hash") != document.metadata_hash:
                to_update.append((document, old))
            else:
                self._synced(document, UNCHANGED)
        self._write_embedded(to_add, to_replace)
        self._write_metadata(to_update)

    def _invalid(
        self, invalid: list[tuple[Any, BaseException]], stored: Mapping[str, Mapping[str, Any]]
    ) -> None:
        """Rows that cannot become documents: recorded as invalid rows and otherwise
        treated as excluded (a document they had is removed: it no longer says what the
        row says). Unless ``invalid_is_error``, they neither fail the run nor hold the
        watermark back."""
        records = [
            InvalidRecord(
                source=self.source.name,
                record_id=str(row.pk),
                updated_at=_readable_updated_at(row),
                error_type=type(exc).__name__,
                message=(str(exc) or type(exc).__name__)[:2000],
            )
            for row, exc in invalid
        ]
        self.outcome.invalid += len(records)
        news = (
            self.invalid_rows.seen(records)
            if self.invalid_rows is not None
            else {record.record_id for record in records}
        )
        self.outcome.invalid_new += len(news)
        for record, (_, exc) in zip(records, invalid, strict=True):
            if self.invalid_is_error:
                self._fail(record.record_id, record.updated_at, exc)
                continue
            self._reached(record.updated_at)
            self._act(record.record_id, FAILED)
            if self.track_actions:
                self.outcome.problems[record.record_id] = record.message
            # Once per new or changed row, not at every run that reads it again.
            logger.log(
                logging.WARNING if record.record_id in news else logging.DEBUG,
                "%s %r cannot become a document (kept out of Chroma until it changes): %s: %s",
                self.source.label,
                record.record_id,
                record.error_type,
                record.message,
            )
        held = [record.record_id for record in records if record.record_id in stored]
        if held:
            self.delete(held)
            for record_id in held:
                self._act(record_id, FAILED)

    def _write_embedded(
        self, to_add: list[Document], to_replace: list[tuple[Document, Mapping[str, Any]]]
    ) -> None:
        if not to_add and not to_replace:
            return
        documents = to_add + [d for d, _ in to_replace]
        vectors = embed_documents([d.text for d in documents], parts=[d.parts for d in documents])
        added_vectors, replaced_vectors = vectors[: len(to_add)], vectors[len(to_add) :]

        def add(batch: list[tuple[Document, np.ndarray]]) -> None:
            self.store.add(
                ids=[d.id for d, _ in batch],
                embeddings=[v for _, v in batch],
                documents=[d.text for d, _ in batch],
                metadatas=[d.metadata for d, _ in batch],
            )

        def replace(batch: list[tuple[tuple[Document, Mapping[str, Any]], np.ndarray]]) -> None:
            self.store.upsert(
                ids=[d.id for (d, _), _ in batch],
                embeddings=[v for _, v in batch],
                documents=[d.text for (d, _), _ in batch],
                metadatas=[_replacing(d.metadata, old) for (d, old), _ in batch],
            )

        self._write_isolating(
            list(zip(to_add, added_vectors, strict=True)), add, lambda item: item[0]
        )
        self._write_isolating(
            list(zip(to_replace, replaced_vectors, strict=True)), replace, lambda item: item[0][0]
        )

    def _write_metadata(self, to_update: list[tuple[Document, Mapping[str, Any]]]) -> None:
        def update(batch: list[tuple[Document, Mapping[str, Any]]]) -> None:
            self.store.update_metadatas(
                ids=[d.id for d, _ in batch],
                metadatas=[_replacing(d.metadata, old) for d, old in batch],
            )

        self._write_isolating(to_update, update, lambda item: item[0], action=METADATA_UPDATED)

    def _write_isolating(
        self,
        items: list[Any],
        write: Callable[[list[Any]], None],
        document_of: Callable[[Any], Document],
        *,
        action: str = UPSERTED,
    ) -> None:
        """Write a batch; if Chroma refuses it (bad data, or any error of Chroma's own),
        write the items one by one so that only the records it refuses are skipped, as
        record errors with Chroma's reason. Only an unreachable Chroma (beyond the
        retries), PostgreSQL or a lost lock fail the source instead."""
        if not items:
            return
        try:
            write(items)
        except Exception as exc:
            if not is_record_write_error(exc):
                raise
            if len(items) == 1:
                document = document_of(items[0])
                self._fail(document.id, document.updated_at, exc)
                return
            for item in items:
                self._write_isolating([item], write, document_of, action=action)
            return
        for item in items:
            self._synced(document_of(item), action)

    # -- deletions -----------------------------------------------------------------------

    def sweep(self) -> None:
        """Delete every document whose row is gone from PostgreSQL or no longer eligible."""
        orphans: list[str] = []
        for page in self.store.iter_ids():
            eligible = selectors.source_eligible_ids(self.source, page)
            orphans.extend(doc_id for doc_id in page if doc_id not in eligible)
        self.delete(orphans)

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        self.store.delete(ids)
        self.outcome.deleted += len(ids)
        for doc_id in ids:
            self._act(doc_id, DELETED)
        logger.info("%s: deleted %d document(s) from Chroma", self.source.name, len(ids))


def _readable_updated_at(row: Any) -> datetime | None:
    """The row's "updatedAt" in UTC, or None when it cannot be read (UnreadableRow)."""
    try:
        value = getattr(row, "updated_at", None)
    except ValueError:
        return None
    return as_utc(value) if isinstance(value, datetime) else None


def _replacing(new: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
    """``new`` plus None for every key only ``old`` has, so that Chroma drops those keys."""
    payload = dict(new)
    for key in old:
        if key not in payload:
            payload[key] = None
    return payload
