"""The configurations the quality benchmark can evaluate, by name (``--config NAME``).

A configuration is a small dict of halasync settings overrides, given to a child process
as environment variables (``halasync/settings.py`` is the one place that reads them), so
anything a setting selects at import time is honoured as in production. An embedding
backend or a search strategy added later is one entry here, e.g.
``"e5-hybrid": {"EMBEDDING_MODEL": "multilingual-e5-small", "SEARCH_STRATEGY": "rrf"}``.
Values are strings, as in the environment. Every configuration is synced into its own
Chroma directory; settings that no configuration names keep the benchmark's environment.
"""

from __future__ import annotations

COMPOSITE = "use-multilingual-v3+all-MiniLM-L6-v2"

CONFIGS: dict[str, dict[str, str]] = {
    # halasync as shipped: the settings' defaults (and the operator's .env, if any).
    "default": {},
    # all-MiniLM-L6-v2 on torch, pinned: the baseline of issue 15 and of the benchmark.
    "minilm": {"EMBEDDING_MODEL": "all-MiniLM-L6-v2", "EMBEDDING_RUNTIME": "torch"},
    # The same model on ONNX Runtime, fp32 and int8: int8 is accepted only where every
    # language's hit@5 is within 0.02 of fp32 (issue 18).
    "minilm-onnx": {
        "EMBEDDING_MODEL": "all-MiniLM-L6-v2",
        "EMBEDDING_RUNTIME": "onnx",
        "EMBEDDING_ONNX_PRECISION": "fp32",
    },
    "minilm-onnx-int8": {
        "EMBEDDING_MODEL": "all-MiniLM-L6-v2",
        "EMBEDDING_RUNTIME": "onnx",
        "EMBEDDING_ONNX_PRECISION": "int8",
    },
    # Google USE multilingual v3 alone (pure numpy).
    "use-multilingual-v3": {"EMBEDDING_MODEL": "use-multilingual-v3"},
    # The default backend, named, with ONNX MiniLM in fp32 and in int8 (the int8 gate),
    # and with MiniLM on torch.
    "use+minilm": {
        "EMBEDDING_MODEL": COMPOSITE,
        "EMBEDDING_RUNTIME": "onnx",
        "EMBEDDING_ONNX_PRECISION": "fp32",
    },
    "use+minilm-int8": {
        "EMBEDDING_MODEL": COMPOSITE,
        "EMBEDDING_RUNTIME": "onnx",
        "EMBEDDING_ONNX_PRECISION": "int8",
    },
    "use+minilm-torch": {"EMBEDDING_MODEL": COMPOSITE, "EMBEDDING_RUNTIME": "torch"},
    # multilingual-e5-small, 4-bit (optional: requirements-e5.txt).
    "multilingual-e5-small-q4": {"EMBEDDING_MODEL": "multilingual-e5-small-q4"},
    # The declared test embedder: a floor (bag of hashed words), not a candidate.
    "hashing-test": {"EMBEDDING_MODEL": "hashing-test"},
}


def config_overrides(name: str) -> dict[str, str]:
    """The overrides of the named configuration; ValueError naming the known ones."""
    try:
        return dict(CONFIGS[name])
    except KeyError:
        raise ValueError(
            f"unknown configuration {name!r}; choose from: {', '.join(CONFIGS)}"
        ) from None


def overridden_settings() -> list[str]:
    """Every setting some configuration overrides: reported for each configuration, and
    removed from a configuration's environment unless it sets them itself."""
    return sorted({key for overrides in CONFIGS.values() for key in overrides})
