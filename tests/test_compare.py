"""record_states compares rows with what Chroma really holds, not with our hashes."""

from __future__ import annotations

import pytest

from knowledge.models import KnowledgeReference
from syncer.services.compare import (
    EXCLUDED,
    IN_SYNC,
    INVALID,
    MISSING,
    ORPHAN,
    STALE,
    record_states,
)
from syncer.services.runs import sync_run_execute
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.store import store_open
from tests.conftest import touch

pytestmark = pytest.mark.usefixtures("chroma")


def test_every_state(make_knowledge, make_journey) -> None:
    synced = make_knowledge(id="synced")
    tampered = make_knowledge(id="tampered")
    changed = make_knowledge(id="changed")
    rejected_present = make_knowledge(id="rejected_present")
    make_knowledge(id="rejected_absent", status="REJECTED")
    sync_run_execute(mode="full", trigger="cli", sources=["knowledge"])
    store = store_open(KNOWLEDGE.collection_name)
    missing = make_knowledge(id="missing")
    touch(changed, source="A new source")
    # Damage Chroma behind our back: text changed, hashes untouched.
    store.collection.update(ids=["tampered"], documents=["edited by hand"])
    # Excluded in PostgreSQL but still in Chroma (no sync since).
    KnowledgeReference.objects.filter(pk="rejected_present").update(status="REJECTED")

    rows = list(KnowledgeReference.objects.order_by("id"))
    states = {
        key: value.state
        for key, value in record_states(source=KNOWLEDGE, rows=rows, store=store).items()
    }

    assert states == {
        synced.id: IN_SYNC,
        tampered.id: STALE,
        changed.id: STALE,
        rejected_present.id: ORPHAN,
        "rejected_absent": EXCLUDED,
        missing.id: MISSING,
    }


def test_invalid_row_is_reported_with_its_problem(make_journey) -> None:
    bad = make_journey(goal_keyword="", tags=[], full_json={})
    store = store_open(JOURNEYS.collection_name)
    state = record_states(source=JOURNEYS, rows=[bad], store=store)[bad.id]
    assert state.state == INVALID
    assert "no text" in state.problem
