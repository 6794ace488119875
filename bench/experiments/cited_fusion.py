"""Journeys ranked with the knowledge references they cite (issue 15), offline.

    python -m bench.experiments.cited_fusion [--dataset PATH] [--runtime onnx|torch]

Every searchable row of a quality set (through the real converters) and every journey
paraphrase query embedded once, ranked as the default ranks (``syncer/services/search.py``:
journeys by the plain question, knowledge references by the knowledge question with
USE's generic direction taken out). A journey's fused score is reciprocal rank fusion
(k = 60) of its own rank among the ``M`` nearest journeys and the best rank, among the
``N`` nearest knowledge references, of a reference its steps cite
(``journey_cited_references``); journeys beyond ``M`` are not ranked (search over-fetches
``M`` from Chroma). Printed per query language: hit@1, hit@3 (the target's cut-off) and
MRR@10, for no fusion and a grid of ``N`` and ``M``. Results: docs/search.md.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from bench.experiments.offline import LANGS, Cache, offline_setup, searchable_rows, unit

GRID_N = (3, 5, 10, 20)
GRID_M = (10, 30)
RRF_K = 60


def _rates(scores: np.ndarray, qs: list, ids: list[str]) -> str:
    from bench.quality.metrics import first_rank

    by_lang: dict[str, list[int | None]] = {}
    for qi, q in enumerate(qs):
        ranked = [ids[j] for j in np.argsort(-scores[qi], kind="stable") if scores[qi, j] > -1]
        by_lang.setdefault(q.language, []).append(first_rank(ranked, q.relevant))
    cells = []
    for lang in LANGS:
        ranks = by_lang.get(lang, [])
        n = len(ranks) or 1
        hit1 = sum(r == 1 for r in ranks) / n
        hit3 = sum(r is not None and r <= 3 for r in ranks) / n
        mrr = sum(1 / r for r in ranks if r and r <= 10) / n
        cells.append(f"{lang} {hit1:.2f} / {hit3:.2f} / {mrr:.3f}")
    return "   ".join(cells)


def main(argv: list[str] | None = None) -> int:
    args, evalset = offline_setup("python -m bench.experiments.cited_fusion", argv)
    from django.conf import settings

    from syncer.embeddings.base import HEAD_PART, english_text
    from syncer.embeddings.composite import query_weight
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import (
        GENERIC_WEIGHTS,
        HEAD_WEIGHT,
        UseEncoder,
        generic_direction_load,
    )
    from syncer.sources import SOURCES
    from syncer.sources.journeys import journey_cited_references

    generic = generic_direction_load()
    use = Cache(UseEncoder(cache_dir=settings.EMBEDDING_CACHE_DIR).encode)
    minilm = Cache(
        MiniLMEncoder(runtime=args.runtime, cache_dir=settings.EMBEDDING_CACHE_DIR).encode
    )
    qs = [q for q in evalset.queries if q.kind == "paraphrase" and q.source == "journeys"]
    texts = [q.text for q in qs]

    def ranked(name: str) -> tuple[list[Any], list[str], np.ndarray]:
        """The source's documents, ids and (queries x rows) scores as the default ranks."""
        docs = [SOURCES[name].to_document(row) for row in searchable_rows(evalset, name)]
        vectors = use.vectors_of([d.text for d in docs])
        for i, d in enumerate(docs):
            if d.parts.get(HEAD_PART, "").strip():
                vectors[i] = vectors[i] + HEAD_WEIGHT * use.vectors_of([d.parts[HEAD_PART]])[0]
        weights = np.array([query_weight(t) for t in texts])[:, None]
        minilm_score = weights * (
            minilm.vectors_of(texts)
            @ minilm.vectors_of([english_text(d.text, d.parts) for d in docs]).T
        )
        question = use.vectors_of(texts) - GENERIC_WEIGHTS.get(name, 0.0) * generic
        return docs, [d.id for d in docs], unit(question) @ unit(vectors).T + minilm_score

    journeys, journey_ids, own = ranked("journeys")
    _, knowledge_ids, knowledge = ranked("knowledge")
    cited = [journey_cited_references(d.metadata) for d in journeys]
    print(
        f"{evalset.name}: {len(journeys)} journeys ({sum(1 for c in cited if c)} cite "
        f"references), {len(qs)} queries; per language hit@1 / hit@3 / MRR@10"
    )
    print(f"{'no fusion':18} {_rates(own, qs, journey_ids)}")
    for m in GRID_M:
        for n in GRID_N:
            fused = np.full_like(own, -2.0)
            for qi in range(len(qs)):
                order = np.argsort(-own[qi], kind="stable")[:m]
                near = np.argsort(-knowledge[qi], kind="stable")[:n]
                rank_of = {knowledge_ids[j]: r for r, j in enumerate(near, start=1)}
                for r, j in enumerate(order, start=1):
                    ranks = [rank_of[c] for c in cited[j] if c in rank_of]
                    fused[qi, j] = 1 / (RRF_K + r) + (1 / (RRF_K + min(ranks)) if ranks else 0)
            print(f"{f'M={m} N={n}':18} {_rates(fused, qs, journey_ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
