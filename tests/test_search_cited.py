"""Journeys searched alone are ranked with the knowledge references their steps cite
(syncer/services/search.py, ``_cited_fusion``; issue 15), through the real search service
and Chroma. The ranking logic does not depend on the model: the declared test embedder
(words hashed, texts sharing words are near) makes the nearest rows known in advance."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from syncer.services.runs import sync_run_execute
from syncer.services.search import SearchFilters, search_documents
from syncer.sources import JOURNEYS, KNOWLEDGE
from syncer.sources.journeys import MAX_CITED_REFERENCES, journey_cited_references
from syncer.store import collection_drop

QUERY = "patience during the storm"


def _steps(*cited: list[str]) -> dict[str, Any]:
    return {
        "goal": {"en": "A journey"},
        "steps": [
            {"title": {"en": f"Step {n}"}, "knowledge_reference_ids": ids}
            for n, ids in enumerate(cited, start=1)
        ],
    }


@pytest.fixture
def library(chroma, settings, make_knowledge, make_journey) -> None:
    settings.EMBEDDING_MODEL = "hashing-test"
    make_knowledge(
        id="k_patience",
        category="STRATEGY",
        source="Patience",
        title={"en": "Patience during the storm"},
        content={"en": "Patience in the storm: patience, patience, the storm passes."},
    )
    make_knowledge(
        id="k_budget",
        category="STRATEGY",
        source="Money",
        title={"en": "Budget before you spend"},
        content={"en": "Write a budget, pay debts, save money."},
    )
    # Nearest by its own words, citing nothing.
    make_journey(
        id="j_near",
        goal_keyword="storm",
        full_json={"goal": {"en": "Patience during the storm, the storm of patience"}},
    )
    # Farther by its own words, but its steps cite the nearest reference.
    make_journey(
        id="j_cites",
        goal_keyword="habits",
        full_json={**_steps(["k_budget"], ["k_patience"]), "goal": {"en": "During daily habits"}},
    )
    # Farthest, citing a reference that does not exist.
    make_journey(
        id="j_far",
        goal_keyword="budget",
        full_json={**_steps(["k_gone"]), "goal": {"en": "Money and debts"}},
    )
    sync_run_execute(mode="full", trigger="cli")


def _ids(sources: list) -> list[str]:
    hits = search_documents(query=QUERY, sources=sources, filters=SearchFilters(), limit=10)
    return [hit["id"] for hit in hits if hit["type"] == JOURNEYS.name]


def _distances() -> dict[str, float]:
    hits = search_documents(query=QUERY, sources=[JOURNEYS], filters=SearchFilters(), limit=10)
    return {hit["id"]: hit["distance"] for hit in hits}


@pytest.mark.usefixtures("library")
def test_a_journey_citing_the_nearest_reference_rises_above_a_nearer_journey() -> None:
    distances = _distances()
    assert distances["j_near"] < distances["j_cites"] < distances["j_far"]
    # Own ranks 1 and 2; j_cites also cites the nearest reference: 1/62 + 1/61 > 1/61.
    assert _ids([JOURNEYS]) == ["j_cites", "j_near", "j_far"]


@pytest.mark.usefixtures("library")
def test_a_search_of_both_sources_keeps_one_distance_order() -> None:
    assert _ids([KNOWLEDGE, JOURNEYS]) == ["j_near", "j_cites", "j_far"]


@pytest.mark.usefixtures("library")
def test_without_the_cited_collection_journeys_keep_their_own_order(
    caplog: pytest.LogCaptureFixture,
) -> None:
    collection_drop(KNOWLEDGE.collection_name)
    with caplog.at_level(logging.WARNING, logger="syncer.services.search"):
        assert _ids([JOURNEYS]) == ["j_near", "j_cites", "j_far"]
    assert "ranking without the knowledge it cites" in caplog.text


@pytest.mark.usefixtures("library")
def test_the_limit_applies_after_the_fusion() -> None:
    hits = search_documents(query=QUERY, sources=[JOURNEYS], filters=SearchFilters(), limit=1)
    assert [hit["id"] for hit in hits] == ["j_cites"]


@pytest.mark.parametrize(
    ("full_json", "expected"),
    [
        (_steps(["k1", "k2"], ["k2", "k3"]), ["k1", "k2", "k3"]),
        (json.dumps(_steps(["k1"])), ["k1"]),  # full_json stored as a JSON string
        ({"steps": [json.dumps({"knowledge_reference_ids": ["k1"]})]}, ["k1"]),
        ({"steps": [{"knowledge_reference_ids": "k1"}]}, ["k1"]),  # one id, not a list
        ({"steps": [{"knowledge_reference_ids": [1, None, "", "k1", {"a": 1}]}]}, ["k1"]),
        ({"steps": {"knowledge_reference_ids": ["k1"]}}, []),  # steps not a list
        ({"steps": [None, 3, "text"]}, []),
        ([1, 2], []),
        (None, []),
        ("not json", []),
    ],
)
def test_the_cited_references_of_any_full_json(full_json: Any, expected: list[str]) -> None:
    metadata = {"full_json": json.dumps(full_json)}
    assert journey_cited_references(metadata) == expected


def test_hostile_full_json_gives_no_cited_references_and_a_bounded_list() -> None:
    deep = '{"steps": ' + "[" * 5_000 + "]" * 5_000 + "}"
    assert journey_cited_references({"full_json": deep}) == []
    assert journey_cited_references({"full_json": json.dumps(deep)}) == []
    assert journey_cited_references({}) == []
    many = _steps([f"k{n}" for n in range(5_000)])
    assert len(journey_cited_references({"full_json": json.dumps(many)})) == MAX_CITED_REFERENCES


def test_recent_queries_encode_a_question_once_and_hand_out_copies() -> None:
    """A journey search encodes its question for journeys and for the knowledge it cites:
    the model runs once (``RecentQueries``), and a caller cannot alter what is kept."""
    import numpy as np

    from syncer.embeddings.base import RecentQueries

    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    recent = RecentQueries(size=2)
    first = recent.encode(["q1"], encode)
    first[0, 0] = 9.0
    assert recent.encode(["q1"], encode)[0, 0] == 1.0
    assert calls == [["q1"]]
    recent.encode(["q2"], encode)
    recent.encode(["q3"], encode)  # q1, the oldest, is forgotten
    recent.encode(["q1"], encode)
    recent.encode(["a", "b"], encode)  # batches are never kept
    recent.encode(["a", "b"], encode)
    assert calls == [["q1"], ["q2"], ["q3"], ["q1"], ["a", "b"], ["a", "b"]]
