"""USE's generic direction: derive it, and measure taking it out of queries (issue 15).

    python -m bench.experiments.generic_direction [--dataset PATH] [--runtime onnx|torch]
    python -m bench.experiments.generic_direction --write [--rows 1000]

The generic direction ``g`` is the unit mean of USE's vectors of the benchmark's synthetic
rows (``bench.data``: domain words in English, Indonesian and Arabic, a topic-less
wellbeing text). ``--write`` derives it from ``--rows`` rows and writes it where
``syncer/embeddings/use.py`` reads it (``GENERIC_DIRECTION_PATH``), printing its cosine
with the previous one. It is derived from no quality set, so a quality set measures it.

Quality (the default): every searchable row of a quality set (through the real converters)
and every paraphrase query embedded once, ranked by exact numpy search as the default
composite ranks (``USE(d)·q + w·MiniLM(en)·MiniLM(q)``, ``w`` 1 for a query guessed
English), knowledge hit@5 and journeys hit@3 per language, for the query ``q``:

- ``USE(q)`` and ``unit(USE(q) - b·g)`` for a grid of ``b``, for every query and for
  non-English guesses only (the shipped weight of each source is marked: use.py,
  ``GENERIC_WEIGHTS``);
- the set's own mean document vector in place of ``g`` (what a corpus-fitted direction
  would give: not shippable, a collection's mean moves with every sync);
- the projection on ``g`` removed (``q - (q·g) g``), from the query and from both sides.

A weight wins only if it wins across languages on the repository set AND on a held-out
set kept outside the repository (``--dataset``). Results: docs/search.md.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from bench.experiments.offline import (
    HITS_AT,
    LANGS,
    TARGETS,
    Cache,
    bench_documents,
    offline_setup,
    print_hits,
    searchable_rows,
    unit,
)

WEIGHTS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
DERIVE_ROWS = 1000


def _arguments(parser: Any) -> None:
    parser.add_argument("--write", action="store_true", help="derive g and write it")
    parser.add_argument("--rows", type=int, default=DERIVE_ROWS, help="bench rows to derive g")


def derive(encode: Any, rows: int) -> np.ndarray:
    """The unit mean of ``encode`` over ``rows`` synthetic bench rows' texts."""
    texts = [d.text for d in bench_documents(rows)]
    return unit(np.asarray(encode(texts), dtype=np.float64).mean(axis=0)).astype(np.float32)


def _hit_rates(scores: np.ndarray, qs: list, ids: list[str], k: int) -> dict[str, float]:
    from bench.quality.metrics import first_rank

    found: dict[str, list[bool]] = {}
    for qi, q in enumerate(qs):
        ranked = [ids[j] for j in np.argsort(-scores[qi], kind="stable")[:k]]
        found.setdefault(q.language, []).append(first_rank(ranked, q.relevant) is not None)
    return {lang: sum(v) / len(v) for lang, v in found.items()}


def main(argv: list[str] | None = None) -> int:
    args, evalset = offline_setup("python -m bench.experiments.generic_direction", argv, _arguments)
    from django.conf import settings

    from syncer.embeddings.base import HEAD_PART, english_text
    from syncer.embeddings.composite import query_weight
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import (
        GENERIC_DIRECTION_PATH,
        GENERIC_WEIGHT,
        GENERIC_WEIGHTS,
        HEAD_WEIGHT,
        UseEncoder,
    )
    from syncer.sources import SOURCES

    use_encoder = UseEncoder(cache_dir=settings.EMBEDDING_CACHE_DIR)
    if args.write:
        g = derive(use_encoder.encode, args.rows)
        if GENERIC_DIRECTION_PATH.exists():
            before = np.load(GENERIC_DIRECTION_PATH)
            print(f"cosine with the previous direction: {float(before @ g):.6f}")
        np.save(GENERIC_DIRECTION_PATH, g)
        print(f"wrote {GENERIC_DIRECTION_PATH} from {args.rows} bench rows")
        return 0

    g = np.load(GENERIC_DIRECTION_PATH)
    use = Cache(use_encoder.encode)
    minilm = Cache(
        MiniLMEncoder(runtime=args.runtime, cache_dir=settings.EMBEDDING_CACHE_DIR).encode
    )
    queries = [q for q in evalset.queries if q.kind == "paraphrase"]
    for name in ("knowledge", "journeys"):
        docs = [SOURCES[name].to_document(row) for row in searchable_rows(evalset, name)]
        ids = [d.id for d in docs]
        qs = [q for q in queries if q.source == name]
        # The passages as the default embeds them (use.py, composite.py).
        text_u = use.vectors_of([d.text for d in docs])
        for i, d in enumerate(docs):
            if d.parts.get(HEAD_PART, "").strip():
                text_u[i] = text_u[i] + HEAD_WEIGHT * use.vectors_of([d.parts[HEAD_PART]])[0]
        passages = unit(text_u)
        weights = np.array([query_weight(q.text) for q in qs])[:, None]
        minilm_score = weights * (
            minilm.vectors_of([q.text for q in qs])
            @ minilm.vectors_of([english_text(d.text, d.parts) for d in docs]).T
        )
        raw = use.vectors_of([q.text for q in qs])
        not_english = (weights == 0).astype(float)

        def ranked_by(query_vectors: np.ndarray, docs_u: np.ndarray = passages) -> np.ndarray:
            return unit(query_vectors) @ docs_u.T + minilm_score

        shipped = GENERIC_WEIGHTS.get(name, 0.0)
        variants = {"USE(q)" + (" (shipped)" if not shipped else ""): ranked_by(raw)}
        for b in WEIGHTS:
            mark = " (shipped)" if b == shipped else ""
            variants[f"USE(q) - {b}*g{mark}"] = ranked_by(raw - b * g)
            variants[f"USE(q) - {b}*g, non-English only"] = ranked_by(raw - not_english * b * g)
        own = unit(passages.mean(axis=0))
        variants[f"USE(q) - {GENERIC_WEIGHT}*(the set's own mean)"] = ranked_by(
            raw - GENERIC_WEIGHT * own
        )
        variants["projection on g removed from q"] = ranked_by(raw - (raw @ g)[:, None] * g)
        variants["projection on g removed from q and d"] = ranked_by(
            raw - (raw @ g)[:, None] * g, unit(passages - (passages @ g)[:, None] * g)
        )
        results = {
            label: _hit_rates(scores, qs, ids, HITS_AT[name]) for label, scores in variants.items()
        }
        print(
            f"\n== {name} (hit@{HITS_AT[name]}; {len(docs)} rows, {len(qs)} queries) "
            f"targets {TARGETS[name]}"
        )
        print_hits(
            results,
            width=44,
            last=("   mean", lambda s: f"  {np.mean([s.get(lg, 0) for lg in LANGS]):5.3f}"),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
