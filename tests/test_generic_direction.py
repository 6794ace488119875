"""USE's generic direction (syncer/embeddings/use.py, issue 15): questions searching
knowledge references alone have it taken out, other questions and passages do not, the
search service encodes for the source it searches, the shipped vector is what its
derivation gives, and a missing or damaged file stops such questions with the command that
restores it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from bench.experiments.generic_direction import derive
from syncer.embeddings import DEFAULT_MODEL, EmbeddingUnavailable, embedding_backend
from syncer.embeddings import use as use_module
from syncer.embeddings.use import (
    GENERIC_WEIGHTS,
    UseBackend,
    UseEncoder,
    generic_direction_load,
)
from syncer.services.runs import sync_run_execute
from syncer.services.search import SearchFilters, search_documents
from syncer.sources import JOURNEYS, KNOWLEDGE

QUERIES = [
    "How can I stop worrying about tomorrow?",
    "Saya susah tidur setiap malam",
    "كيف أتحكم في غضبي",
]


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


@pytest.mark.model
def test_the_shipped_direction_is_the_mean_of_the_bench_rows() -> None:
    """The file is reproducible: the mean of USE over the first 100 synthetic bench rows
    already points where the shipped mean of 1,000 points."""
    derived = derive(UseEncoder().encode, 100)
    assert float(derived @ generic_direction_load()) > 0.995


def test_only_knowledge_questions_take_the_direction_out() -> None:
    """Measured per source (docs/search.md): knowledge gains, journeys lose a little."""
    assert GENERIC_WEIGHTS == {KNOWLEDGE.name: 0.15}


@pytest.mark.model
@pytest.mark.parametrize("name", ["use-multilingual-v3", DEFAULT_MODEL])
def test_knowledge_questions_have_the_generic_direction_taken_out_and_passages_do_not(
    name: str,
) -> None:
    backend = embedding_backend(name)
    raw = UseEncoder()
    generic = generic_direction_load()
    weight = GENERIC_WEIGHTS[KNOWLEDGE.name]
    for text in QUERIES:
        plain = raw.encode([text])[0]
        use_block = backend.embed_query(text, source=KNOWLEDGE.name)[: UseEncoder.dimension]
        assert np.allclose(_unit(use_block), _unit(plain - weight * generic), atol=1e-5)
        assert float(_unit(use_block) @ generic) < float(plain @ generic) - 0.05
        # Journeys, several sources (None) and Chroma's query_texts: the plain question.
        for source in (JOURNEYS.name, None):
            use_block = backend.embed_query(text, source=source)[: UseEncoder.dimension]
            assert np.allclose(_unit(use_block), plain, atol=1e-5)
    # Passages are USE's own reading: collections built before need no rebuild.
    passage = backend.embed_documents([QUERIES[0]], [{"en": QUERIES[0]}])[0]
    assert np.allclose(
        _unit(passage[: UseEncoder.dimension]), raw.encode([QUERIES[0]])[0], atol=1e-5
    )


def _broken_files(tmp_path: Path) -> list[tuple[Path, str]]:
    wrong_shape = tmp_path / "short.npy"
    np.save(wrong_shape, np.ones(10, dtype=np.float32) / np.sqrt(10))
    not_unit = tmp_path / "long.npy"
    np.save(not_unit, np.ones(UseEncoder.dimension, dtype=np.float32))
    not_finite = tmp_path / "nan.npy"
    np.save(not_finite, np.full(UseEncoder.dimension, np.nan, dtype=np.float32))
    not_numpy = tmp_path / "text.npy"
    not_numpy.write_text("not an array")
    return [
        (tmp_path / "missing.npy", "cannot read"),
        (wrong_shape, "not a unit vector"),
        (not_unit, "not a unit vector"),
        (not_finite, "not a unit vector"),
        (not_numpy, "cannot read"),
    ]


def test_a_missing_or_damaged_direction_names_the_command_that_restores_it(
    tmp_path: Path,
) -> None:
    for path, message in _broken_files(tmp_path):
        with pytest.raises(EmbeddingUnavailable, match=message) as caught:
            generic_direction_load(path)
        assert "python -m bench.experiments.generic_direction --write" in str(caught.value)


@pytest.mark.model
def test_without_the_direction_passages_embed_and_queries_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync (passages only) does not need the file; a search says what is missing."""
    monkeypatch.setattr(use_module, "GENERIC_DIRECTION_PATH", tmp_path / "missing.npy")
    backend = UseBackend()
    assert backend.embed_documents(["Saya susah tidur"]).shape == (1, UseEncoder.dimension)
    assert backend.embed_query("Saya susah tidur").shape == (UseEncoder.dimension,)
    with pytest.raises(EmbeddingUnavailable, match="generic_direction --write"):
        backend.embed_query("Saya susah tidur", source=KNOWLEDGE.name)


@pytest.mark.model
def test_prepare_models_stops_on_a_missing_direction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """bin/quickstart's model step reads every file a search will: a broken install is
    named at setup, not at the first knowledge search."""
    monkeypatch.setattr(use_module, "GENERIC_DIRECTION_PATH", tmp_path / "missing.npy")
    settings.EMBEDDING_CACHE_DIR = tmp_path / "models"  # a backend of its own
    with pytest.raises(CommandError, match="generic_direction --write"):
        call_command("prepare_models", "--model", "use-multilingual-v3")


@pytest.mark.model
@pytest.mark.usefixtures("chroma")
def test_search_encodes_the_question_for_the_one_source_it_searches(
    make_knowledge, make_journey
) -> None:
    """The distance of a knowledge hit is measured from the knowledge question when
    knowledge is searched alone, from the plain question when both sources are (their
    distances are then compared with each other)."""
    make_knowledge(
        id="k_sleep",
        category="STRATEGY",
        source="Sleep hygiene",
        title={"en": "Wind down before bed"},
        content={"en": "Screens away an hour before bed; the same bedtime each night."},
    )
    make_journey(
        id="j_sleep",
        goal_keyword="sleep",
        full_json={"goal": {"en": "Calm nights without a phone in bed"}, "steps": []},
    )
    sync_run_execute(mode="full", trigger="cli")
    query = "Saya susah tidur setiap malam"
    backend = embedding_backend(DEFAULT_MODEL)
    from syncer.store import store_open

    stored = store_open(KNOWLEDGE.collection_name, create=False).collection.get(
        ids=["k_sleep"], include=["embeddings"]
    )["embeddings"][0]

    def distance(sources: list) -> float:
        hits = search_documents(query=query, sources=sources, filters=SearchFilters(), limit=5)
        return next(hit["distance"] for hit in hits if hit["id"] == "k_sleep")

    for sources, source in (([KNOWLEDGE], KNOWLEDGE.name), ([KNOWLEDGE, JOURNEYS], None)):
        expected = 1.0 - float(np.asarray(stored) @ backend.embed_query(query, source=source))
        assert distance(sources) == pytest.approx(expected, abs=1e-4)
    assert distance([KNOWLEDGE]) != pytest.approx(distance([KNOWLEDGE, JOURNEYS]), abs=1e-3)
