"""What ``--rebuild`` runs that were killed leave behind, and its clean-up.

A rebuild builds ``<collection>-rebuild-<run>``, marks it complete after its last write
(``collection_mark_complete``), renames the live collection to
``<collection>-retired-<run>``, renames the rebuilt one into place and drops the retired
one. Killed on the way, it leaves some of these. The next run of the source (and
``sync verify --repair``, and a single-record sync that finds its collection missing)
puts a complete rebuilt collection in place when the live one is gone, and drops the rest:
an unfinished build is never put in place.
"""

from __future__ import annotations

import logging

from syncer.retry import error_line
from syncer.sources import Source
from syncer.store import (
    collection_drop,
    collection_leftovers,
    collection_names,
    collection_swap_resume,
)

logger = logging.getLogger(__name__)


def leftovers_drop(source: Source) -> list[str]:
    """Drop the collections that rebuilds of ``source`` left behind (killed before they
    could drop them: ``collection_leftovers``), after finishing a swap cut short; the
    caller holds the source's lock, so no rebuild is using them. A drop that fails is
    logged and left for the next run."""
    names = collection_names()
    resumed = collection_swap_resume(source.collection_name, names)
    if resumed:
        logger.warning(
            "renamed collection %r to %r: the `--rebuild` that built it was cut short "
            "before putting it in place",
            resumed,
            source.collection_name,
        )
    dropped: list[str] = []
    for name in collection_leftovers(source.collection_name, names):
        if name == resumed:
            continue
        try:
            collection_drop(name)
        except Exception as exc:  # a clean-up: never worth failing the sync for
            logger.warning("could not drop leftover collection %r: %s", name, error_line(exc))
            continue
        logger.warning("dropped collection %r, left by a `--rebuild` that did not finish", name)
        dropped.append(name)
    return dropped
