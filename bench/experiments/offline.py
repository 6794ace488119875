"""What the offline quality experiments share: their command line, Django, the set's rows.

An offline experiment embeds a quality set's searchable rows (through the real converters)
and its queries once, then ranks by exact numpy search for each variant it measures
(``composite_weights``, ``quality_levers``, ``language_sections``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np

# Source rows get fixed timestamps: nothing an experiment measures depends on them.
ROWS_STAMPED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def offline_setup(
    prog: str,
    argv: list[str] | None,
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> tuple[argparse.Namespace, Any]:
    """Parse ``--dataset`` and ``--runtime`` (and what ``add_arguments`` adds), set the
    MiniLM runtime, start Django and load the set: ``(args, evalset)``."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--dataset", help="a quality set (default: the repository's)")
    parser.add_argument("--runtime", default="onnx", choices=["onnx", "torch"])
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halasync.settings")
    os.environ["EMBEDDING_RUNTIME"] = args.runtime
    import django

    django.setup()
    from bench.quality.evalset import evalset_load

    return args, evalset_load(args.dataset)


def searchable_rows(evalset: Any, name: str) -> list[Any]:
    """The set's rows of source ``name`` that a search can return, as unsaved model
    instances (what the converters read)."""
    from journeys.models import JourneyTemplate
    from knowledge.models import KnowledgeReference

    model = {"knowledge": KnowledgeReference, "journeys": JourneyTemplate}[name]
    searchable = evalset.searchable_ids(name)
    return [
        model(**row, created_at=ROWS_STAMPED_AT, updated_at=ROWS_STAMPED_AT)
        for row in evalset.rows(name)
        if row["id"] in searchable
    ]


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows (or one vector) scaled to unit length; a zero row stays zero."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


class Cache:
    """Encodes each distinct text once per model."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray]) -> None:
        self.encode = encode
        self.vectors: dict[str, np.ndarray] = {}

    def fill(self, texts: list[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            for text, vector in zip(missing, self.encode(missing), strict=True):
                self.vectors[text] = vector

    def vectors_of(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dimension), in order."""
        self.fill(texts)
        return np.vstack([self.vectors[t] for t in texts])

    def combine(self, pieces: list[tuple[str, float]]) -> np.ndarray:
        """unit(sum of weight * unit vector of each piece)."""
        self.fill([t for t, _ in pieces])
        return unit(sum(w * self.vectors[t] for t, w in pieces))
