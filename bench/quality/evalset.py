"""Load and check an evaluation set (the format is described in ``bench/quality/dataset.py``).

Pure Python, no Django: the research scripts of other engineers can use it too. A set that
is not well formed raises ``EvalSetError`` naming the topic, row or query at fault.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).with_name("dataset.py")
LANGUAGES = ("en", "id", "ar")
SOURCES = ("knowledge", "journeys")
KNOWLEDGE_CATEGORIES = ("VERSE", "HADITH", "STRATEGY", "DUA", "STORY")
KNOWLEDGE_STATUSES = ("DRAFT", "PENDING", "VERIFIED", "REJECTED")
JOURNEY_STATUSES = ("DRAFT", "PUBLISHED", "ARCHIVED")
# The columns every row needs, and the tables' usual value for the others.
KNOWLEDGE_REQUIRED = ("id", "category", "source", "title", "content")
KNOWLEDGE_DEFAULTS: dict[str, Any] = {
    "content_ar": None,
    "tags": [],
    "languages": ["id", "en"],
    "status": "VERIFIED",
    "searchable_text": None,
}
JOURNEY_REQUIRED = ("id", "goal_keyword", "full_json")
JOURNEY_DEFAULTS: dict[str, Any] = {
    "tags": [],
    "languages": ["id", "en"],
    "is_active": True,
    "status": "PUBLISHED",
    "match_count": 0,
    "searchable_text": None,
}
_ARABIC = re.compile(r"[\u0600-\u06FF]")


class EvalSetError(ValueError):
    """The evaluation set is not well formed; the message says where."""


@dataclass(frozen=True)
class Query:
    """One search and the rows that answer it.

    ``kind`` is "paraphrase" (a user's question; answered by any row of ``relevant``) or
    "exact" (a reference; ``relevant`` is the one row that must come first). ``language``
    is en/id/ar for paraphrases; for exact references "ar" (Arabic script) or "ref".
    """

    id: str
    text: str
    source: str
    language: str
    kind: str
    topic: str | None
    relevant: tuple[str, ...]


@dataclass(frozen=True)
class EvalSet:
    name: str
    path: str
    topics: tuple[str, ...]
    knowledge_rows: tuple[dict[str, Any], ...]  # every column, defaults filled in
    journey_rows: tuple[dict[str, Any], ...]
    queries: tuple[Query, ...]

    def rows(self, source: str) -> tuple[dict[str, Any], ...]:
        return self.knowledge_rows if source == "knowledge" else self.journey_rows

    def eligible_ids(self, source: str) -> set[str]:
        """Rows a sync puts in Chroma (REJECTED references and ARCHIVED templates stay out)."""
        excluded = "REJECTED" if source == "knowledge" else "ARCHIVED"
        return {row["id"] for row in self.rows(source) if row["status"] != excluded}

    def searchable_ids(self, source: str) -> set[str]:
        """Rows a search can return: eligible, and for journeys active (the API's default)."""
        eligible = self.eligible_ids(source)
        if source == "journeys":
            return {row["id"] for row in self.journey_rows if row["is_active"]} & eligible
        return eligible

    def summary(self) -> dict[str, Any]:
        kinds = {
            kind: sum(q.kind == kind for q in self.queries) for kind in ("paraphrase", "exact")
        }
        return {
            "name": self.name,
            "path": self.path,
            "topics": len(self.topics),
            "knowledge_rows": len(self.knowledge_rows),
            "journey_rows": len(self.journey_rows),
            "paraphrase_queries": kinds["paraphrase"],
            "exact_queries": kinds["exact"],
        }


def evalset_load(path: str | Path | None = None, *, limit_topics: int | None = None) -> EvalSet:
    """Read the set at ``path`` (default: the repository's), check it, flatten it.

    ``limit_topics``: keep the first N topics (their rows and queries), every distractor,
    and the exact queries whose row is kept.
    """
    path = Path(path) if path else DEFAULT_PATH
    module = _module_load(path)
    name = getattr(module, "NAME", None) or path.stem
    topics = _required(module, "TOPICS", list, path)
    distractors = getattr(module, "DISTRACTORS", None) or {}
    exact = getattr(module, "EXACT_QUERIES", None) or []
    if not isinstance(distractors, Mapping) or not isinstance(exact, list):
        raise EvalSetError(f"{path}: DISTRACTORS must be a dict and EXACT_QUERIES a list")
    if limit_topics is not None:
        if limit_topics < 1:
            raise EvalSetError("--limit-topics must be at least 1")
        topics = topics[:limit_topics]

    rows: dict[str, list[dict[str, Any]]] = {source: [] for source in SOURCES}
    topic_rows: dict[str, dict[str, list[str]]] = {}
    for number, topic in enumerate(topics, 1):
        label = _topic_label(topic, number)
        if label in topic_rows:
            raise EvalSetError(f"topic {label!r} appears twice")
        topic_rows[label] = {}
        for source in SOURCES:
            found = [_row(source, row, f"topic {label!r}") for row in topic.get(source) or []]
            rows[source].extend(found)
            topic_rows[label][source] = [row["id"] for row in found]
    for source in SOURCES:
        for row in distractors.get(source) or []:
            rows[source].append(_row(source, row, "DISTRACTORS"))
    unknown = set(distractors) - set(SOURCES)
    if unknown:
        raise EvalSetError(f"DISTRACTORS has unknown source(s): {', '.join(sorted(unknown))}")
    _unique_ids(rows)

    evalset = EvalSet(
        name=str(name),
        path=str(path),
        topics=tuple(topic_rows),
        knowledge_rows=tuple(rows["knowledge"]),
        journey_rows=tuple(rows["journeys"]),
        queries=(),
    )
    queries = [*_paraphrases(topics, topic_rows, evalset), *_exacts(exact, evalset, limit_topics)]
    ids = [query.id for query in queries]
    if len(set(ids)) != len(ids):
        raise EvalSetError("two queries share an id")
    return EvalSet(**{**evalset.__dict__, "queries": tuple(queries)})


def _module_load(path: Path) -> Any:
    if not path.is_file():
        raise EvalSetError(f"no evaluation set at {path}")
    spec = importlib.util.spec_from_file_location(f"_evalset_{abs(hash(str(path)))}", path)
    if spec is None or spec.loader is None:
        raise EvalSetError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise EvalSetError(f"{path} could not be loaded: {type(exc).__name__}: {exc}") from exc
    return module


def _required(module: Any, name: str, kind: type, path: Path) -> Any:
    value = getattr(module, name, None)
    if not isinstance(value, kind) or not value:
        raise EvalSetError(f"{path}: {name} must be a non-empty {kind.__name__}")
    return value


def _topic_label(topic: Any, number: int) -> str:
    if not isinstance(topic, Mapping) or not isinstance(topic.get("topic"), str):
        raise EvalSetError(f"topic number {number} must be a dict with a 'topic' name")
    return topic["topic"]


def _row(source: str, row: Any, where: str) -> dict[str, Any]:
    required, defaults = (
        (KNOWLEDGE_REQUIRED, KNOWLEDGE_DEFAULTS)
        if source == "knowledge"
        else (JOURNEY_REQUIRED, JOURNEY_DEFAULTS)
    )
    if not isinstance(row, Mapping):
        raise EvalSetError(f"{where}: a {source} row must be a dict")
    missing = [key for key in required if key not in row]
    if missing:
        raise EvalSetError(f"{where}: {source} row {row.get('id')!r} lacks {', '.join(missing)}")
    allowed = set(required) | set(defaults)
    extra = set(row) - allowed
    if extra:
        raise EvalSetError(
            f"{where}: {source} row {row['id']!r} has unknown column(s) {', '.join(sorted(extra))}"
        )
    if not isinstance(row["id"], str) or not row["id"]:
        raise EvalSetError(f"{where}: a {source} row has an empty id")
    full = {**{key: _copy(value) for key, value in defaults.items()}, **row}
    if source == "knowledge":
        _one_of(full, "category", KNOWLEDGE_CATEGORIES, where)
        _one_of(full, "status", KNOWLEDGE_STATUSES, where)
    else:
        _one_of(full, "status", JOURNEY_STATUSES, where)
    return full


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _one_of(row: Mapping[str, Any], key: str, allowed: Iterable[str], where: str) -> None:
    if row[key] not in allowed:
        raise EvalSetError(f"{where}: row {row['id']!r} has {key} {row[key]!r}")


def _unique_ids(rows: Mapping[str, list[dict[str, Any]]]) -> None:
    for source, found in rows.items():
        seen: set[str] = set()
        for row in found:
            if row["id"] in seen:
                raise EvalSetError(f"{source} row id {row['id']!r} appears twice")
            seen.add(row["id"])


def _paraphrases(
    topics: list[Mapping[str, Any]], topic_rows: dict[str, dict[str, list[str]]], evalset: EvalSet
) -> Iterable[Query]:
    for topic in topics:
        label = topic["topic"]
        queries = topic.get("queries") or {}
        if not queries:
            raise EvalSetError(f"topic {label!r} has no queries")
        for source, by_language in queries.items():
            if source not in SOURCES or not isinstance(by_language, Mapping):
                raise EvalSetError(f"topic {label!r}: queries of unknown source {source!r}")
            for language, items in by_language.items():
                if language not in LANGUAGES:
                    raise EvalSetError(f"topic {label!r}: unknown query language {language!r}")
                items = items if isinstance(items, list) else [items]
                for number, item in enumerate(items, 1):
                    text, also = _query_item(item, label)
                    relevant = list(topic_rows[label][source])
                    for other in also:
                        if other not in topic_rows:
                            raise EvalSetError(
                                f"topic {label!r}: query {text!r} names unknown topic {other!r}"
                            )
                        relevant.extend(topic_rows[other][source])
                    _findable(relevant, source, evalset, f"topic {label!r}, query {text!r}")
                    yield Query(
                        id=f"{label}/{source}/{language}/{number}",
                        text=text,
                        source=source,
                        language=language,
                        kind="paraphrase",
                        topic=label,
                        relevant=tuple(dict.fromkeys(relevant)),
                    )


def _query_item(item: Any, label: str) -> tuple[str, list[str]]:
    if isinstance(item, str):
        text, also = item, []
    elif isinstance(item, Mapping) and isinstance(item.get("text"), str):
        text, also = item["text"], list(item.get("also") or [])
    else:
        raise EvalSetError(f"topic {label!r}: a query must be a string or a dict with 'text'")
    if not text.strip():
        raise EvalSetError(f"topic {label!r}: a query is empty")
    return text, also


def _findable(relevant: list[str], source: str, evalset: EvalSet, where: str) -> None:
    if not relevant:
        raise EvalSetError(f"{where}: no {source} row answers it")
    hidden = [row_id for row_id in relevant if row_id not in evalset.searchable_ids(source)]
    if hidden:
        raise EvalSetError(f"{where}: row(s) {', '.join(hidden)} can never be found by a search")


def _exacts(exact: list[Any], evalset: EvalSet, limit_topics: int | None) -> Iterable[Query]:
    for number, item in enumerate(exact, 1):
        if not isinstance(item, Mapping) or not all(
            isinstance(item.get(key), str) and item[key].strip()
            for key in ("text", "source", "expected")
        ):
            raise EvalSetError(f"exact query number {number} needs text, source and expected")
        source, expected = item["source"], item["expected"]
        if source not in SOURCES:
            raise EvalSetError(f"exact query {item['text']!r}: unknown source {source!r}")
        if expected not in {row["id"] for row in evalset.rows(source)}:
            if limit_topics is not None:
                continue  # its topic was left out
            raise EvalSetError(f"exact query {item['text']!r}: no {source} row {expected!r}")
        _findable([expected], source, evalset, f"exact query {item['text']!r}")
        yield Query(
            id=f"exact/{number}",
            text=item["text"],
            source=source,
            language="ar" if _ARABIC.search(item["text"]) else "ref",
            kind="exact",
            topic=None,
            relevant=(expected,),
        )
