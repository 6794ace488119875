"""What every source shares: the Document a row becomes, its hashes, and the helpers that
pull text out of the loosely typed values the main application writes.

Everything here is pure: no database, no Chroma, no model.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

MetadataValue = str | int | float | bool | list[str]

# The model reads the first ~256 tokens (about 1,000 characters); the rest is kept only so
# that search results show the text. A 1 MB row is embedded truncated, never rejected.
MAX_DOCUMENT_CHARS = 16_000
# Chroma accepts metadata strings of many megabytes, but each one travels with every
# search hit and every read, and long non-ASCII values are slow to write (seconds for a
# value of this order). A value longer than this (far beyond any real title, contentAr or
# full_json) is stored cut to this length; a cut full_json is no longer valid JSON: read
# such a template from PostgreSQL.
MAX_METADATA_CHARS = 100_000
# Chroma 1.5 writes each record's metadata with one SQLite statement for its list items
# (all list keys together) and one for its other values (the document text counting as
# one), 6 bound parameters per item or value; SQLite allows 32,766 parameters. A record
# with 5,462 list items, or 5,461 other values, is accepted by the write, then fails in
# compaction ("Failed to apply logs to the metadata segment") and stays in Chroma's log:
# every later write to the collection fails, and every read after a restart, embedded
# and server alike (measured with chromadb 1.5.9: bench/experiments/chroma_metadata_limits.py).
# halasync keeps far below that: a row over a limit is a DocumentError, never a write.
MAX_LIST_ITEMS = 1_000  # items in one list value (tags, languages)
MAX_LIST_ITEMS_TOTAL = 2_000  # items in all list values of a document (Chroma: 5,461)
MAX_METADATA_KEYS = 1_000  # keys of a document's metadata (Chroma: 5,460 + the text)
# Long lists do not break Chroma, they cost: a list of many megabytes takes seconds to
# write. All items of a list together get the bound of one string value.
MAX_LIST_CHARS = MAX_METADATA_CHARS
# All metadata of one record together (string values as stored, after the cut to
# MAX_METADATA_CHARS, and list items). A 45 MB row was refused by the Chroma server (HTTP
# 413: its request limit is about 40 MB) even when sent alone, at every run. 1,000,000
# characters is at most ~12 MB as JSON (an emoji escaped as two \uXXXX), far from it.
MAX_METADATA_TOTAL_CHARS = 1_000_000

# How deep a JSON value (title, content, full_json) may nest. Real rows nest a few levels
# (steps -> step -> title -> language); Python's json decodes about 1,000 levels and its
# encoder, the hashes and the admin recurse per level, so deeper data is refused here with
# a reason instead of failing somewhere with RecursionError.
MAX_JSON_DEPTH = 64

HASH_KEYS = ("document_hash", "metadata_hash")
_LANGUAGE_KEY = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
# Language order for text and for picking the best title: English first (the model is
# English-trained), then Indonesian, then the rest alphabetically; untagged text last.
_PREFERRED_LANGUAGES = ("en", "id")
NO_LANGUAGE = ""


class DocumentError(ValueError):
    """A row cannot be turned into a document; the message says why."""


@dataclass(frozen=True)
class Document:
    """One Chroma document: id, the text Chroma stores, the metadata (hashes included),
    and ``parts``: named pieces of the text (a section per language, short fields) for
    embedding backends that embed a row part by part; empty when the text is embedded
    whole. ``document_hash`` covers the text and the parts: whatever is embedded."""

    id: str
    text: str
    metadata: Mapping[str, MetadataValue]
    updated_at: datetime
    parts: Mapping[str, str] = field(default_factory=dict)

    @property
    def document_hash(self) -> str:
        return str(self.metadata["document_hash"])

    @property
    def metadata_hash(self) -> str:
        return str(self.metadata["metadata_hash"])


def document_build(
    *,
    id: str,
    text: str,
    metadata: Mapping[str, MetadataValue],
    updated_at: datetime,
    parts: Mapping[str, str] | None = None,
) -> Document:
    """Assemble a Document, truncating the text and adding both hashes to the metadata."""
    if not isinstance(id, str) or not id:
        raise DocumentError("the row has an empty id")
    text = text[:MAX_DOCUMENT_CHARS]
    if not text.strip():
        raise DocumentError("the row has no text to embed (every text field is empty)")
    clean = {key: value for key, value in metadata.items() if value is not None}
    _within_chroma_limits(clean)
    for key, value in clean.items():
        if isinstance(value, str) and len(value) > MAX_METADATA_CHARS:
            clean[key] = value[:MAX_METADATA_CHARS]
    full = dict(clean)
    parts = {name: part[:MAX_DOCUMENT_CHARS] for name, part in (parts or {}).items() if part}
    full["document_hash"] = _sha256(
        # Without parts, the hash of the text alone: the same as before parts existed.
        text + "\x1f" + json.dumps(parts, sort_keys=True, ensure_ascii=False) if parts else text
    )
    full["metadata_hash"] = _sha256(json.dumps(clean, sort_keys=True, ensure_ascii=False))
    return Document(id=id, text=text, metadata=full, updated_at=updated_at, parts=parts)


def _within_chroma_limits(metadata: Mapping[str, MetadataValue]) -> None:
    """Raise DocumentError, saying what to fix, when the metadata is over a limit that
    keeps Chroma's collection healthy (see MAX_LIST_ITEMS)."""
    fix = "in the source application"
    lists = {key: value for key, value in metadata.items() if isinstance(value, list)}
    for key, items in lists.items():
        if len(items) > MAX_LIST_ITEMS:
            raise DocumentError(
                f"{key} has {len(items):,} items; halasync keeps at most {MAX_LIST_ITEMS:,}: "
                f"shorten the row's {key} {fix}"
            )
        characters = sum(len(item) for item in items if isinstance(item, str))
        if characters > MAX_LIST_CHARS:
            raise DocumentError(
                f"{key} has {characters:,} characters in all; halasync keeps at most "
                f"{MAX_LIST_CHARS:,}: shorten the row's {key} {fix}"
            )
    total = sum(len(items) for items in lists.values())
    if total > MAX_LIST_ITEMS_TOTAL:
        raise DocumentError(
            f"{' and '.join(lists)} have {total:,} items together; halasync keeps at most "
            f"{MAX_LIST_ITEMS_TOTAL:,}: shorten them {fix}"
        )
    sizes = {
        key: (
            min(len(value), MAX_METADATA_CHARS)
            if isinstance(value, str)
            else sum(len(item) for item in value if isinstance(item, str))
            if isinstance(value, list)
            else 0
        )
        for key, value in metadata.items()
    }
    if sum(sizes.values()) > MAX_METADATA_TOTAL_CHARS:
        largest = sorted(sizes, key=lambda key: sizes[key], reverse=True)[:3]
        raise DocumentError(
            f"the row's metadata totals {sum(sizes.values()):,} characters (largest: "
            f"{', '.join(f'{key} {sizes[key]:,}' for key in largest)}); halasync keeps at "
            f"most {MAX_METADATA_TOTAL_CHARS:,} per record: shorten those values or remove "
            f"languages {fix}"
        )
    # The hashes are added to what is checked here.
    keys = len(metadata) + len(HASH_KEYS)
    if keys > MAX_METADATA_KEYS:
        # The keys that grow with the data are per language: title_en, title_id, ...
        localized = Counter(key.split("_")[0] for key in metadata if "_" in key)
        prefix, count = localized.most_common(1)[0] if localized else ("value", 0)
        raise DocumentError(
            f"the row gives {keys:,} metadata keys ({count:,} of them {prefix}_<language>); "
            f"halasync keeps at most {MAX_METADATA_KEYS:,}: remove languages from the row's "
            f"{prefix} {fix}"
        )


def _sha256(text: str) -> str:
    try:
        data = text.encode()  # the fast path; the same bytes whenever it succeeds
    except UnicodeEncodeError:  # a lone surrogate (from JSON "\ud800"): hash it anyway
        data = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def as_utc(value: datetime) -> datetime:
    """The source stores UTC in TIMESTAMP WITHOUT TIME ZONE: naive means UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def row_updated_at(value: datetime | None) -> datetime:
    """A row's "updatedAt" in UTC. The column is NOT NULL in the source schema; where a
    table lets it be NULL, the row is a DocumentError (an invalid row): incremental sync
    finds rows by that column and would never see it, and the watermark needs a time."""
    if value is None:
        raise DocumentError(
            'the row has no "updatedAt" (NULL): set it in the source application; '
            "incremental sync finds changed rows by it"
        )
    return as_utc(value)


def iso_utc(value: datetime | None) -> str | None:
    """ISO-8601 UTC with milliseconds, as the main application's clients write it."""
    if value is None:
        return None
    if value.tzinfo is None:  # naive is UTC (the common case: TIMESTAMP columns)
        return value.isoformat(timespec="milliseconds") + "Z"
    return as_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_depth_check(value: Any, field_name: str) -> None:
    """Raise DocumentError when ``value`` nests deeper than MAX_JSON_DEPTH (iterative: the
    check itself never recurses)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, Mapping):
            children: Iterable[Any] = current.values()
        elif isinstance(current, list | tuple):
            children = current
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise DocumentError(
                f"{field_name} nests more than {MAX_JSON_DEPTH} levels deep; halasync keeps "
                f"at most {MAX_JSON_DEPTH}: flatten the row's {field_name} in the source "
                "application"
            )
        stack.extend((child, depth + 1) for child in children)


def decode_json_string(value: Any, field_name: str = "a JSON value") -> Any:
    """Decode a JSON-encoded object or string stored inside a JSON string; else unchanged.
    A decoded value nesting deeper than MAX_JSON_DEPTH is a DocumentError."""
    for _ in range(2):
        if not isinstance(value, str):
            return value
        stripped = value.strip()
        if not stripped or stripped[0] not in '{["':
            return value
        try:
            value = json.loads(stripped)
        except RecursionError:
            raise DocumentError(
                f"{field_name} holds a JSON-encoded string nesting deeper than Python can "
                "decode; flatten it in the source application"
            ) from None
        except ValueError:
            return value
        json_depth_check(value, field_name)
        if "\\u" in stripped:  # an escape may spell a lone surrogate
            value = _without_lone_surrogates(value)
    return value


# A UTF-16 surrogate that json.loads left alone (a "\ud800" escape with no partner): no
# UTF-8 text can hold it, so Chroma refuses the record and the model cannot encode it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"


def _without_lone_surrogates(value: Any) -> Any:
    """``value`` (decoded JSON) with each lone surrogate in its strings, keys included,
    replaced by U+FFFD, as a UTF-8 decoder replaces bytes it cannot read. Called on values
    whose JSON held a \\u escape, once json_depth_check bounded their depth."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {
            _without_lone_surrogates(key): _without_lone_surrogates(item)
            for key, item in value.items()
        }
    return value


def localized_texts(value: Any, field_name: str = "a JSON value") -> dict[str, str]:
    """Texts by language from a localized value.

    Accepts ``{"en": "...", "id": "..."}``, a plain string, a JSON-encoded object or
    string, or anything else. Null, empty and non-text parts are skipped; a plain string
    is keyed by ``NO_LANGUAGE``. Keys come back in preferred language order.
    """
    value = decode_json_string(value, field_name)
    found: dict[str, str] = {}
    if isinstance(value, str):
        if value.strip():
            found[NO_LANGUAGE] = value.strip()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found[NO_LANGUAGE] = str(value)
    elif isinstance(value, dict | Mapping):  # dict first: the usual JSONB object, and cheap
        for key, text in value.items():
            if isinstance(text, str) and (stripped := text.strip()):
                found[str(key).strip()] = stripped
    elif isinstance(value, list):
        parts = [item.strip() for item in value if isinstance(item, str) and item.strip()]
        if parts:
            found[NO_LANGUAGE] = "\n".join(parts)
    return {key: found[key] for key in sorted(found, key=_language_order)}


def _language_order(key: str) -> tuple[int, str]:
    if key in _PREFERRED_LANGUAGES:
        return (_PREFERRED_LANGUAGES.index(key), key)
    if key == NO_LANGUAGE:
        return (len(_PREFERRED_LANGUAGES) + 1, key)
    return (len(_PREFERRED_LANGUAGES), key)


def language_key(key: str) -> str | None:
    """A key usable in a metadata name (``title_<lang>``), or None for junk keys."""
    if _LANGUAGE_KEY.match(key):
        return key.lower().replace("-", "_")
    return None


def best_text(texts: Mapping[str, str]) -> str | None:
    """English, then Indonesian, then any language, then untagged text."""
    return next(iter(texts.values()), None)


# The part of a document that holds its text in no known language (a plain string where
# a localized object was expected).
UNTAGGED_PART = "und"


def language_parts(*sections: Mapping[str, str | None]) -> dict[str, str]:
    """``Document.parts`` by language: for each language (a ``language_key``; untagged
    text under UNTAGGED_PART), its texts from every section, in order, joined by lines.
    Each section maps a language to its text, as ``localized_texts`` returns it."""
    collected: dict[str, list[str | None]] = {}
    for section in sections:
        for language, text in section.items():
            key = language_key(language) if language != NO_LANGUAGE else UNTAGGED_PART
            collected.setdefault(key or UNTAGGED_PART, []).append(text)
    parts = {key: join_lines(texts) for key, texts in collected.items()}
    return {key: text for key, text in parts.items() if text}


def string_list(values: Iterable[Any] | None) -> list[str] | None:
    """Non-empty strings of a TEXT[] (which may hold NULLs), in order, without repeats;
    None when nothing is left (Chroma rejects empty lists)."""
    if not values or isinstance(values, (str, bytes)):
        return None
    cleaned = [value.strip() for value in values if isinstance(value, str) and value.strip()]
    return list(dict.fromkeys(cleaned)) or None


def optional_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def join_lines(lines: Iterable[str | None]) -> str:
    """Join the non-empty lines, each once, in order."""
    kept = (line.strip() for line in lines if line and line.strip())
    return "\n".join(dict.fromkeys(kept))


@dataclass(frozen=True)
class Source:
    """A source table and how its rows become Chroma documents (one per table).

    The registry of sources drives the CLI choices, the API and the sync loop, so a third
    table is one new ``Source``.
    """

    name: str  # CLI --source value and key in run history: "knowledge", "journeys"
    label: str  # human name of one record
    model_label: str  # "app_label.ModelName"
    collection_setting: str  # settings attribute that names the Chroma collection
    excluded_statuses: tuple[str, ...]
    to_document: Callable[[Any], Document]
    # Search: metadata fields a search may match exactly beyond the common ones (status,
    # tags, languages), e.g. ("category",); and the bool field that marks active
    # documents, when the source has inactive ones that search leaves out by default.
    filter_fields: tuple[str, ...] = ()
    active_field: str = ""
    # Search: the source whose rows this source's rows cite (journeys cite knowledge
    # references in their steps), and how to read the cited ids from a document's
    # metadata. Searched alone, such a source is also ranked by what it cites
    # (syncer/services/search.py).
    cites: str = ""
    cited_ids: Callable[[Mapping[str, Any]], list[str]] | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def collection_name(self) -> str:
        return str(getattr(settings, self.collection_setting))

    def is_eligible(self, row: Any) -> bool:
        return row.status not in self.excluded_statuses
