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

CONFIGS: dict[str, dict[str, str]] = {
    # halasync as shipped: the settings' defaults (and the operator's .env, if any).
    "default": {},
    # all-MiniLM-L6-v2 pinned, so that it stays the baseline after the default changes.
    "minilm": {"EMBEDDING_MODEL": "all-MiniLM-L6-v2"},
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
