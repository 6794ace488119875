"""Compare source rows with what is really stored in Chroma (text and metadata as read
back, not our own bookkeeping). Shared by the admin's sync-state column and ``verify``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from syncer.services.engine import RECORD_ERRORS
from syncer.sources import Document, Source
from syncer.store import CollectionStore

IN_SYNC = "in sync"
STALE = "stale"  # in Chroma, but text or metadata differ from what the row gives now
MISSING = "missing"  # eligible, absent from Chroma
EXCLUDED = "excluded"  # REJECTED / ARCHIVED, correctly absent
ORPHAN = "orphan"  # in Chroma although the row is gone or excluded
INVALID = "invalid"  # the row cannot be turned into a document (bad data)


@dataclass(frozen=True)
class RecordState:
    id: str
    state: str
    expected: Document | None  # what a sync would write now
    stored_text: str | None
    stored_metadata: Mapping[str, Any] | None
    problem: str = ""


def record_states(
    *, source: Source, rows: Sequence[Any], store: CollectionStore
) -> dict[str, RecordState]:
    """The state of each row, with one batched Chroma read for all of them."""
    stored = store.records([str(row.pk) for row in rows])
    states: dict[str, RecordState] = {}
    for row in rows:
        record_id = str(row.pk)
        text, metadata = stored.get(record_id, (None, None))
        present = record_id in stored
        if not source.is_eligible(row):
            state = ORPHAN if present else EXCLUDED
            states[record_id] = RecordState(record_id, state, None, text, metadata)
            continue
        try:
            expected = source.to_document(row)
        except RECORD_ERRORS as exc:
            states[record_id] = RecordState(
                record_id, INVALID, None, text, metadata, f"{type(exc).__name__}: {exc}"
            )
            continue
        if not present:
            state = MISSING
        elif text == expected.text and dict(metadata or {}) == dict(expected.metadata):
            state = IN_SYNC
        else:
            state = STALE
        states[record_id] = RecordState(record_id, state, expected, text, metadata)
    return states
