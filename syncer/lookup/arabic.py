"""Arabic text as users type it versus as the rows store it.

Rows hold Arabic with full vocalisation (tashkeel), Quranic annotation marks, tatweel and
the several written forms of alef, ya, ta marbuta and hamza; users type bare letters, often
with another form of the same letter, and sometimes Arabic-Indic digits. Both sides are
normalized to one form; ``arabic_phrase_pattern`` goes the other way and matches a
normalized phrase inside stored (vocalised) text. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic annotation marks, tatweel.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_MARKS_RE = re.compile(f"[{_MARKS}]")
# The letter forms unified, and the character class of stored forms for each.
_UNIFIED = str.maketrans(
    {
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ alef wasla
        "\u0672": "\u0627",
        "\u0673": "\u0627",
        "\u0649": "\u064a",  # ى alef maqsura -> ya
        "\u0626": "\u064a",  # ئ
        "\u06cc": "\u064a",  # Persian ya
        "\u0629": "\u0647",  # ة ta marbuta -> ha
        "\u0624": "\u0648",  # ؤ
        "\u06a9": "\u0643",  # Persian kaf
        # Arabic-Indic and Eastern Arabic-Indic digits
        **{chr(0x0660 + n): str(n) for n in range(10)},
        **{chr(0x06F0 + n): str(n) for n in range(10)},
    }
)
_STORED_FORMS = {
    "\u0627": "\u0627\u0623\u0625\u0622\u0671\u0672\u0673",
    "\u064a": "\u064a\u0649\u0626\u06cc",
    "\u0647": "\u0647\u0629",
    "\u0648": "\u0648\u0624",
    "\u0643": "\u0643\u06a9",
}
# Arabic presentation forms (the shaped glyphs text copied from a PDF or an old editor
# holds: ﺭﺏ for رب), read as the letters they show.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
# Invisible format characters pasted text carries inside and around words: soft hyphen,
# Arabic letter mark, ZWNJ, ZWJ, LRM, RLM, bidi embeddings and isolates, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u061c\u200c-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LETTER = re.compile(r"[^\W\d_]")


def arabic_normalize(text: str) -> str:
    """Without marks and tatweel, one form per letter, ASCII digits. Non-Arabic text is
    left as it is (digits aside). Presentation forms become the letters they show;
    invisible format characters are dropped."""
    text = _PRESENTATION_FORMS.sub(lambda found: unicodedata.normalize("NFKC", found[0]), text)
    return _MARKS_RE.sub("", _INVISIBLE.sub("", text)).translate(_UNIFIED)


def arabic_share(text: str) -> float:
    """The share of the letters of ``text`` that are Arabic (0.0 when it has none)."""
    letters = _LETTER.findall(arabic_normalize(text))
    if not letters:
        return 0.0
    return sum(bool(_ARABIC_LETTER.match(letter)) for letter in letters) / len(letters)


def arabic_words(text: str) -> list[str]:
    """The Arabic words of ``text``, normalized."""
    return re.findall(r"[\u0621-\u064a]+", arabic_normalize(text))


def arabic_phrase_pattern(words: list[str]) -> str:
    """A regular expression (Rust syntax: Chroma's ``$regex``) that finds these normalized words, in
    order and adjacent, inside stored Arabic text whatever its marks and letter forms, at a
    word start."""
    marks = f"[{_MARKS}]*"
    between = f"(?:[{_MARKS}]|[^\\p{{L}}\\p{{N}}])+"
    parts = []
    for word in words:
        letters = []
        for letter in word:
            forms = _STORED_FORMS.get(letter)
            letters.append((f"[{forms}]" if forms else re.escape(letter)) + marks)
        parts.append("".join(letters))
    return "(?:^|[^\\p{L}\\p{M}])" + between.join(parts)
