"""Find the Quran and hadith references written in a text, as lookup keys.

Keys: ``qs:<surah>:<verse>`` for each verse named (a range names each of its verses, up to
MAX_RANGE), ``qs:<surah>`` for the surah itself, ``hr:<collection>:<number>`` for a hadith.
Spellings understood: "QS. 2:216", "QS 2:216", "Q.S. Al-Baqarah: 216", "2:286",
"Al-Baqarah 286", "surah al baqarah ayat 286", "Al-Insyirah 94:5-6", "[البقرة: ٢٨٦]",
"سورة البقرة الآية 286", "HR. Bukhari no. 6018", "Bukhari 1", "Sunan Abi Dawud 1525",
"رواه البخاري ٦٠١٨". A number is a verse only if the surah has that many verses.

In a row's ``source`` every reference counts. In other text, and in queries, a reference
that could be an everyday phrase ("sad: 3 steps", "muslim 5 tips", "at 4:30") counts only
with a marker (QS, surah, ayat, HR, hadits, رواه...), or when the query is nothing but
references (strict mode).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syncer.lookup.arabic import arabic_normalize
from syncer.lookup.hadith import AMBIGUOUS, TITLES, collection_keys
from syncer.lookup.quran import (
    ARTICLES,
    arabic_key,
    consonants,
    latin_key,
    surah_consonant_keys,
    surah_keys,
    surah_verses,
)

# A range names each of its verses up to this many (then only its first ones): keys are a
# Chroma list value, and lists are bounded (syncer/sources/base.py).
MAX_RANGE = 30
_TOKEN = re.compile(r"\d+|[^\W\d_]+|[:\-–]")
_QURAN_MARKERS = frozenset(
    "qs q quran alquran surah surat sura surath ayat ayah aya verse verses سوره ايه الايه "
    "ايات الايات قران القران".split()
)
_SURAH_WORDS = frozenset("qs quran alquran surah surat sura surath سوره".split())
_OF_WORDS = frozenset("of in from dari dalam من في".split())
_VERSE_WORDS = frozenset("ayat ayah aya verse verses v ke ايه الايه ايات الايات".split())
# Words near a clock time ("at 4:30", "jam 3:30", "4:30 pagi", "10:30 tonight") or a ratio
# ("diet 16:8") rather than a verse. Surah names (Fajr, Duha, Lail...) are not among them.
_TIME_WORDS = frozenset(
    "at am pm jam pukul wib wita wit oclock time times waktu until till sampai hingga "
    "menit minute minutes hour hours ratio rasio skor score diet alarm morning mornings "
    "evening evenings night nights tonight noon midnight afternoon pagi siang sore malam "
    "subuh shubuh dini الساعه".split()
)
# Words after a number that make it a count ("al ikhlas 3 kali", "al-mulk 30 ayat", "al-fajr
# 2 rakaat", "al-kahfi 10 menit"): after a surah's name, such a number is not a verse.
_COUNT_WORDS = frozenset(
    "kali x times rakaat rakat rakaah rekaat rakah menit minute minutes hari day days jam "
    "hour hours minggu week weeks bulan month months tahun year years ayat ayah verses "
    "langkah steps tips cara ways pelajaran lessons tanda signs manfaat benefits".split()
)
# "a.m." / "p.m." as tokens_of gives them.
_TIME_PAIRS = frozenset({("a", "m"), ("p", "m")})
_HADITH_MARKERS = frozenset("hr hadits hadith hadis riwayat narrated رواه حديث اخرجه".split())
_NUMBER_WORDS = frozenset("no nomor number nr hadits hadith hadis ke رقم حديث".split())
# Words a reference-only query may hold besides its references.
_FILLER = (
    _QURAN_MARKERS
    | _VERSE_WORDS
    | _HADITH_MARKERS
    | _NUMBER_WORDS
    | TITLES
    | {
        "dan",
        "and",
        "q",
        "s",
        "و",
    }
)
# Surah names that are also people's names or everyday words, even when long enough.
_COMMON_NAMES = frozenset({"ibrahim", "yusuf", "yunus", "maryam", "muhamad", "lukman", "saba"})
_MIN_SAFE_NAME = 5
# Verses users name rather than number (as tokens_of gives them).
NAMED_VERSES: dict[tuple[str, ...], tuple[int, int]] = {
    ("ayat", "kursi"): (2, 255),
    ("ayatul", "kursi"): (2, 255),
    ("ayat", "al", "kursi"): (2, 255),
    ("ayat", "alkursi"): (2, 255),
    ("ayatul", "kursiy"): (2, 255),
    ("ايه", "الكرسي"): (2, 255),
}
_MAX_NAME_WORDS = 3


@dataclass(frozen=True)
class _Found:
    keys: tuple[str, ...]
    start: int
    end: int  # exclusive
    safe: bool  # counts without a marker
    numeric: bool = False  # "2:286": counts without a marker unless the text is about time


def tokens_of(text: str) -> list[str]:
    """Lowercase words, numbers, ':' and '-' of ``text`` (Arabic normalized, apostrophes
    dropped so that Ra'd is one word)."""
    cleaned = re.sub(r"['’‘`ʿʾ]", "", arabic_normalize(text).lower())
    cleaned = re.sub(r"\b([qh])\.\s*([sr])\b", r"\1\2", cleaned)  # Q.S., H.R.
    cleaned = re.sub(r"(?<=\d)\s*/\s*(?=\d)", ":", cleaned)  # QS 2/286
    cleaned = re.sub(r"(?<=[^\W\d_])[-–](?=[^\W\d_])", " ", cleaned)  # Al-Baqarah
    return ["-" if token == "–" else token for token in _TOKEN.findall(cleaned)]


def references_in(text: str | None, *, strict: bool) -> list[str]:
    """The lookup keys of the references in ``text``, in order, each once."""
    if not text:
        return []
    tokens = tokens_of(text)
    found = _scan(tokens)
    if strict and found:
        markers = set(tokens)
        quran_marked = bool(markers & _QURAN_MARKERS)
        hadith_marked = bool(markers & _HADITH_MARKERS)
        only_references = _only_references(tokens, found)
        timeish = bool(markers & _TIME_WORDS) or _clock_time_in(tokens)
        found = [
            item
            for item in found
            if item.safe
            or (item.numeric and not timeish)
            or only_references
            or (quran_marked and item.keys[0].startswith("qs:"))
            or (hadith_marked and item.keys[0].startswith("hr:"))
        ]
    return list(dict.fromkeys(key for item in found for key in item.keys))


def _clock_time_in(tokens: list[str]) -> bool:
    """Whether ``tokens`` write a clock time the way no verse is written: "a.m." / "p.m.",
    or a zero-padded number beside a colon ("04:45", "8:00")."""
    for index, token in enumerate(tokens):
        if (token, tokens[index + 1] if index + 1 < len(tokens) else "") in _TIME_PAIRS:
            return True
        if (
            token == ":"
            and 0 < index < len(tokens) - 1
            and tokens[index - 1].isdecimal()
            and tokens[index + 1].isdecimal()
            and (tokens[index - 1].startswith("0") or tokens[index + 1].startswith("0"))
        ):
            return True
    return False


def _only_references(tokens: list[str], found: list[_Found]) -> bool:
    used = {index for item in found for index in range(item.start, item.end)}
    return all(
        index in used or token in _FILLER or token in ":-" for index, token in enumerate(tokens)
    )


def _scan(tokens: list[str]) -> list[_Found]:
    found: list[_Found] = []
    index = 0
    while index < len(tokens):
        item = _chapter_verse(tokens, index) or _numbered_surah(tokens, index)
        item = item or _verse_of_surah(tokens, index) or _named_surah(tokens, index)
        item = item or _named_verse(tokens, index) or _hadith(tokens, index)
        if item:
            found.append(item)
            index = item.end
        else:
            index += 1
    return found


def _number(tokens: list[str], index: int) -> int | None:
    if index < len(tokens) and tokens[index].isdecimal() and len(tokens[index]) <= 6:
        return int(tokens[index])
    return None


def _verses(tokens: list[str], index: int, surah: int) -> tuple[list[int], int] | None:
    """Verse (or range) at ``index`` of ``surah``: the verses and the index after them."""
    first = _number(tokens, index)
    if first is None or not 1 <= first <= surah_verses(surah):
        return None
    end = index + 1
    last = first
    if end + 1 < len(tokens) and tokens[end] == "-":
        upto = _number(tokens, end + 1)
        if upto is not None and first < upto <= surah_verses(surah):
            last, end = upto, end + 2
    return list(range(first, min(last, first + MAX_RANGE - 1) + 1)), end


def _quran_keys(surah: int, verses: list[int]) -> tuple[str, ...]:
    return (*(f"qs:{surah}:{verse}" for verse in verses), f"qs:{surah}")


def _chapter_verse(tokens: list[str], index: int) -> _Found | None:
    """``2:286``, ``94:5-6``."""
    surah = _number(tokens, index)
    if surah is None or not surah_verses(surah):
        return None
    if index + 2 >= len(tokens) or tokens[index + 1] != ":":
        return None
    verses = _verses(tokens, index + 2, surah)
    if verses is None:
        return None
    after_name = index > 0 and _name_ending_at(tokens, index) == surah
    leading_zero = tokens[index + 2].startswith("0")
    return _Found(
        _quran_keys(surah, verses[0]),
        index,
        verses[1],
        safe=after_name,
        numeric=not leading_zero,
    )


def _numbered_surah(tokens: list[str], index: int) -> _Found | None:
    """``surah 2 ayat 286``, ``surat ke-2 ayat 286``, ``QS 2 286``: a marker, the surah's
    number, then the verse."""
    if tokens[index] not in _SURAH_WORDS:
        return None
    at = index + 1
    while at < len(tokens) and tokens[at] in ("ke", "-", "no", "nomor", "number"):
        at += 1
    surah = _number(tokens, at)
    if surah is None or not surah_verses(surah):
        return None
    after = at + 1
    while after < len(tokens) and tokens[after] in _VERSE_WORDS:
        after += 1
    verses = _verses(tokens, after, surah)
    if verses is None:
        return None
    return _Found(_quran_keys(surah, verses[0]), index, verses[1], safe=True)


def _verse_of_surah(tokens: list[str], index: int) -> _Found | None:
    """``ayat 286 surat al-baqarah``, ``verse 286 of surah al-baqarah``, ``الآية 286 من سورة
    البقرة``: the verse first, then the surah named."""
    if tokens[index] not in _VERSE_WORDS or _number(tokens, index + 1) is None:
        return None
    at = index + 2
    verse_end = at
    if at + 1 < len(tokens) and tokens[at] == "-" and _number(tokens, at + 1) is not None:
        at += 2
    while at < len(tokens) and tokens[at] in _OF_WORDS | _SURAH_WORDS:
        at += 1
    for size in range(_MAX_NAME_WORDS, 0, -1):
        surah = _surah_named(tokens[at : at + size]) if at + size <= len(tokens) else None
        if surah:
            verses = _verses(tokens, index + 1, surah)
            if verses is None or verses[1] > verse_end + 2:
                return None
            return _Found(_quran_keys(surah, verses[0]), index, at + size, safe=True)
    return None


def _name_ending_at(tokens: list[str], index: int) -> int | None:
    """The surah named by the words just before ``index`` (skipping ':' and a bracketed
    number), if any."""
    for size in range(_MAX_NAME_WORDS, 0, -1):
        start = index - size
        if start >= 0:
            surah = _surah_named(tokens[start:index])
            if surah:
                return surah
    return None


def _surah_named(words: list[str]) -> int | None:
    if not words or not all(word.isalpha() for word in words):
        return None
    keys = surah_keys()
    if words[0] in _SURAH_WORDS or words[-1] in _VERSE_WORDS:
        return None
    for key in (latin_key(words), arabic_key(words)):
        if key in keys:
            return keys[key]
    if len(words) == 1 and words[0].startswith("al") and len(words[0]) > 4:  # "Albaqarah"
        return keys.get(latin_key([words[0][2:]]))
    return None


def _named_surah(tokens: list[str], index: int) -> _Found | None:
    """``Al-Baqarah 286``, ``surah al baqarah ayat 286``, ``QS Al-Mulk``, ``البقرة: ٢٨٦``."""
    for size in range(_MAX_NAME_WORDS, 0, -1):
        words = tokens[index : index + size]
        if len(words) < size:
            continue
        article = words[0] in ARTICLES or words[0].startswith("ال")
        key = latin_key(words)
        surah = _surah_named(words)
        safe = article or (len(key) >= _MIN_SAFE_NAME and key not in _COMMON_NAMES)
        if (
            surah is None
            and all(word.isascii() and word.isalpha() for word in words)
            and not _is_collection(words)
        ):
            # A spelling the folds miss: counts with an article or a marker only.
            surah = surah_consonant_keys().get(consonants(key))
            safe = article and size > 1
        if surah is None:
            continue
        after = index + size
        while after < len(tokens) and (tokens[after] in _VERSE_WORDS or tokens[after] == ":"):
            after += 1
        if _number(tokens, after) == surah and after + 1 < len(tokens) and tokens[after + 1] == ":":
            # "Al-Baqarah 2:286" / "Al-Baqarah (2): 286": the chapter:verse is read next.
            return _Found((), index, after, safe=True)
        if _number(tokens, after) == surah:
            # "Al-Baqarah (2) ayat 286", "Al-Baqarah 2 286": the surah's own number, then
            # the verse (without a verse word, only a verse the surah has: "Al-Baqarah 2"
            # alone is its verse 2).
            verse_at = after + 1
            while verse_at < len(tokens) and tokens[verse_at] in _VERSE_WORDS:
                verse_at += 1
            if _number(tokens, verse_at) is not None and (
                verse_at > after + 1 or _verses(tokens, verse_at, surah) is not None
            ):
                after = verse_at
        verses = _verses(tokens, after, surah)
        if verses is not None and verses[1] < len(tokens) and tokens[verses[1]] in _COUNT_WORDS:
            verses = None  # "Yasin 3 kali": read three times, not its verse 3
        if verses is not None:
            return _Found(_quran_keys(surah, verses[0]), index, verses[1], safe=safe)
        if index > 0 and tokens[index - 1] in _SURAH_WORDS:
            return _Found((f"qs:{surah}",), index, index + size, safe=True)
        return None
    return None


def _named_verse(tokens: list[str], index: int) -> _Found | None:
    """Verses known by a name: ``ayat kursi``, ``آية الكرسي``."""
    for words, (surah, verse) in NAMED_VERSES.items():
        if tuple(tokens[index : index + len(words)]) == words:
            return _Found(_quran_keys(surah, [verse]), index, index + len(words), safe=True)
    return None


def _is_collection(words: list[str]) -> bool:
    """Whether ``words`` (or their last words) name a hadith collection (Bukhari's consonants
    are Al-Baqarah's)."""
    keys = collection_keys()
    return any(latin_key(words[start:]) in keys for start in range(len(words)))


def _hadith(tokens: list[str], index: int) -> _Found | None:
    """``HR. Bukhari no. 6018``, ``Sunan Abi Dawud 1525``, ``رواه البخاري ٦٠١٨``."""
    keys = collection_keys()
    for size in range(_MAX_NAME_WORDS, 0, -1):
        words = tokens[index : index + size]
        if len(words) < size or not all(word.isalpha() for word in words):
            continue
        collection = keys.get(latin_key(words)) or keys.get(arabic_key(words))
        if collection is None:
            continue
        after = index + size
        # "no. 6018", "nomor: 6018", "ke-13".
        while after < len(tokens) and (tokens[after] in _NUMBER_WORDS or tokens[after] in ":-"):
            after += 1
        number = _number(tokens, after)
        if number is None or number < 1:
            return None
        return _Found(
            (f"hr:{collection}:{number}",),
            index,
            after + 1,
            safe=collection not in AMBIGUOUS,
        )
    return None
