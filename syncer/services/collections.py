"""Read-only looks at a source's Chroma collection, for the callers that only read (the
source admin, watch, stats, health): the collection is never created or written here.

A missing collection raises ``CollectionMissing``; a Chroma server out of reach,
``ChromaUnavailable`` (both ``StoreError``); a collection Chroma itself fails on, what
Chroma raised (``store.collection_broken`` tells it apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from syncer.services.compare import RecordState, record_states
from syncer.sources import Source
from syncer.store import store_open


def collection_count(*, source: Source) -> int:
    """How many documents ``source``'s collection holds."""
    return store_open(source.collection_name, create=False).count()


def collection_ids_present(*, source: Source, record_ids: Sequence[str]) -> list[str]:
    """Those of ``record_ids`` that ``source``'s collection holds (one batched read)."""
    return list(store_open(source.collection_name, create=False).metadatas(record_ids))


def collection_record_states(*, source: Source, rows: Sequence[Any]) -> dict[str, RecordState]:
    """The state of each row against what ``source``'s collection holds
    (``compare.record_states``, one batched read)."""
    store = store_open(source.collection_name, create=False)
    return record_states(source=source, rows=rows, store=store)
