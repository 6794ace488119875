"""``sync verify [--repair]``: compare PostgreSQL with what Chroma really holds.

Not with any bookkeeping of ours: every eligible row is turned into the document a sync
would write and compared with the text and metadata read back from Chroma
(``record_states``), every id in Chroma is checked against the eligible rows, and each
collection's recorded embedding model against EMBEDDING_MODEL. Drift is:

* a collection that is missing (``swap_unfinished`` when a ``--rebuild`` was cut short
  before it put its collection in place: the complete rebuilt collection waits under its
  ``-rebuild-<run>`` name), was built by another model, or is ``broken`` (fails every read: a repair
  rebuilds it);
* ``missing``: an eligible row without a document;
* ``stale``: a document whose text or metadata differ from what the row gives now;
* ``orphan``: a document whose row is gone or excluded, or cannot become a document
  (syncs treat such a row as excluded);
* ``invalid``: an eligible row that cannot become a document (bad data; syncs keep it out
  of Chroma and list it as an invalid row). Repair cannot fix these: the row must be
  fixed at its source, so they keep verify (and a repair) exiting 1;
* ``leftovers``: collections that a ``--rebuild`` killed before it finished left behind
  (``<collection>-rebuild-<run>``, ``<collection>-retired-<run>``); of the rebuilt ones,
  ``rebuilds_complete`` were built to their end (one is put in place when the collection
  is missing) and ``rebuilds_unfinished`` were not (always dropped).

``repair`` fixes exactly that, under the sync lock, as one ``repair`` SyncRun: missing and
stale documents are rewritten (re-embedded), orphans deleted, a missing collection
created and filled, a collection of another model rebuilt and swapped in, leftovers
dropped (a swap cut short is finished first). Nothing that is in sync is written. The
watermark is left alone. A source whose repair fails does not stop the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from syncer import selectors
from syncer.locks import HeldLock, sync_lock
from syncer.models import SyncRun
from syncer.services.bookkeeping import each_source, failure_sink, run_recorded, save_outcome
from syncer.services.compare import IN_SYNC, INVALID, MISSING, STALE, RecordState, record_states
from syncer.services.engine import SourceSync
from syncer.services.invalid_rows import InvalidRowBook
from syncer.services.leftovers import leftovers_drop
from syncer.services.runs import run_source
from syncer.sources import Source, source_get, source_names
from syncer.store import (
    CollectionBroken,
    CollectionMissing,
    CollectionStore,
    EmbeddingModelMismatch,
    collection_broken,
    collection_leftovers,
    collection_names,
    collection_rebuilds_complete,
    collection_swap_pending,
    store_open,
)

# Ids listed per kind of drift in reports (all are counted).
REPORT_IDS_SHOWN = 100


@dataclass
class SourceDrift:
    """What verify found for one source."""

    source: str
    collection: str
    collection_problem: str = ""  # "missing", "swap_unfinished", "model" or "broken"
    problem: str = ""  # the operator-facing explanation of collection_problem
    eligible: int = 0
    in_sync: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[tuple[str, str]] = field(default_factory=list)  # (id, what differs)
    orphans: list[str] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (id, why)
    leftovers: list[str] = field(default_factory=list)  # collection names
    # Of the leftovers, the rebuilt collections whose build ran to its end (put in place
    # when the live one is missing) and those that did not (always dropped).
    rebuilds_complete: list[str] = field(default_factory=list)
    rebuilds_unfinished: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (
            self.collection_problem
            or self.missing
            or self.stale
            or self.orphans
            or self.invalid
            or self.leftovers
        )

    @property
    def repairable(self) -> bool:
        """Drift a repair can fix was found (everything but invalid rows)."""
        return bool(
            self.collection_problem or self.missing or self.stale or self.orphans or self.leftovers
        )

    def as_dict(self) -> dict[str, Any]:
        shown = REPORT_IDS_SHOWN
        return {
            "collection": self.collection,
            "clean": self.clean,
            "collection_problem": self.collection_problem or None,
            "problem": self.problem or None,
            "eligible": self.eligible,
            "in_sync": self.in_sync,
            "counts": {
                "missing": len(self.missing),
                "stale": len(self.stale),
                "orphans": len(self.orphans),
                "invalid": len(self.invalid),
                "leftovers": len(self.leftovers),
            },
            "missing": self.missing[:shown],
            "stale": [{"id": i, "differs": what} for i, what in self.stale[:shown]],
            "orphans": self.orphans[:shown],
            "invalid": [{"id": i, "error": why} for i, why in self.invalid[:shown]],
            "leftovers": self.leftovers[:shown],
            "rebuilds_complete": self.rebuilds_complete[:shown],
            "rebuilds_unfinished": self.rebuilds_unfinished[:shown],
        }


@dataclass
class VerifyReport:
    sources: list[SourceDrift]
    repair_run: SyncRun | None = None

    @property
    def clean(self) -> bool:
        """Nothing to fix was found (for a repair: before it fixed things). A repair that
        failed before comparing a source (Chroma unreachable) has not looked: not clean,
        although every source it did compare may be."""
        if self.repair_run is not None and len(self.sources) < len(self.repair_run.sources):
            return False
        return all(drift.clean for drift in self.sources)

    @property
    def repairable(self) -> bool:
        """Drift a repair can fix was found (for a repair: before it fixed things)."""
        return any(drift.repairable for drift in self.sources)

    @property
    def invalid(self) -> int:
        """Invalid rows found: bad data only its source can fix, never a repair."""
        return sum(len(drift.invalid) for drift in self.sources)

    @property
    def repaired(self) -> bool:
        """A repair ran and fixed everything it found."""
        return self.repair_run is not None and (self.repair_run.status == SyncRun.Status.SUCCEEDED)


def sync_verify(
    *, sources: Iterable[str] | None = None, repair: bool = False, trigger: str = "cli"
) -> VerifyReport:
    """Compare each source with its collection; with ``repair``, fix the drift.

    Holds the sync lock throughout (a sync in progress would look like drift): raises
    SyncLocked at once when a sync is running. A repair is recorded as a ``repair``
    SyncRun; like any run it ends ``partial`` when records could not be written
    (``invalid`` rows) and ``failed`` with the reason when it could not go on.
    """
    names = source_names(sources)
    with sync_lock(names) as lock:
        if not repair:
            return VerifyReport(sources=[_source_verify(source_get(name)) for name in names])
        run = SyncRun(mode=SyncRun.Mode.REPAIR, trigger=trigger, sources=names)
        report = VerifyReport(sources=[], repair_run=run)
        with run_recorded(run, swallow=True):
            each_source(
                run,
                lambda source: report.sources.append(_source_verify(source, run=run, lock=lock)),
            )
        return report


class _NoCollection:
    """Stands in for a collection that does not exist: it holds nothing."""

    def records(self, ids: Sequence[str]) -> dict[str, tuple[str | None, Mapping[str, Any]]]:
        return {}


def _source_verify(
    source: Source, *, run: SyncRun | None = None, lock: HeldLock | None = None
) -> SourceDrift:
    drift = SourceDrift(source=source.name, collection=source.collection_name)
    names = collection_names()
    drift.leftovers = collection_leftovers(source.collection_name, names)
    drift.rebuilds_complete = collection_rebuilds_complete(source.collection_name, names)
    drift.rebuilds_unfinished = [
        name
        for name in drift.leftovers
        if name.startswith(f"{source.collection_name}-rebuild-")
        and name not in drift.rebuilds_complete
    ]
    if run is not None and drift.leftovers:
        lock.verify()
        leftovers_drop(source)
    store: CollectionStore | None = None
    try:
        store = store_open(source.collection_name, create=False)
    except CollectionMissing as exc:
        drift.collection_problem, drift.problem = "missing", str(exc)
        pending = collection_swap_pending(source.collection_name)
        if pending is not None:
            drift.collection_problem = "swap_unfinished"
            drift.problem = (
                f"Chroma collection {source.collection_name!r} is missing: a `--rebuild` was "
                f"cut short before it put its collection in place, and the complete rebuilt "
                f"collection waits as {pending!r}. The next sync or "
                "`manage.py sync verify --repair` puts it in place."
            )
        elif drift.rebuilds_unfinished:
            unfinished = ", ".join(map(repr, drift.rebuilds_unfinished))
            drift.problem += (
                f" {unfinished}: a `--rebuild` killed before it finished building; it is "
                "never put in place: the next sync drops it and builds the collection from "
                "every row."
            )
    except EmbeddingModelMismatch as exc:
        drift.collection_problem, drift.problem = "model", str(exc)
        drift.eligible = selectors.source_eligible_count(source)
        if run is not None:
            # Vectors of two models cannot be compared or mixed: rebuild the collection.
            run_source(run, source, None, lock, rebuild=True, keep_watermark=False)
        return drift
    if store is not None:
        try:
            store.count()
        except Exception as exc:
            if not collection_broken(exc):
                raise
            drift.collection_problem = "broken"
            drift.problem = str(CollectionBroken(source.collection_name, exc))
            drift.eligible = selectors.source_eligible_count(source)
            if run is not None:
                # It fails every read and write: only a fresh collection helps.
                run_source(run, source, None, lock, rebuild=True, keep_watermark=False)
            return drift

    engine: SourceSync | None = None
    invalid_rows: InvalidRowBook | None = None
    if run is not None:
        store = store or store_open(source.collection_name)  # creates a missing one
        invalid_rows = InvalidRowBook(run=run, source=source, record_run=lambda: None)
        # An invalid row is one the repair could not fix: a record error of the repair run
        # (and an invalid row); a document it still had is removed like an orphan.
        engine = SourceSync(
            source=source,
            store=store,
            on_failure=failure_sink(run),
            invalid_rows=invalid_rows,
            force=True,
            invalid_is_error=True,
        )
    for rows in selectors.source_rows(source, batch_size=settings.SYNC_BATCH_SIZE):
        states = record_states(source=source, rows=rows, store=store or _NoCollection())
        to_fix = [row for row in rows if _note(drift, states[str(row.pk)])]
        if engine is not None and to_fix:
            lock.verify()
            engine.apply_rows(to_fix)  # force: rewrites text, vector and metadata
        if invalid_rows is not None:
            invalid_rows.converted(i for i, state in states.items() if state.state == IN_SYNC)
    swept: list[str] = []
    if store is not None:
        swept = _orphans(source, store)
        drift.orphans.extend(swept)  # after the documents of invalid rows (see _note)
    if engine is not None:
        if swept:
            lock.verify()
            engine.delete(swept)
        invalid_rows.reconcile()
        engine.outcome.scanned += drift.in_sync
        engine.outcome.unchanged += drift.in_sync
        save_outcome(
            run, engine.outcome, previous_watermark=None, keep_watermark=False, completed=True
        )
    return drift


def _note(drift: SourceDrift, state: RecordState) -> bool:
    """Count one eligible row's state; whether a repair should (try to) write it."""
    drift.eligible += 1
    if state.state == IN_SYNC:
        drift.in_sync += 1
        return False
    if state.state == MISSING:
        drift.missing.append(state.id)
    elif state.state == STALE:
        drift.stale.append((state.id, _differences(state)))
    elif state.state == INVALID:
        drift.invalid.append((state.id, state.problem))
        if state.stored_metadata is not None:
            # Syncs keep an invalid row out of Chroma: a document it has is an orphan
            # (a repair removes it while recording the row as invalid).
            drift.orphans.append(state.id)
    return True


def _differences(state: RecordState) -> str:
    expected = state.expected
    if expected is None:  # pragma: no cover - stale always has an expected document
        return "document"
    parts: list[str] = []
    if state.stored_text != expected.text:
        parts.append("text")
    stored = dict(state.stored_metadata or {})
    keys = sorted(
        key
        for key in set(stored) | set(expected.metadata)
        if stored.get(key) != expected.metadata.get(key)
    )
    if keys:
        parts.append("metadata: " + ", ".join(keys))
    return "; ".join(parts) or "document"


def _orphans(source: Source, store: CollectionStore) -> list[str]:
    """Ids in the collection whose row is gone or excluded."""
    orphans: list[str] = []
    for page in store.iter_ids():
        eligible = selectors.source_eligible_ids(source, page)
        orphans.extend(doc_id for doc_id in page if doc_id not in eligible)
    return orphans
