"""Levers on the default composite's search quality (issue 15), measured on a quality set.

    python -m bench.experiments.quality_levers [--dataset PATH] [--runtime onnx|torch]

Embeds the set's searchable rows through the real converters and every paraphrase query,
then ranks by plain cosine for each variant of:

- the text a document's USE block reads: the whole text (today), the mean of its
  per-language parts, a mix of both, or the whole text plus a weighted "head" (a
  knowledge reference's titles; a journey's goal keyword, goal and introduction);
- the text a document's MiniLM block reads (the English part today, or its head);
- the MiniLM weight on English queries (0.5..2) and the query language guess used to
  apply it (the guess of syncer/embeddings/language.py, or the query's true language:
  the ceiling a perfect guess could reach);
- over-fetch + rerank: the N nearest by USE alone, re-ranked by USE + w * MiniLM cosine
  for every query whatever its language.

Prints knowledge hit@5 / journeys hit@3 per language for each variant, and the language
guess's confusion on the set's queries. A variant is kept only if it wins across
languages and on both sets; the chosen one is then checked end to end with
``python -m bench.quality --config default``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.experiments.offline import HITS_AT, TARGETS, Cache, offline_setup, searchable_rows


def _mostly_arabic(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum("\u0600" <= ch <= "\u06ff" for ch in letters) * 2 >= len(letters)


def main(argv: list[str] | None = None) -> int:
    args, evalset = offline_setup("python -m bench.experiments.quality_levers", argv)
    from django.conf import settings

    from bench.quality.metrics import first_rank
    from syncer.embeddings.base import HEAD_PART, english_text
    from syncer.embeddings.language import query_language
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import UseEncoder
    from syncer.sources import SOURCES
    from syncer.sources.base import localized_texts, optional_text
    from syncer.sources.journeys import _full_json_sections

    use = Cache(UseEncoder().encode)
    minilm = Cache(
        MiniLMEncoder(runtime=args.runtime, cache_dir=settings.EMBEDDING_CACHE_DIR).encode
    )

    def head_of(name: str, row: Any) -> dict[str, str]:
        """Per language: a reference's title; a journey's goal and introduction (the
        goal keyword, language-less, under "und")."""
        if name == "knowledge":
            return localized_texts(row.title, "title")
        sections = list(_full_json_sections(row.full_json))[:2]
        head: dict[str, list[str]] = {}
        for section in sections:
            for lang, text in section.items():
                head.setdefault(lang, []).append(text)
        out = {lang: "\n".join(texts) for lang, texts in head.items()}
        if optional_text(row.goal_keyword):
            out["und"] = row.goal_keyword
        return out

    queries = [q for q in evalset.queries if q.kind == "paraphrase"]
    guessed = {q.id: query_language(q.text) for q in queries}
    confusion: dict[str, dict[str, int]] = {}
    for q in queries:
        confusion.setdefault(f"{q.source}/{q.language}", {}).setdefault(guessed[q.id] or "?", 0)
        confusion[f"{q.source}/{q.language}"][guessed[q.id] or "?"] += 1
    print("query language guess (true -> guessed):", confusion)
    use.fill([q.text for q in queries])
    minilm.fill([q.text for q in queries])

    def run_source(name: str) -> None:
        rows = searchable_rows(evalset, name)
        docs = [SOURCES[name].to_document(r) for r in rows]
        heads = [head_of(name, r) for r in rows]
        # Per-language parts only (the "head" part, now in journeys, is measured as `heads`).
        langs_of = [{k: v for k, v in d.parts.items() if k != HEAD_PART} for d in docs]
        ids = [d.id for d in docs]
        labels = ("Tags: ", "Category: ", "Source: ")
        unlabelled = [
            "\n".join(ln for ln in d.text.splitlines() if not ln.startswith(labels)) or d.text
            for d in docs
        ]
        no_arabic = [
            "\n".join(ln for ln in d.text.splitlines() if not _mostly_arabic(ln)) or d.text
            for d in docs
        ]

        def head_text(h: dict[str, str]) -> str:
            return "\n".join(h.values())

        use_views: dict[str, Callable[[int], list[tuple[str, float]]]] = {
            "text": lambda i: [(docs[i].text, 1.0)],
            "parts": lambda i: [(p, 1.0) for p in langs_of[i].values()] or [(docs[i].text, 1.0)],
            "text+parts": lambda i: (
                [(docs[i].text, 1.0)]
                + [(p, 1.0 / max(1, len(langs_of[i]))) for p in langs_of[i].values()]
            ),
            "text+.5head": lambda i: [(docs[i].text, 1.0), (head_text(heads[i]), 0.5)],
            "text+1head": lambda i: [(docs[i].text, 1.0), (head_text(heads[i]), 1.0)],
            "text+2head": lambda i: [(docs[i].text, 1.0), (head_text(heads[i]), 2.0)],
            "text+headlangs": lambda i: (
                [(docs[i].text, 1.0)]
                + [(t, 1.0 / max(1, len(heads[i]))) for t in heads[i].values()]
            ),
            "head-repeated": lambda i: [(head_text(heads[i]) + "\n" + docs[i].text, 1.0)],
            "parts+1head": lambda i: (
                [(p, 1.0) for p in langs_of[i].values()] + [(head_text(heads[i]), 1.0)]
            ),
            # The text without its labelled lines (Tags:, Category:, Source:): only the
            # words of the row itself (journeys: without the Tags: line).
            "text-labels": lambda i: [(unlabelled[i], 1.0)],
            # Without the Arabic-script lines (knowledge: contentAr, the verse itself).
            "text-arabic": lambda i: [(no_arabic[i], 1.0)],
        }
        minilm_views: dict[str, Callable[[int], list[tuple[str, float]]]] = {
            "en": lambda i: [(english_text(docs[i].text, langs_of[i]), 1.0)],
            "en+head": lambda i: [
                (english_text(docs[i].text, langs_of[i]), 1.0),
                (heads[i].get("en") or head_text(heads[i]), 1.0),
            ],
        }
        u = {
            k: np.vstack([use.combine(f(i)) for i in range(len(docs))])
            for k, f in use_views.items()
        }
        m = {
            k: np.vstack([minilm.combine(f(i)) for i in range(len(docs))])
            for k, f in minilm_views.items()
        }
        qs = [q for q in queries if q.source == name]
        qu = np.vstack([use.vectors[q.text] for q in qs])
        qm = np.vstack([minilm.vectors[q.text] for q in qs])
        langs = sorted({q.language for q in qs}, key=["en", "id", "ar"].index)

        def score(sims: np.ndarray) -> dict[str, float]:
            hits: dict[str, list[bool]] = {}
            for qi, q in enumerate(qs):
                ranked = [ids[j] for j in np.argsort(-sims[qi], kind="stable")[:10]]
                rank = first_rank(ranked, q.relevant)
                hits.setdefault(q.language, []).append(rank is not None and rank <= HITS_AT[name])
            return {lang: sum(v) / len(v) for lang, v in hits.items()}

        results: list[tuple[str, dict[str, float]]] = []
        for uv in use_views:
            for mv in minilm_views:
                for w_en in (0.0, 0.5, 0.75, 1.0, 1.5, 2.0):
                    for guess in ("guess", "true"):
                        if guess == "true" and (uv, mv) != ("text", "en"):
                            continue
                        lang_of = [guessed[q.id] if guess == "guess" else q.language for q in qs]
                        w = np.array([w_en if lg == "en" else 0.0 for lg in lang_of])
                        sims = qu @ u[uv].T + w[:, None] * (qm @ m[mv].T)
                        results.append(
                            (f"use={uv} minilm={mv} w_en={w_en} lang={guess}", score(sims))
                        )
        # Over-fetch + rerank (every query, whatever its language).
        for n in (10, 20):
            for w in (0.25, 0.5, 1.0):
                base = qu @ u["text"].T
                full = base + w * (qm @ m["en"].T)
                top = np.argsort(-base, axis=1)[:, :n]
                sims = np.full_like(base, -9.0)
                np.put_along_axis(sims, top, np.take_along_axis(full, top, axis=1), axis=1)
                results.append((f"rerank top{n} by USE+{w}*MiniLM (all langs)", score(sims)))

        print(
            f"\n== {name} (hit@{HITS_AT[name]}; {len(docs)} rows, {len(qs)} queries) "
            f"targets {TARGETS[name]}"
        )
        print(f"{'variant':60} " + " ".join(f"{lg:>5}" for lg in langs) + "   mean")
        for label, s in results:
            print(
                f"{label:60} "
                + " ".join(f"{s.get(lg, 0):5.2f}" for lg in langs)
                + f"  {np.mean([s[lg] for lg in langs]):5.3f}"
            )

    for name in ("knowledge", "journeys"):
        run_source(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
