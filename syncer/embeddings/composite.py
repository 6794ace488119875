"""The default: USE multilingual v3 and all-MiniLM-L6-v2 side by side in one vector.

A document is ``[USE(text), MiniLM(English part)]``, each block unit length (the English
part: ``Document.parts["en"]``, or the text when the row has no English; USE adds the
row's head part when its source declares one, see ``UseEncoder.encode_documents``); a query
``[USE's query vector (use.py: the generic direction taken out), w * MiniLM(q)]`` where ``w`` depends on the query's guessed language: MiniLM
is English-trained, its block helps English queries and is noise for the others. With
unit blocks the cosine ranks documents by ``USE·USE + w * MiniLM·MiniLM``. Chosen and
tuned on the quality benchmark across every language at once
(bench/experiments/composite_weights.py; docs/embeddings.md).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from syncer.embeddings.base import EmbeddingBackend, RecentQueries, english_text, unit_rows
from syncer.embeddings.language import query_language
from syncer.embeddings.minilm import MiniLMEncoder
from syncer.embeddings.use import UseEncoder

# Weight of the MiniLM block in a query, by the query's guessed language. Measured with
# weights 0-3 (English) and 0-1 (others): English 1.0 and others 0 ranked best in every
# language; any MiniLM weight on Indonesian or Arabic queries lost hit@5 there.
ENGLISH_QUERY_WEIGHT = 1.0
OTHER_QUERY_WEIGHT = 0.0
# MiniLM reads the first 128 tokens of the English part instead of its own 256. The
# English part is what its block scores, and it is short: on the quality set's rows the
# median is 46-64 tokens and only one of 157 passes 128; the benchmark's journeys (~153)
# are the long ones. Cost and quality measured on both: docs/performance.md, "MiniLM's
# window". Part of the model record (``describe``): a change asks for a rebuild.
MINILM_MAX_TOKENS = 128


class CompositeBackend(EmbeddingBackend):
    name = "use-multilingual-v3+all-MiniLM-L6-v2"
    dimension = UseEncoder.dimension + MiniLMEncoder.dimension

    def __init__(self, *, runtime: str, cache_dir: Path, precision: str = "fp32") -> None:
        super().__init__()
        self.use = UseEncoder(cache_dir=cache_dir)
        self.minilm = MiniLMEncoder(
            runtime=runtime, cache_dir=cache_dir, precision=precision, max_tokens=MINILM_MAX_TOKENS
        )
        self._recent = RecentQueries()

    def _load(self) -> None:
        self.use.load()
        self.minilm.load()

    def _embed_documents(self, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray:
        english = [english_text(text, p) for text, p in zip(texts, parts, strict=True)]
        # USE runs on one BLAS thread (use.py): on a second thread it embeds while ONNX
        # Runtime runs MiniLM here, instead of after it (both release the GIL in their
        # matrix products). A thread per call: no idle thread to outlive a fork, and
        # leaving the block waits for USE even when MiniLM failed.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="halasync-use") as pool:
            use = pool.submit(self.use.encode_documents, texts, parts)
            minilm = self.minilm.encode(english)
            return unit_rows(np.hstack([use.result(), minilm]))

    def _embed_queries(self, texts: list[str], source: str | None) -> np.ndarray:
        use = self.use.encode_queries(texts, source)
        minilm = self._recent.encode(texts, self.minilm.encode)
        weights = np.array([[query_weight(text)] for text in texts], dtype=np.float32)
        return unit_rows(np.hstack([use, minilm * weights]))

    def describe(self) -> dict[str, Any]:
        return {
            **super().describe(),
            "runtime": self.minilm.runtime,
            "precision": self.minilm.precision,
            "max_tokens": self.minilm.max_tokens,
        }


def query_weight(text: str) -> float:
    return ENGLISH_QUERY_WEIGHT if query_language(text) == "en" else OTHER_QUERY_WEIGHT
