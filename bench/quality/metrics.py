"""Rank-based quality metrics and the targets of issue 15. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.quality.evalset import LANGUAGES, SOURCES, Query

HITS_AT = (1, 3, 5)
# Results asked of every search: MRR is computed over these (MRR@10); a relevant row
# ranked lower counts as not found.
SEARCH_LIMIT = 10


def first_rank(ranked: Sequence[str], relevant: Iterable[str]) -> int | None:
    """1-based rank of the first relevant id in ``ranked``, or None."""
    wanted = set(relevant)
    return next((rank for rank, row_id in enumerate(ranked, 1) if row_id in wanted), None)


def summarize(ranks: Sequence[int | None]) -> dict[str, Any]:
    """n, hit@1/3/5 and MRR of these ranks (None: not in the results)."""
    n = len(ranks)
    summary: dict[str, Any] = {"n": n}
    for k in HITS_AT:
        summary[f"hit@{k}"] = (
            round(sum(r is not None and r <= k for r in ranks) / n, 3) if n else None
        )
    summary["mrr"] = round(sum(1 / r for r in ranks if r) / n, 3) if n else None
    return summary


def metrics_compute(
    queries: Sequence[Query], ranked: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """Per source and language for paraphrases; per source and overall for exact
    references. ``ranked`` maps a query id to the ids the search returned, best first."""
    ranks = {query.id: first_rank(ranked[query.id], query.relevant) for query in queries}
    paraphrase: dict[str, dict[str, Any]] = {}
    for source in SOURCES:
        mine = [q for q in queries if q.kind == "paraphrase" and q.source == source]
        paraphrase[source] = {
            language: summarize([ranks[q.id] for q in mine if q.language == language])
            for language in LANGUAGES
        }
        paraphrase[source]["all"] = summarize([ranks[q.id] for q in mine])
    exact_queries = [q for q in queries if q.kind == "exact"]
    exact = {
        source: summarize([ranks[q.id] for q in exact_queries if q.source == source])
        for source in SOURCES
    }
    exact["all"] = summarize([ranks[q.id] for q in exact_queries])
    return {"paraphrase": paraphrase, "exact": exact, "ranks": ranks}


@dataclass(frozen=True)
class Target:
    name: str
    path: tuple[str, ...]  # where the measured value is in metrics_compute's result
    goal: float

    def evaluate(self, metrics: Mapping[str, Any]) -> dict[str, Any]:
        value: Any = metrics
        for key in self.path:
            value = value[key]
        return {
            "target": self.name,
            "goal": f">= {self.goal}",
            "measured": value,
            "met": None if value is None else value >= self.goal,
        }


# Issue 15: knowledge hit@5 per language, journey hit@3 in English and Indonesian, exact
# references first.
TARGETS = (
    Target("knowledge hit@5 en", ("paraphrase", "knowledge", "en", "hit@5"), 0.95),
    Target("knowledge hit@5 id", ("paraphrase", "knowledge", "id", "hit@5"), 0.90),
    Target("knowledge hit@5 ar", ("paraphrase", "knowledge", "ar", "hit@5"), 0.75),
    Target("journeys hit@3 en", ("paraphrase", "journeys", "en", "hit@3"), 0.85),
    Target("journeys hit@3 id", ("paraphrase", "journeys", "id", "hit@3"), 0.85),
    Target("exact references first (hit@1)", ("exact", "all", "hit@1"), 0.95),
)


def targets_evaluate(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [target.evaluate(metrics) for target in TARGETS]
