"""``python -m bench.experiments.english_tokens [ROWS]``: how many MiniLM tokens the
English part of a document has (the text the default backend's MiniLM block reads), for the
benchmark's synthetic rows (``bench/data.py``, ROWS of them, default 1,000) and for the
quality set's rows, through the real converters. Counts are without any window ([CLS] and
[SEP] included); the whole text's median is printed beside them (what MiniLM alone reads).
Needs no database and no model runtime, only the tokenizer.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halasync.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-experiment-not-a-secret")
    import django

    django.setup()
    import numpy as np
    from tokenizers import Tokenizer

    from bench import data
    from bench.quality.evalset import SOURCES, evalset_load
    from syncer import onnx_minilm
    from syncer.embeddings.base import english_text
    from syncer.embeddings.composite import MINILM_MAX_TOKENS
    from syncer.sources.journeys import journey_to_document
    from syncer.sources.knowledge import knowledge_to_document

    tokenizer = Tokenizer.from_file(str(onnx_minilm._bundled_model_dir() / "tokenizer.json"))
    # tokenizer.json itself pads and cuts at 128: count the real tokens.
    tokenizer.no_truncation()
    tokenizer.no_padding()
    stamp = datetime(2026, 1, 1, tzinfo=UTC)

    def document(source: str, row: dict[str, Any]) -> Any:
        convert = knowledge_to_document if source == "knowledge" else journey_to_document
        return convert(SimpleNamespace(**{"created_at": stamp, "updated_at": stamp, **row}))

    def report(name: str, documents: list[Any]) -> None:
        english = [english_text(d.text, d.parts) for d in documents]
        counts = np.array([len(e.ids) for e in tokenizer.encode_batch(english)])
        whole = np.array([len(e.ids) for e in tokenizer.encode_batch([d.text for d in documents])])
        low, median, p90, high = np.percentile(counts, [0, 50, 90, 100]).astype(int)
        over = int((counts > MINILM_MAX_TOKENS).sum())
        print(
            f"{name:22} {len(counts):5} rows  English part min/median/p90/max "
            f"{low}/{median}/{p90}/{high}, over {MINILM_MAX_TOKENS}: {over}; "
            f"whole text median {int(np.median(whole))}"
        )

    rows = int(argv[0]) if argv else 1000
    report(
        "bench knowledge",
        [
            document("knowledge", data.knowledge_row(n, random.Random(n)))
            for n in range(rows - rows // 10)
        ],
    )
    report(
        "bench journeys",
        [document("journeys", data.journey_row(n, random.Random(n))) for n in range(rows // 10)],
    )
    evalset = evalset_load()
    for source in SOURCES:
        report(f"quality {source}", [document(source, row) for row in evalset.rows(source)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
