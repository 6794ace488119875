"""Flag paraphrase queries that copy their target rows' words.

A query is meant to say what a user says, not what the row says: a query whose content
words mostly appear in a relevant row measures word matching, not understanding. The check
is deliberately crude and errs towards flagging: lower-case, Arabic diacritics, tatweel and
letter variants folded, a few clitics and suffixes stripped, stop words (and words every
query uses, like "program") dropped; two words match when their first ``STEM_CHARS``
characters agree. Exact-reference queries are exempt: they copy on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bench.quality.evalset import EvalSet, Query

# A query is flagged when more than this share of its content words appear in one row.
MAX_SHARED_SHARE = 0.5
# ... and at least this many (a two-word query sharing its topic's name is not a copy).
MIN_SHARED_WORDS = 2
STEM_CHARS = 5
ARABIC_STEM_CHARS = 4

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ARABIC_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")
_SUFFIXES = ("nya", "lah", "kah", "ku", "mu", "'s")

_STOP_TEXT = """
    a an the and or but if of to in on at for from with by about as into over after before
    i me my mine myself we our you your he him his she her it its they them their this that
    these those is am are was were be been being do does did have has had can could will
    would should shall may might must not no so too very just only also all any some every
    what which who whom how why when where there here than then again still even ever
    get got keep keeps one really much more most lot lately
    program programme plan plans help helps guide guided steps step something someone way
    want need feel feeling
    aku saya kamu dia kita kami mereka ini itu yang dan atau di ke dari untuk buat bagi
    dengan pada dalam karena sama juga sudah udah belum lagi akan bisa nggak gak tidak
    ada apa gimana bagaimana kenapa kok ya sih deh dong nih banget terus biar supaya agar
    kalau kalo jadi mau pengen harus apakah adalah oleh program latihan tantangan cara
    ال في من على الى إلى عن ان أن إن لا ما هل كيف ماذا لماذا متى أين هذا هذه ذلك التي الذي
    مع ثم او أو قد لم لن كل بعد قبل عند حتى منذ برنامج خطة خطوات اريد أريد يساعدني
    انا أنا وانا وأنا انت أنت هو هي نحن لي لك له لها منها منه به بها فيه فيها
"""


@dataclass(frozen=True)
class OverlapFinding:
    query_id: str
    text: str
    row_id: str
    shared: tuple[str, ...]
    content_words: int
    share: float

    @property
    def flagged(self) -> bool:
        return self.share > MAX_SHARED_SHARE and len(self.shared) >= MIN_SHARED_WORDS

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query_id,
            "text": self.text,
            "row": self.row_id,
            "shared": list(self.shared),
            "share": round(self.share, 2),
        }


def query_overlaps(evalset: EvalSet) -> list[OverlapFinding]:
    """For every paraphrase query, its overlap with the relevant row it shares most with."""
    rows = {row["id"]: row for source in ("knowledge", "journeys") for row in evalset.rows(source)}
    stems_by_row = {row_id: set(_stems(_row_strings(row))) for row_id, row in rows.items()}
    return [_worst(query, stems_by_row) for query in evalset.queries if query.kind == "paraphrase"]


def _worst(query: Query, stems_by_row: Mapping[str, set[str]]) -> OverlapFinding:
    words = list(dict.fromkeys(_stems([query.text])))
    best: OverlapFinding | None = None
    for row_id in query.relevant:
        shared = tuple(word for word in words if word in stems_by_row[row_id])
        share = len(shared) / len(words) if words else 0.0
        finding = OverlapFinding(query.id, query.text, row_id, shared, len(words), share)
        if best is None or finding.share > best.share:
            best = finding
    assert best is not None  # a paraphrase query always has a relevant row
    return best


def _row_strings(value: Any) -> Iterator[str]:
    """Every string in a row (any depth), except its id and status: what can be embedded."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in ("id", "status", "languages", "knowledge_reference_ids"):
                yield from _row_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _row_strings(item)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)


STOP_WORDS = frozenset(_fold(_STOP_TEXT).split())


def _stems(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        for word in _WORD.findall(_fold(text)):
            if word in STOP_WORDS or word.isdigit():
                continue
            stem = _stem(word)
            if len(stem) >= 3 and stem not in STOP_WORDS:
                yield stem


def _stem(word: str) -> str:
    if "\u0600" <= word[0] <= "\u06ff":
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix) :]
                break
        return word[:ARABIC_STEM_CHARS]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:STEM_CHARS]
