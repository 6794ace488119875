"""The 114 surahs: verse counts and the names users write them by (Latin transliterations
as Indonesian and English writers spell them, and Arabic), folded to lookup keys.

``latin_key`` folds the spelling variations of transliterated Arabic (al-/an-/asy-
articles, sy/sh, dz/dh, ts/th, kh, q/k, doubled letters, a final h, apostrophes) so that
"Al-Baqarah", "al baqara", "Baqarah" and "AL-BAQARAH" are one key; each surah also lists
its other names (Al-Insyirah = Asy-Syarh = Alam Nasyrah).
"""

from __future__ import annotations

import re
from functools import cache

from syncer.lookup.arabic import arabic_normalize

# (verses, Arabic names, Latin names): surah n is SURAHS[n - 1]. Verse counts: Hafs.
SURAHS: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (7, ("الفاتحة",), ("Al-Fatihah", "Fatiha", "Al-Fatiha")),
    (286, ("البقرة",), ("Al-Baqarah", "Al-Baqara", "Baqarah", "The Cow")),
    (200, ("آل عمران",), ("Ali 'Imran", "Ali Imran", "Al-Imran", "Aal-e-Imran", "Al 'Imran")),
    (176, ("النساء",), ("An-Nisa", "An-Nisa'", "Nisaa")),
    (120, ("المائدة",), ("Al-Ma'idah", "Al-Maidah", "Al-Maaida")),
    (165, ("الأنعام",), ("Al-An'am", "Al-Anam", "Al-An'aam")),
    (206, ("الأعراف",), ("Al-A'raf", "Al-Araf", "Al-A'raaf")),
    (75, ("الأنفال",), ("Al-Anfal",)),
    (129, ("التوبة", "براءة"), ("At-Taubah", "At-Tawbah", "Taubah", "Bara'ah")),
    (109, ("يونس",), ("Yunus", "Younus")),
    (123, ("هود",), ("Hud", "Houd")),
    (111, ("يوسف",), ("Yusuf", "Yousuf", "Yusuff")),
    (43, ("الرعد",), ("Ar-Ra'd", "Ar-Rad", "Ar-Ra'du")),
    (52, ("إبراهيم",), ("Ibrahim", "Ibraheem")),
    (99, ("الحجر",), ("Al-Hijr",)),
    (128, ("النحل",), ("An-Nahl",)),
    (111, ("الإسراء", "بني إسرائيل"), ("Al-Isra", "Al-Isra'", "Al-Israa", "Bani Israil")),
    (110, ("الكهف",), ("Al-Kahf", "Al-Kahfi")),
    (98, ("مريم",), ("Maryam", "Mariam")),
    (135, ("طه",), ("Taha", "Ta-Ha", "Thaha", "Thoha")),
    (112, ("الأنبياء",), ("Al-Anbiya", "Al-Anbiya'", "Al-Anbiyaa")),
    (78, ("الحج",), ("Al-Hajj", "Al-Haj")),
    (118, ("المؤمنون",), ("Al-Mu'minun", "Al-Muminun", "Al-Mu'minoon")),
    (64, ("النور",), ("An-Nur", "An-Noor")),
    (77, ("الفرقان",), ("Al-Furqan", "Al-Furqon")),
    (227, ("الشعراء",), ("Asy-Syu'ara", "Ash-Shu'ara", "Asy-Syuara", "Ash-Shuara")),
    (93, ("النمل",), ("An-Naml",)),
    (88, ("القصص",), ("Al-Qasas", "Al-Qashash", "Al-Qasas")),
    (69, ("العنكبوت",), ("Al-'Ankabut", "Al-Ankabut", "Al-Ankaboot")),
    (60, ("الروم",), ("Ar-Rum", "Ar-Room")),
    (34, ("لقمان",), ("Luqman", "Lukman")),
    (30, ("السجدة",), ("As-Sajdah", "As-Sajda")),
    (73, ("الأحزاب",), ("Al-Ahzab",)),
    (54, ("سبأ",), ("Saba", "Saba'")),
    (45, ("فاطر",), ("Fatir", "Fathir")),
    (83, ("يس",), ("Yasin", "Ya-Sin", "Yaseen", "Ya Sin")),
    (182, ("الصافات",), ("As-Saffat", "Ash-Shaffat", "As-Shaffat")),
    (88, ("ص",), ("Sad", "Shad", "Saad")),
    (75, ("الزمر",), ("Az-Zumar",)),
    (85, ("غافر", "المؤمن"), ("Ghafir", "Gafir", "Al-Mu'min")),
    (54, ("فصلت", "حم السجدة"), ("Fussilat", "Fushshilat", "Fushilat", "Ha Mim Sajdah")),
    (53, ("الشورى",), ("Asy-Syura", "Ash-Shura", "Asy-Syuro")),
    (89, ("الزخرف",), ("Az-Zukhruf",)),
    (59, ("الدخان",), ("Ad-Dukhan",)),
    (37, ("الجاثية",), ("Al-Jasiyah", "Al-Jathiyah", "Al-Jatsiyah", "Al-Jaatsiyah")),
    (35, ("الأحقاف",), ("Al-Ahqaf",)),
    (38, ("محمد", "القتال"), ("Muhammad", "Al-Qital")),
    (29, ("الفتح",), ("Al-Fath",)),
    (18, ("الحجرات",), ("Al-Hujurat",)),
    (45, ("ق",), ("Qaf",)),
    (60, ("الذاريات",), ("Adz-Dzariyat", "Adh-Dhariyat", "Az-Zariyat", "Adz-Dzaariyaat")),
    (49, ("الطور",), ("At-Tur", "Ath-Thur", "At-Thur")),
    (62, ("النجم",), ("An-Najm",)),
    (55, ("القمر",), ("Al-Qamar",)),
    (78, ("الرحمن",), ("Ar-Rahman", "Ar-Rahmaan")),
    (96, ("الواقعة",), ("Al-Waqi'ah", "Al-Waqiah", "Al-Waqia")),
    (29, ("الحديد",), ("Al-Hadid", "Al-Hadeed")),
    (22, ("المجادلة",), ("Al-Mujadilah", "Al-Mujadalah", "Al-Mujadila")),
    (24, ("الحشر",), ("Al-Hasyr", "Al-Hashr")),
    (13, ("الممتحنة",), ("Al-Mumtahanah", "Al-Mumtahinah", "Al-Mumtahana")),
    (14, ("الصف",), ("As-Saff", "Ash-Shaff")),
    (11, ("الجمعة",), ("Al-Jumu'ah", "Al-Jumuah", "Al-Jumu'a")),
    (11, ("المنافقون",), ("Al-Munafiqun", "Al-Munafiqoon")),
    (18, ("التغابن",), ("At-Tagabun", "At-Taghabun")),
    (12, ("الطلاق",), ("At-Talaq", "Ath-Thalaq", "At-Thalaq")),
    (12, ("التحريم",), ("At-Tahrim", "At-Tahreem")),
    (30, ("الملك", "تبارك"), ("Al-Mulk", "Tabarak")),
    (52, ("القلم",), ("Al-Qalam",)),
    (52, ("الحاقة",), ("Al-Haqqah", "Al-Haaqqa")),
    (44, ("المعارج",), ("Al-Ma'arij", "Al-Maarij")),
    (28, ("نوح",), ("Nuh", "Nooh")),
    (28, ("الجن",), ("Al-Jinn",)),
    (20, ("المزمل",), ("Al-Muzzammil", "Al-Muzammil")),
    (56, ("المدثر",), ("Al-Muddassir", "Al-Muddaththir", "Al-Muddatstsir", "Al-Mudatsir")),
    (40, ("القيامة",), ("Al-Qiyamah", "Al-Qiyama")),
    (31, ("الإنسان", "الدهر"), ("Al-Insan", "Ad-Dahr")),
    (50, ("المرسلات",), ("Al-Mursalat",)),
    (40, ("النبأ",), ("An-Naba", "An-Naba'")),
    (46, ("النازعات",), ("An-Nazi'at", "An-Naziat")),
    (42, ("عبس",), ("'Abasa", "Abasa")),
    (29, ("التكوير",), ("At-Takwir", "At-Takweer")),
    (19, ("الانفطار",), ("Al-Infitar", "Al-Infithar")),
    (36, ("المطففين",), ("Al-Mutaffifin", "Al-Muthaffifin")),
    (25, ("الانشقاق",), ("Al-Insyiqaq", "Al-Inshiqaq")),
    (22, ("البروج",), ("Al-Buruj", "Al-Burooj")),
    (17, ("الطارق",), ("At-Tariq", "Ath-Thariq", "At-Thariq")),
    (19, ("الأعلى",), ("Al-A'la", "Al-Ala")),
    (26, ("الغاشية",), ("Al-Gasyiyah", "Al-Ghashiyah", "Al-Ghasyiyah")),
    (30, ("الفجر",), ("Al-Fajr",)),
    (20, ("البلد",), ("Al-Balad",)),
    (15, ("الشمس",), ("Asy-Syams", "Ash-Shams")),
    (21, ("الليل",), ("Al-Lail", "Al-Layl")),
    (11, ("الضحى",), ("Ad-Duha", "Adh-Dhuha", "Ad-Dhuha")),
    (
        8,
        ("الشرح", "الانشراح"),
        ("Asy-Syarh", "Ash-Sharh", "Al-Insyirah", "Al-Inshirah", "Alam Nasyrah"),
    ),
    (8, ("التين",), ("At-Tin", "At-Teen")),
    (19, ("العلق",), ("Al-'Alaq", "Al-Alaq")),
    (5, ("القدر",), ("Al-Qadr",)),
    (8, ("البينة",), ("Al-Bayyinah", "Al-Bayinah")),
    (8, ("الزلزلة",), ("Az-Zalzalah", "Az-Zilzal")),
    (11, ("العاديات",), ("Al-'Adiyat", "Al-Adiyat")),
    (11, ("القارعة",), ("Al-Qari'ah", "Al-Qariah")),
    (8, ("التكاثر",), ("At-Takasur", "At-Takathur", "At-Takatsur")),
    (3, ("العصر",), ("Al-'Asr", "Al-Asr", "Al-Ashr")),
    (9, ("الهمزة",), ("Al-Humazah",)),
    (5, ("الفيل",), ("Al-Fil", "Al-Feel")),
    (4, ("قريش",), ("Quraisy", "Quraysh", "Quraish")),
    (7, ("الماعون",), ("Al-Ma'un", "Al-Maun")),
    (3, ("الكوثر",), ("Al-Kausar", "Al-Kawthar", "Al-Kautsar")),
    (6, ("الكافرون",), ("Al-Kafirun", "Al-Kafiroon")),
    (3, ("النصر",), ("An-Nasr",)),
    (5, ("المسد", "اللهب"), ("Al-Masad", "Al-Lahab", "Tabbat")),
    (4, ("الإخلاص",), ("Al-Ikhlas",)),
    (5, ("الفلق",), ("Al-Falaq",)),
    (6, ("الناس",), ("An-Nas", "An-Naas")),
)

# Arabic articles as transliterated (a word of their own once hyphens are spaces).
ARTICLES = frozenset("al an ar as at ash asy az adz adh ad ath ats al el aal ul ush".split())
_FOLDS = (
    ("sy", "s"), ("sh", "s"), ("dz", "z"), ("dh", "z"), ("zh", "z"), ("ts", "s"),
    ("th", "t"), ("kh", "k"), ("gh", "g"), ("q", "k"), ("ee", "i"), ("oo", "u"),
    ("ou", "u"), ("aw", "au"), ("ay", "ai"), ("e", "i"), ("o", "u"),
)  # fmt: skip


def latin_key(words: list[str]) -> str:
    """One key for the spellings of a transliterated name given as lowercase words (the
    article already dropped by the caller or kept: a leading one is dropped here)."""
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    key = "".join(words)
    for old, new in _FOLDS:
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)  # doubled letters
    key = re.sub(r"(?<=[aiu])h$", "", key)  # Baqarah / Baqara
    key = re.sub(r"i?y$", "i", key)  # Bukhary / Bukhoriy
    return key


def arabic_key(words: list[str]) -> str:
    """One key for an Arabic name given as normalized words (a leading ال dropped)."""
    if words and words[0].startswith("ال") and len(words[0]) > 3:
        words = [words[0][2:], *words[1:]]
    return " ".join(words)


def name_words(name: str) -> list[str]:
    """Lowercase words of a name as written: apostrophes dropped, hyphens as spaces."""
    cleaned = re.sub(r"['’‘`ʿʾ]", "", name.lower())
    return re.findall(r"[^\W\d_]+", cleaned)


@cache
def surah_keys() -> dict[str, int]:
    """Lookup key -> surah number, for every Latin and Arabic name."""
    keys: dict[str, int] = {}
    for number, (_, arabic, latin) in enumerate(SURAHS, 1):
        for name in latin:
            keys[latin_key(name_words(name))] = number
        for name in arabic:
            keys[arabic_key(arabic_normalize(name).split())] = number
    return keys


def surah_verses(number: int) -> int:
    """How many verses surah ``number`` has (0 when there is no such surah)."""
    return SURAHS[number - 1][0] if 1 <= number <= len(SURAHS) else 0


def consonants(key: str) -> str:
    """A Latin key without its vowels: the last resort for spellings the folds miss
    (Al-Baqoroh, Ar-Rohman, Ali Imron)."""
    return re.sub(r"[aiu]", "", key)


@cache
def surah_consonant_keys() -> dict[str, int]:
    """Consonant key -> surah number, for the keys of three or more consonants that belong
    to one surah only."""
    owners: dict[str, set[int]] = {}
    for number, (_, _, latin) in enumerate(SURAHS, 1):
        for name in latin:
            owners.setdefault(consonants(latin_key(name_words(name))), set()).add(number)
    return {
        key: next(iter(numbers))
        for key, numbers in owners.items()
        if len(key) >= 3 and len(numbers) == 1
    }
