"""What the offline quality experiments share: their command line, Django, the set's rows.

An offline experiment embeds a quality set's searchable rows (through the real converters)
and its queries once, then ranks by exact numpy search for each variant it measures
(``composite_weights``, ``quality_levers``, ``language_sections``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np

# Source rows get fixed timestamps: nothing an experiment measures depends on them.
ROWS_STAMPED_AT = datetime(2026, 1, 1, tzinfo=UTC)
# What the experiments score: knowledge hit@5 and journeys hit@3 per query language, and
# the targets of issue 15.
HITS_AT = {"knowledge": 5, "journeys": 3}
LANGS = ("en", "id", "ar")
TARGETS = {"knowledge": {"en": 0.95, "id": 0.90, "ar": 0.75}, "journeys": {"en": 0.85, "id": 0.85}}


def offline_setup(
    prog: str,
    argv: list[str] | None,
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> tuple[argparse.Namespace, Any]:
    """Parse ``--dataset`` and ``--runtime`` (and what ``add_arguments`` adds), set the
    MiniLM runtime, start Django and load the set: ``(args, evalset)``."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--dataset", help="a quality set (default: the repository's)")
    parser.add_argument("--runtime", default="onnx", choices=["onnx", "torch"])
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halasync.settings")
    os.environ["EMBEDDING_RUNTIME"] = args.runtime
    import django

    django.setup()
    from bench.quality.evalset import evalset_load

    return args, evalset_load(args.dataset)


def searchable_rows(evalset: Any, name: str) -> list[Any]:
    """The set's rows of source ``name`` that a search can return, as unsaved model
    instances (what the converters read)."""
    from journeys.models import JourneyTemplate
    from knowledge.models import KnowledgeReference

    model = {"knowledge": KnowledgeReference, "journeys": JourneyTemplate}[name]
    searchable = evalset.searchable_ids(name)
    return [
        model(**row, created_at=ROWS_STAMPED_AT, updated_at=ROWS_STAMPED_AT)
        for row in evalset.rows(name)
        if row["id"] in searchable
    ]


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows (or one vector) scaled to unit length; a zero row stays zero."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


class Cache:
    """Encodes each distinct text once per model."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray]) -> None:
        self.encode = encode
        self.vectors: dict[str, np.ndarray] = {}

    def fill(self, texts: list[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            for text, vector in zip(missing, self.encode(missing), strict=True):
                self.vectors[text] = vector

    def vectors_of(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dimension), in order."""
        self.fill(texts)
        return np.vstack([self.vectors[t] for t in texts])

    def combine(self, pieces: list[tuple[str, float]]) -> np.ndarray:
        """unit(sum of weight * unit vector of each piece)."""
        self.fill([t for t, _ in pieces])
        return unit(sum(w * self.vectors[t] for t, w in pieces))


def print_hits(
    results: dict[str, dict[str, float]],
    *,
    width: int,
    last: tuple[str, Callable[[dict[str, float]], str]],
) -> None:
    """One line per variant: its hit rate per query language in LANGS, then a last
    column (``last``: its header and how a variant's row renders it)."""
    header, render = last
    print(f"{'variant':{width}} " + " ".join(f"{lg:>5}" for lg in LANGS) + header)
    for label, scores in results.items():
        print(
            f"{label:{width}} "
            + " ".join(f"{scores.get(lg, 0):5.2f}" for lg in LANGS)
            + render(scores)
        )


def ceiling_and_misses(
    qs: list[Any],
    hits: dict[str, dict[str, list[bool]]],
    ids: list[str],
    reference: np.ndarray,
    k: int,
) -> tuple[dict[str, float], dict[str, list[int | None]]]:
    """Per query language: the share of queries that at least one variant finds (``hits``:
    variant -> language -> found, in query order), a per-query choice no system can make;
    and the rank of the first relevant row of each query that ``reference`` (queries x
    rows scores) misses in its first ``k`` (None: not ranked at all)."""
    from bench.quality.metrics import first_rank

    found_by_any: dict[str, list[bool]] = {}
    misses: dict[str, list[int | None]] = {}
    for qi, q in enumerate(qs):
        index = sum(1 for earlier in qs[:qi] if earlier.language == q.language)
        found = any(by_lang[q.language][index] for by_lang in hits.values())
        found_by_any.setdefault(q.language, []).append(found)
        ranked = [ids[j] for j in np.argsort(-reference[qi], kind="stable")]
        rank = first_rank(ranked, q.relevant)
        if rank is None or rank > k:
            misses.setdefault(q.language, []).append(rank)
    ceiling = {lang: sum(v) / len(v) for lang, v in found_by_any.items()}
    return ceiling, misses


def bench_documents(count: int) -> list[Any]:
    """``count`` synthetic bench rows (``bench.data``: 90% knowledge, 10% journeys) as
    documents, through the real converters."""
    import random
    from types import SimpleNamespace

    from bench import data
    from syncer.sources.journeys import journey_to_document
    from syncer.sources.knowledge import knowledge_to_document

    def document(convert: Callable[[Any], Any], row: dict[str, Any]) -> Any:
        stamps = {"created_at": ROWS_STAMPED_AT, "updated_at": ROWS_STAMPED_AT}
        return convert(SimpleNamespace(**{**stamps, **row}))

    return [
        document(knowledge_to_document, data.knowledge_row(n, random.Random(n)))
        for n in range(count - count // 10)
    ] + [
        document(journey_to_document, data.journey_row(n, random.Random(n)))
        for n in range(count // 10)
    ]


def alternating_rounds(jobs: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Seconds of each job in each round, the jobs alternating so that they see the same
    background load."""
    import time

    seconds: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(rounds):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            seconds[name].append(time.perf_counter() - start)
    return seconds
