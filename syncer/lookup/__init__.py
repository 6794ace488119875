"""Exact look-ups: a query that names a row the way users write it finds that row first.

Conversion derives a row's lookup keys (``lookup_keys`` metadata, a list synced with the
vector: same hash, same deletes) from the row itself: the Quran and hadith references in
a knowledge reference's source, titles and searchable_text (``syncer.lookup.parse``), and a
journey template's goal keyword. A query is read the same way; search then fetches the
rows holding its keys with a Chroma ``where`` filter. A query in Arabic script that is not a
reference (a du'a's first words) is matched inside the stored text with a ``where_document``
``$regex`` that ignores vowel marks and letter forms (``syncer.lookup.arabic``). Nothing is
kept outside Chroma's records, so nothing can drift from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from syncer.lookup.arabic import arabic_phrase_pattern, arabic_share, arabic_words
from syncer.lookup.parse import references_in, tokens_of

LOOKUP_KEYS = "lookup_keys"
# Keys a row keeps (a Chroma list value: bounded like tags, see syncer/sources/base.py).
MAX_LOOKUP_KEYS = 100
# References are read from the start of each field (a reference is a short text; a
# 100,000-character title is not read whole).
MAX_PARSED_CHARS = 2_000
# References a query may name (each is one clause of the Chroma filter).
MAX_QUERY_KEYS = 20
# An Arabic query is matched as a phrase from this many words (one word is a topic, not
# a du'a), and up to this many letters.
MIN_PHRASE_WORDS = 2
MAX_PHRASE_WORDS = 16
ARABIC_QUERY_SHARE = 0.8


def phrase_key(text: str | None) -> str | None:
    """A short text (a goal keyword, a query) as a key: lowercase words and numbers,
    Arabic normalized, punctuation and spacing ignored."""
    words = [token for token in tokens_of(text or "") if token not in ":-"]
    return " ".join(words) or None


def knowledge_lookup_keys(
    *,
    source: str | None,
    titles: Iterable[str],
    searchable_text: str | None,
    room: int = MAX_LOOKUP_KEYS,
) -> list[str] | None:
    """The references a knowledge reference is known by: every one in its ``source``, and
    the unambiguous ones in its titles and searchable_text. At most MAX_LOOKUP_KEYS, and
    at most ``room`` (what the row's other lists leave of Chroma's bound: a row valid
    without keys stays valid)."""
    keys = references_in(source and source[:MAX_PARSED_CHARS], strict=False)
    for text in (*titles, searchable_text):
        keys.extend(references_in(text[:MAX_PARSED_CHARS], strict=True) if text else [])
    return list(dict.fromkeys(keys))[: max(0, min(room, MAX_LOOKUP_KEYS))] or None


def keyword_keys(text: str | None) -> list[str]:
    """The keys a goal keyword (or a query) is known by: its words, and, when it has
    several, the same words written as one. Users write one keyword apart, hyphenated or
    joined (Indonesian doubles words: ``was-was`` / ``waswas``; ``self-care`` /
    ``selfcare``, ``move on`` / ``moveon``): a row and a query that share either form
    match."""
    key = phrase_key(text)
    if not key:
        return []
    joined = key.replace(" ", "")
    return [f"kw:{key}", *([f"kw:{joined}"] if joined != key else [])]


def journey_lookup_keys(
    *, goal_keyword: str | None, room: int = MAX_LOOKUP_KEYS
) -> list[str] | None:
    """The keys of a journey's goal keyword, read from its start as a query is (a key
    longer than a query's could never match one, and a goal keyword of many thousand
    characters made its keys exceed a list's bound: a valid row became an invalid one,
    blamed on a ``lookup_keys`` no source has). At most ``room``, as for knowledge."""
    keys = keyword_keys(goal_keyword and goal_keyword[:MAX_PARSED_CHARS])
    return keys[: max(0, min(room, MAX_LOOKUP_KEYS))] or None


@dataclass(frozen=True)
class QueryLookup:
    """What a query names exactly: lookup keys, or an Arabic phrase."""

    keys: tuple[str, ...]
    arabic_phrase: tuple[str, ...] = ()

    def where(self) -> dict[str, Any] | None:
        clauses = [{LOOKUP_KEYS: {"$contains": key}} for key in self.keys]
        if len(clauses) > 1:
            return {"$or": clauses}
        return clauses[0] if clauses else None

    def where_document(self) -> dict[str, Any] | None:
        if not self.arabic_phrase:
            return None
        return {"$regex": arabic_phrase_pattern(list(self.arabic_phrase))}


def query_lookup(query: str) -> QueryLookup:
    """What ``query`` names exactly: the references in it (most specific keys), the
    journey goal keyword it may be, and, for a query in Arabic script that is not a
    reference, the phrase to find in the stored text."""
    query = query[:MAX_PARSED_CHARS]
    references = _most_specific(references_in(query, strict=True))[:MAX_QUERY_KEYS]
    keys = [*references, *keyword_keys(query)]
    phrase: tuple[str, ...] = ()
    if not references:
        words = arabic_words(query)
        if len(words) >= MIN_PHRASE_WORDS and arabic_share(query) >= ARABIC_QUERY_SHARE:
            phrase = tuple(words[:MAX_PHRASE_WORDS])
    return QueryLookup(keys=tuple(keys), arabic_phrase=phrase)


def _most_specific(keys: list[str]) -> list[str]:
    """Verse keys, and a surah's own key only when no verse of it is named."""
    surahs_with_verses = {key.rsplit(":", 1)[0] for key in keys if key.count(":") == 2}
    return [key for key in keys if not (key.startswith("qs:") and key in surahs_with_verses)]
