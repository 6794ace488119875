"""How to combine USE multilingual v3 and all-MiniLM-L6-v2, measured on the quality set.

    python -m bench.experiments.composite_weights [--dataset PATH] [--runtime onnx|torch]

Embeds the evaluation set's rows once (through the real converters, so with their
``Document.parts``) and every query, block by block, then ranks by plain cosine for each
variant: how a document's USE block is built (parts mean or whole text), which text the
MiniLM block reads (English part or whole text), and the MiniLM weight per guessed query
language. Prints knowledge hit@5 and journeys hit@3 per language for each variant; the
one that wins must win across languages. The chosen variant is then checked end to end
with ``python -m bench.quality --config default``.
"""

from __future__ import annotations

import itertools
import json
import sys
from typing import Any

import numpy as np

from bench.experiments.offline import offline_setup, searchable_rows


def _parts_mean(use: Any, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray:
    """A document as the normalized mean of its parts' USE vectors (its text without)."""
    pieces = [[p for p in row.values() if p.strip()] or [t] for t, row in zip(texts, parts)]
    vectors = use.encode([piece for row in pieces for piece in row])
    means, start = [], 0
    for row in pieces:
        means.append(vectors[start : start + len(row)].mean(axis=0))
        start += len(row)
    return np.vstack(means) / np.linalg.norm(np.vstack(means), axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> int:
    args, evalset = offline_setup(
        "python -m bench.experiments.composite_weights",
        argv,
        lambda parser: parser.add_argument("--json", action="store_true"),
    )
    from django.conf import settings

    from bench.quality.metrics import first_rank
    from syncer.embeddings.base import english_text
    from syncer.embeddings.language import query_language
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import UseEncoder
    from syncer.sources import SOURCES

    use = UseEncoder()
    minilm = MiniLMEncoder(runtime=args.runtime, cache_dir=settings.EMBEDDING_CACHE_DIR)
    blocks: dict[str, dict[str, Any]] = {}
    for name in ("knowledge", "journeys"):
        documents = [SOURCES[name].to_document(row) for row in searchable_rows(evalset, name)]
        texts = [d.text for d in documents]
        parts = [dict(d.parts) for d in documents]
        with_text = [{**p, "\x00text": t} for t, p in zip(texts, parts)]
        blocks[name] = {
            "use_mix": _parts_mean(use, texts, with_text),
            "ids": [d.id for d in documents],
            "use_parts": _parts_mean(use, texts, parts),
            "use_text": use.encode(texts),
            "minilm_en": minilm.encode([english_text(t, p) for t, p in zip(texts, parts)]),
            "minilm_text": minilm.encode(texts),
        }
    queries = [q for q in evalset.queries if q.kind == "paraphrase"]
    q_use = use.encode([q.text for q in queries])
    q_minilm = minilm.encode([q.text for q in queries])
    guessed = [query_language(q.text) for q in queries]
    hits_at = {"knowledge": 5, "journeys": 3}
    results = []
    weights = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]
    for use_doc, minilm_doc, w_en, w_other in itertools.product(
        ("use_parts", "use_text", "use_mix"), ("minilm_en", "minilm_text"), weights, [0.0, 0.5]
    ):
        scores: dict[str, list[bool]] = {}
        for i, query in enumerate(queries):
            b = blocks[query.source]
            w = w_en if guessed[i] == "en" else w_other
            sim = b[use_doc] @ q_use[i] + w * (b[minilm_doc] @ q_minilm[i])
            ranked = [b["ids"][j] for j in np.argsort(-sim)[:10]]
            rank = first_rank(ranked, query.relevant)
            key = f"{query.source}/{query.language}"
            scores.setdefault(key, []).append(rank is not None and rank <= hits_at[query.source])
        row = {"use": use_doc, "minilm": minilm_doc, "w_en": w_en, "w_other": w_other}
        row.update({key: round(sum(v) / len(v), 3) for key, v in sorted(scores.items())})
        row["min_gap"] = min(
            row[f"knowledge/{lang}"] - target
            for lang, target in (("en", 0.95), ("id", 0.90), ("ar", 0.75))
        )
        results.append(row)
    results.sort(key=lambda r: -sum(v for k, v in r.items() if "/" in k))
    if args.json:
        print(json.dumps(results))
    else:
        keys = [k for k in results[0] if "/" in k]
        print(
            "use        minilm       w_en w_oth  "
            + "  ".join(k.replace("knowledge", "kn").replace("journeys", "jo") for k in keys)
        )
        for r in results[:25]:
            print(
                f"{r['use']:10} {r['minilm']:12} {r['w_en']:4} {r['w_other']:4}   "
                + "  ".join(f"{r[k]:.2f}".rjust(5) for k in keys)
            )
        print(
            f"guessed query languages: { {l: guessed.count(l) for l in set(guessed)} }",
            file=sys.stderr,
        )
        langs = {}
        for q, g in zip(queries, guessed):
            langs.setdefault(q.language, {}).setdefault(g, 0)
            langs[q.language][g] += 1
        print(f"true -> guessed: {langs}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
