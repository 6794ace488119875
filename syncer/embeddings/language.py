"""A cheap guess of a search query's language: Arabic by script, English or Indonesian by
their function words. Used to weight the English-only model in the composite backend;
it never filters anything."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")

ENGLISH_WORDS = frozenset(
    """a about after all am an and are as at be because been before but by can could did do
    does doing don't for from get gets getting had has have having he her him his how i i'm
    if in into is it its just keep me more my no not of off on or our out over she should
    so some than that the their them then there these they this those to too up very was we
    were what when where which while who why will with without would you your""".split()
)
INDONESIAN_WORDS = frozenset(
    """ada adalah agar aja akan aku apa apakah atau bagaimana bagi bahwa banget belum
    benar bisa buat cara dalam dan dari dengan di dia diri gak hari harus hati ini itu jadi
    jika juga kalau kami kamu karena ke kenapa ketika kita lagi lebih mau merasa mengapa
    minta nya orang pada para saat saja sama sampai sangat saya sedang selalu semua sering
    setelah sudah supaya tapi tentang terlalu tidak untuk yang""".split()
)


def query_language(text: str) -> str:
    """ "ar", "en", "id", or "" when the query gives no clue (a lone keyword)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return ""
    arabic = sum(1 for ch in letters if _ARABIC.match(ch))
    if arabic * 2 >= len(letters):
        return "ar"
    words = [word.lower() for word in _WORD.findall(text)]
    english = sum(word in ENGLISH_WORDS for word in words)
    indonesian = sum(word in INDONESIAN_WORDS for word in words)
    if english > indonesian:
        return "en"
    if indonesian > english:
        return "id"
    return ""
