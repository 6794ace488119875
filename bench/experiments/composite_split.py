"""``python -m bench.experiments.composite_split [DOCS]``: where the default backend's
cold-sync embedding time goes, beside the torch baseline, in one process (issue 18).

Embeds DOCS synthetic rows (``bench.data``, through the real converters; default 96) with
USE on the whole text, ONNX MiniLM fp32 and int8 on the English part (what the composite
does), torch MiniLM on the whole text (the baseline) and ONNX fp32 on the whole text; three
rounds, the variants alternating, the median printed. Needs the torch set
(HALASYNC_EXTRAS=torch).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halasync.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-experiment-not-a-secret")
    import django

    django.setup()
    from bench.experiments.offline import alternating_rounds, bench_documents
    from syncer.embeddings import configured_cache_dir
    from syncer.embeddings.base import english_text
    from syncer.embeddings.minilm import MiniLMEncoder
    from syncer.embeddings.use import UseEncoder

    count = int(argv[0]) if argv else 96
    documents = bench_documents(count)
    texts = [d.text for d in documents]
    english = [english_text(d.text, d.parts) for d in documents]
    cache = configured_cache_dir()
    use = UseEncoder(cache_dir=cache)
    fp32 = MiniLMEncoder(runtime="onnx", cache_dir=cache, precision="fp32")
    int8 = MiniLMEncoder(runtime="onnx", cache_dir=cache, precision="int8")
    torch = MiniLMEncoder(runtime="torch", cache_dir=cache)
    for encoder in (use, fp32, int8, torch):
        encoder.load()
    jobs: dict[str, Callable[[], Any]] = {
        "use(text)": lambda: use.encode(texts),
        "onnx-fp32(en)": lambda: fp32.encode(english),
        "onnx-int8(en)": lambda: int8.encode(english),
        "torch(text)": lambda: torch.encode(texts),
        "onnx-fp32(text)": lambda: fp32.encode(texts),
    }
    seconds = alternating_rounds(jobs, 3)
    print(f"{count} documents, load average {os.getloadavg()[0]:.1f}")
    for name, runs in seconds.items():
        middle = sorted(runs)[1]
        print(f"{name:16} {middle:6.2f} s  {count / middle:6.1f} docs/s  runs {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
