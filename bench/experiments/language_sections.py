"""Language sections scored separately (issue 15): measured offline on a quality set.

    python -m bench.experiments.language_sections [--dataset PATH] [--runtime onnx|torch]
        [--json PATH]

Today the default composite embeds a row as ONE vector of its mixed-language text
(``[USE(text [+ head]), MiniLM(English part)]``). The lever measured here: each row's
language sections (``Document.parts``: id / en / ar / untagged, from the real converters)
embedded as vectors of their own, in two forms:

(a) **max over sections**: a row scores by its best section, ``max_s USE(q)·USE(s)``
    (+ ``w·MiniLM(q)·MiniLM(en)`` as today). In Chroma: several records per row (a
    companion collection of ``rowid#lang`` records, fused by max with over-fetch). Which
    vectors take part in the max: the sections alone, the sections plus today's
    whole-text (and head) vector, each section followed by the row's labelled lines
    (Tags:, Category:, Source:); and a blend ``today + λ·max``.
(b) **concatenated section blocks**: one vector per row, ``[USE(id), USE(en), USE(ar),
    MiniLM(en)]`` (a missing section's block filled with the whole text's vector, or left
    zero), the query replicated into each block with weight 1 on the block of its guessed
    language (``syncer/embeddings/language.py``) and β on the others (an unknown language
    weighs every block 1). No Chroma layout change; 3·512 + 384 = 1,920 dimensions. Also
    today's vector plus its own-language block (``today + λ·block``).

Every document and query is embedded once and ranked by exact numpy search over the set's
searchable rows (knowledge hit@5, journeys hit@3, per language), the same protocol as
``quality_levers.py``. A variant wins only if it wins across languages on the repository
set AND a held-out set kept outside the repository (give it with ``--dataset``). The
last line of each table is a ceiling, not a variant: the share of queries that at least one
variant finds, i.e. the best a per-query choice of document shape could do. Results:
docs/search.md ("Language sections scored separately").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import numpy as np

from bench.experiments.offline import (
    HITS_AT,
    LANGS,
    TARGETS,
    Cache,
    ceiling_and_misses,
    offline_setup,
    print_hits,
    searchable_rows,
    unit,
)

SECTION_LANGS = ("id", "en", "ar")
LANGS_B = SECTION_LANGS  # block order of form (b)


def _row_max(sims: np.ndarray, rows_of: np.ndarray, n: int) -> np.ndarray:
    """(queries, n) best score of each row over its vectors (``rows_of``: row of each)."""
    out = np.full((sims.shape[0], n), -9.0)
    np.maximum.at(out.T, rows_of, sims.T)
    return out


def _hits(
    sims: np.ndarray,
    row_norm: np.ndarray | None,
    qs: list,
    ids: list[str],
    k: int,
    first_rank: Callable,
) -> dict[str, list[bool]]:
    """Per query language, whether each query finds a relevant row in its first k.
    ``row_norm``: each row's vector length before Chroma's cosine divides by it (form (b)
    with zero blocks); None where every row has the same length."""
    if row_norm is not None:
        sims = sims / row_norm[None, :]
    hits: dict[str, list[bool]] = {}
    for qi, q in enumerate(qs):
        ranked = [ids[j] for j in np.argsort(-sims[qi], kind="stable")[:k]]
        hits.setdefault(q.language, []).append(first_rank(ranked, q.relevant) is not None)
    return hits


def main(argv: list[str] | None = None) -> int:
    args, evalset = offline_setup(
        "python -m bench.experiments.language_sections",
        argv,
        lambda parser: parser.add_argument("--json", help="also write the results to this file"),
    )
    from django.conf import settings

    from bench.quality.metrics import first_rank
    from syncer.embeddings.base import HEAD_PART, english_text
    from syncer.embeddings.language import query_language
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import HEAD_WEIGHT, UseEncoder
    from syncer.sources import SOURCES

    use = Cache(UseEncoder(cache_dir=settings.EMBEDDING_CACHE_DIR).encode)
    minilm = Cache(
        MiniLMEncoder(runtime=args.runtime, cache_dir=settings.EMBEDDING_CACHE_DIR).encode
    )
    queries = [q for q in evalset.queries if q.kind == "paraphrase"]
    results: dict[str, dict[str, dict[str, float]]] = {}

    for name in ("knowledge", "journeys"):
        docs = [SOURCES[name].to_document(row) for row in searchable_rows(evalset, name)]
        ids = [d.id for d in docs]
        n = len(docs)
        qs = [q for q in queries if q.source == name]
        guess = [query_language(q.text) for q in qs]
        qu = use.vectors_of([q.text for q in qs])
        qm = minilm.vectors_of([q.text for q in qs])
        w_en = np.array([1.0 if g == "en" else 0.0 for g in guess])

        # Today's document vectors (syncer/embeddings/use.py, composite.py).
        text_u = use.vectors_of([d.text for d in docs])
        head_u = np.zeros_like(text_u)
        for i, d in enumerate(docs):
            if d.parts.get(HEAD_PART, "").strip():
                head_u[i] = use.vectors_of([d.parts[HEAD_PART]])[0]
        today_u = unit(text_u + HEAD_WEIGHT * head_u)
        en_m = minilm.vectors_of([english_text(d.text, d.parts) for d in docs])
        minilm_score = w_en[:, None] * (qm @ en_m.T)  # (queries, rows)

        # Sections: each language part (untagged text counted as a section of its own).
        sections: list[tuple[int, str, str]] = []  # (row, language, text)
        for i, d in enumerate(docs):
            for lang, text in d.parts.items():
                if lang != HEAD_PART and text.strip():
                    sections.append((i, lang, text))
        sec_u = use.vectors_of([t for _, _, t in sections])
        sec_row = np.array([i for i, _, _ in sections])
        sec_sims = qu @ sec_u.T  # (queries, sections)
        # The same sections, each followed by the row's labelled lines (Tags:, Category:,
        # Source:), which carry meaning but belong to no language (quality_levers.py).
        labels = ("Tags: ", "Category: ", "Source: ")
        labelled = [
            "\n".join(ln for ln in d.text.splitlines() if ln.startswith(labels)) for d in docs
        ]
        lab_u = use.vectors_of([f"{t}\n{labelled[i]}".strip() for i, _, t in sections])
        lab_sims = qu @ lab_u.T

        max_sections = _row_max(sec_sims, sec_row, n)
        max_labelled = _row_max(lab_sims, sec_row, n)
        s_today = qu @ today_u.T
        s_text = qu @ text_u.T
        s_head = np.where(np.any(head_u, axis=1)[None, :], qu @ head_u.T, -9.0)

        norms: dict[str, np.ndarray] = {}
        variants: dict[str, np.ndarray] = {
            "today (text + head, one vector)": s_today,
            "today without head": s_text,
            "(a) max over sections": max_sections,
            "(a) max over sections + text": np.maximum(max_sections, s_text),
            "(a) max over sections + today": np.maximum(max_sections, s_today),
            "(a) max over sections + text + head": np.maximum.reduce(
                [max_sections, s_text, s_head]
            ),
        }
        variants["(a) max over sections with labels"] = max_labelled
        variants["(a) max over sections with labels + today"] = np.maximum(max_labelled, s_today)
        for lam in (0.25, 0.5, 1.0):
            variants[f"(a') today + {lam}*max over sections"] = s_today + lam * max_sections

        # (b) concatenated blocks [USE(id), USE(en), USE(ar)] with per-language query
        # weights: score = sum_l alpha_l * USE(q)·block_l (MiniLM block as today).
        block = {lang: {} for lang in SECTION_LANGS}
        for (i, lang, _), vec in zip(sections, sec_u, strict=True):
            if lang in block:
                block[lang][i] = vec
        for fill in ("text", "today", "zero"):
            fill_vec = {"text": text_u, "today": today_u, "zero": np.zeros_like(text_u)}[fill]
            blocks = {
                lang: np.vstack([block[lang].get(i, fill_vec[i]) for i in range(n)])
                for lang in SECTION_LANGS
            }
            per_block = {lang: qu @ blocks[lang].T for lang in SECTION_LANGS}
            for beta in (0.0, 0.25, 0.5, 1.0):
                alpha = np.array(
                    [
                        [1.0 if (g == lang or g not in SECTION_LANGS) else beta for lang in LANGS_B]
                        for g in guess
                    ]
                )  # (queries, 3): 1 on the guessed language's block, beta on the others
                total = sum(alpha[:, k, None] * per_block[lang] for k, lang in enumerate(LANGS_B))
                norm = np.sqrt((alpha**2).sum(axis=1))[:, None]  # the query's vector norm
                # The MiniLM block's weight relative to the USE blocks is kept as today
                # (one unit USE block against one MiniLM block) by dividing by the norm.
                variants[f"(b) blocks fill={fill} beta={beta}"] = total / norm
                if fill == "zero":
                    present = sum((np.abs(blocks[lang]).sum(axis=1) > 0) for lang in LANGS_B)
                    norms[f"(b) blocks fill={fill} beta={beta}"] = np.sqrt(present + 1.0)
            for with_today in (0.5, 1.0):
                alpha = np.array(
                    [
                        [1.0 if (g == lang or g not in SECTION_LANGS) else 0.0 for lang in LANGS_B]
                        for g in guess
                    ]
                )
                total = sum(alpha[:, k, None] * per_block[lang] for k, lang in enumerate(LANGS_B))
                variants[f"(b) today + {with_today}*own-language block fill={fill}"] = (
                    s_today + with_today * total
                )
        hits = {
            label: _hits(v + minilm_score, norms.get(label), qs, ids, HITS_AT[name], first_rank)
            for label, v in variants.items()
        }
        results[name] = {
            label: {lang: sum(h) / len(h) for lang, h in by_lang.items()}
            for label, by_lang in hits.items()
        }
        # Ceiling: a query counts when ANY variant above finds it (a per-query choice of
        # document shape no system can make); and where today's misses rank.
        ceiling, miss_ranks = ceiling_and_misses(
            qs, hits, ids, s_today + minilm_score, HITS_AT[name]
        )
        results[name]["ceiling: any variant per query"] = ceiling
        print(
            f"\n== {name} (hit@{HITS_AT[name]}; {n} rows, {len(sections)} sections, "
            f"{len(qs)} queries) targets {TARGETS[name]}"
        )
        print_hits(
            results[name],
            width=58,
            last=("   mean", lambda s: f"  {np.mean([s.get(lg, 0) for lg in LANGS]):5.3f}"),
        )
        print("today's misses, rank of the first relevant row:", miss_ranks)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"dataset": evalset.name, "results": results}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
