"""Reading references the way users write them (pure: no database, no Chroma)."""

from __future__ import annotations

import pytest

from syncer.lookup import journey_lookup_keys, knowledge_lookup_keys, query_lookup
from syncer.lookup.arabic import arabic_normalize
from syncer.lookup.parse import references_in
from syncer.lookup.quran import SURAHS, arabic_key, latin_key, name_words, surah_keys


def test_the_surah_table_is_complete_and_its_names_do_not_collide() -> None:
    assert len(SURAHS) == 114
    assert sum(verses for verses, _, _ in SURAHS) == 6236
    # Spelling variants of one surah may share a key; two surahs never do.
    by_key: dict[str, set[int]] = {}
    for number, (_, arabic, latin) in enumerate(SURAHS, 1):
        for name in latin:
            by_key.setdefault(latin_key(name_words(name)), set()).add(number)
        for name in arabic:
            by_key.setdefault(arabic_key(arabic_normalize(name).split()), set()).add(number)
    assert {key: numbers for key, numbers in by_key.items() if len(numbers) > 1} == {}
    assert len(surah_keys()) == len(by_key)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("QS. 3:139", ["qs:3:139"]),
        ("QS 3:139", ["qs:3:139"]),
        ("Q.S. Ali 'Imran: 139", ["qs:3:139"]),
        ("3:139", ["qs:3:139"]),
        ("Ali Imran 139", ["qs:3:139"]),
        ("surat ali imran ayat 139", ["qs:3:139"]),
        ("آل عمران ١٣٩", ["qs:3:139"]),
        ("[آل عمران: 139]", ["qs:3:139"]),
        ("سورة آل عمران الآية ١٣٩", ["qs:3:139"]),
        ("Al-Kahfi 10", ["qs:18:10"]),
        ("QS. Ali Imran (3) ayat 139", ["qs:3:139"]),
        ("Ali Imran 3 139", ["qs:3:139"]),  # the surah's own number, then the verse
        ("البقرة ٢ ٢٨٦", ["qs:2:286"]),
        ("surat ke-3 ayat 139", ["qs:3:139"]),
        ("QS 3/139", ["qs:3:139"]),
        ("ayat 139 surat ali imran", ["qs:3:139"]),
        ("verse 139 of surah Al-Imran", ["qs:3:139"]),
        ("الآية ١٣٩ من سورة آل عمران", ["qs:3:139"]),
        ("Ali Imron 139", ["qs:3:139"]),
        ("al-baqoroh ayat 45", ["qs:2:45"]),
        ("what does 3:139 say about grief", ["qs:3:139"]),
        ("QS. Asy-Syarh 94:5-6", ["qs:94:5", "qs:94:6"]),
        ("Ash-Sharh 6", ["qs:94:6"]),
        ("al inshirah ayat 5", ["qs:94:5"]),
        ("surah yasin", ["qs:36"]),
        ("ayat kursi", ["qs:2:255"]),
        ("HR. Bukhari 6018", ["hr:bukhari:6018"]),
        ("H.R. Muslim 2564", ["hr:muslim:2564"]),
        ("صحيح مسلم رقم ٢٥٦٤", ["hr:muslim:2564"]),
        ("Bukhari no. 1", ["hr:bukhari:1"]),
        ("Sahih al-Bukhari #52", ["hr:bukhari:52"]),
        ("hadits Arbain ke-13", ["hr:arbain:13"]),
        ("hadits riwayat muslim nomor 223", ["hr:muslim:223"]),
        ("Sunan Abi Dawud 5090", ["hr:abudawud:5090"]),
        ("HR. At-Tirmidhi 2516", ["hr:tirmidzi:2516"]),
        ("رواه مسلم ٢٢٣", ["hr:muslim:223"]),
        ("HR. Bukhari no. 6018 dan Muslim no. 47", ["hr:bukhari:6018", "hr:muslim:47"]),
    ],
)
def test_references_in_their_common_spellings(text: str, keys: list[str]) -> None:
    references = [key for key in query_lookup(text).keys if not key.startswith("kw:")]
    assert references == keys


@pytest.mark.parametrize(
    "text",
    [
        "feeling sad 2 weeks after the move",  # Sad is surah 38
        "wake up at 4:30 for tahajud",  # An-Nisa has a verse 30
        "bangun jam 3:30 untuk tahajud",
        "the score was 3:1",
        "muslim 5 tips for a calm morning",
        "kisah nabi yusuf 4 pelajaran",
        "QS 2:287",  # Al-Baqarah has 286 verses
        "115:1",
        "how to be patient",
    ],
)
def test_everyday_text_names_no_reference(text: str) -> None:
    assert references_in(text, strict=True) == []


@pytest.mark.parametrize(
    "text",
    [
        # Clock times without "at" / "jam": a time of day, a zero-padded hour, "8:00",
        # a.m. / p.m. (each named a verse, and that row came first as an exact match).
        "bangun 4:30 pagi untuk tahajud",
        "tidur 10:30 malam",
        "sleep 10:30 tonight",
        "wake up 5:15 every morning",
        "tahajud 03:30",
        "sholat subuh 04:45",
        "jadwal belajar 7:30-8:00",
        "alarm 4:30 a.m.",
        "set an alarm for 4:30",
        # Diet ratios.
        "puasa diet 16:8",
        "5:2 diet",
    ],
)
def test_clock_times_and_ratios_name_no_verse(text: str) -> None:
    assert references_in(text, strict=True) == []


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        # A surah read so many times, minutes or rak'ahs: a count, not a verse (each
        # named one, and that verse's row came first as an exact match).
        ("baca al ikhlas 3 kali", []),
        ("Yasin 3 kali", []),
        ("an-nas 3x sebelum tidur", []),
        ("al-mulk 30 ayat sebelum tidur", []),
        ("baca al-kahfi 10 menit", []),
        ("al-fajr 2 rakaat", []),
        ("read al-ikhlas 3 times", []),
        ("taubah 5 langkah", []),
        ("yusuf 4 lessons for hard times", []),
        ("surah yasin 3 kali", ["qs:36"]),  # the surah, with a marker
        # Verses still named.
        ("Al-Kahfi 10", ["qs:18:10", "qs:18"]),
        ("Al-Baqarah 2 ayat 286", ["qs:2:286", "qs:2"]),
        ("al ikhlas 3 tentang tauhid", ["qs:112:3", "qs:112"]),
    ],
)
def test_a_count_after_a_surah_is_not_a_verse(text: str, keys: list[str]) -> None:
    assert references_in(text, strict=True) == keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("QS 3:30 pagi", ["qs:3:30"]),  # a marker still names it
        ("ayat 2:286 malam", ["qs:2:286"]),
        ("Al-Baqarah 2:286 at night", ["qs:2:286"]),
        ("2:286", ["qs:2:286"]),
        ("03:30", ["qs:3:30"]),  # nothing but a reference
    ],
)
def test_a_marked_verse_beside_a_time_word_is_still_named(text: str, keys: list[str]) -> None:
    assert [key for key in references_in(text, strict=True) if key.count(":") == 2] == keys


def test_a_rows_source_is_read_leniently_and_its_titles_strictly() -> None:
    keys = knowledge_lookup_keys(
        source="Sad 26",  # a source field is a reference
        titles=["When you feel sad: 3 steps", "QS. Al-Ankabut 29:69"],
        searchable_text="HR. Muslim no. 2699",
    )
    assert keys == ["qs:38:26", "qs:38", "qs:29:69", "qs:29", "hr:muslim:2699"]
    assert knowledge_lookup_keys(source="CBT", titles=["Breathing"], searchable_text=None) is None


def test_a_row_keeps_only_the_keys_its_lists_leave_room_for() -> None:
    keys = knowledge_lookup_keys(source="QS 2:1-30", titles=[], searchable_text=None, room=5)
    assert keys == ["qs:2:1", "qs:2:2", "qs:2:3", "qs:2:4", "qs:2:5"]
    assert knowledge_lookup_keys(source="QS 2:1", titles=[], searchable_text=None, room=0) is None


def test_goal_keywords_and_queries_share_one_key() -> None:
    assert journey_lookup_keys(goal_keyword="Digital Detox") == [
        "kw:digital detox",
        "kw:digitaldetox",
    ]
    assert query_lookup("  digital-detox ").keys == ("kw:digital detox", "kw:digitaldetox")
    assert journey_lookup_keys(goal_keyword="sleep") == ["kw:sleep"]


@pytest.mark.parametrize(
    ("keyword", "query"),
    [
        ("waswas", "was-was"),
        ("was-was", "waswas"),
        ("Was Was", "WAS-WAS"),
        ("selfcare", "self care"),
        ("self-care", "Selfcare"),
        ("move on", "moveon"),
    ],
)
def test_a_keyword_written_apart_hyphenated_or_joined_is_one_keyword(
    keyword: str, query: str
) -> None:
    assert set(journey_lookup_keys(goal_keyword=keyword)) & set(query_lookup(query).keys)


def test_different_keywords_share_no_key() -> None:
    assert not set(journey_lookup_keys(goal_keyword="was-was")) & set(query_lookup("was").keys)
    assert journey_lookup_keys(goal_keyword="  ") is None


def test_arabic_is_normalized_the_way_users_type_it() -> None:
    assert arabic_normalize("إِنَّ مَعَ الْعُسْرِ يُسْرًا") == "ان مع العسر يسرا"
    assert arabic_normalize("عَلَىٰ الصَّلَاةِ ١٢٣") == "علي الصلاه 123"
    assert arabic_normalize("اللّٰهُـــمَّ") == "اللهم"


def test_an_arabic_query_is_a_phrase_unless_it_is_a_reference() -> None:
    assert query_lookup("رَبِّ اشْرَحْ لِي صَدْرِي").arabic_phrase == ("رب", "اشرح", "لي", "صدري")
    assert query_lookup("البقرة ٢٨٦").arabic_phrase == ()
    assert query_lookup("الصبر").arabic_phrase == ()  # one word is a topic
    assert query_lookup("how to say رب اشرح لي صدري properly").arabic_phrase == ()


@pytest.mark.parametrize(
    "text",
    [
        "ﺭﺏ ﺍﺷﺮﺡ ﻟﻲ ﺻﺪﺭﻱ",  # presentation forms, as text copied from a PDF holds them
        "\u200fرب اشرح لي صد\u200dري\u200f",  # RLM around, ZWJ inside a word
        "ر\u00adب اش\u200cرح لي صدري",  # soft hyphen, ZWNJ inside words
    ],
)
def test_an_arabic_phrase_copied_with_presentation_forms_or_invisible_marks(text: str) -> None:
    assert query_lookup(text).arabic_phrase == ("رب", "اشرح", "لي", "صدري")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ﺳﻮﺭﺓ ﺍﻟﺒﻘﺮﺓ ٢٨٦", "qs:2:286"),
        ("سورة البقرة\u200f ٢٨٦", "qs:2:286"),
        ("ﺭﻭﺍﻩ ﺍﻟﺒﺨﺎﺭﻱ ٦٠١٨", "hr:bukhari:6018"),
    ],
)
def test_an_arabic_reference_copied_with_presentation_forms(text: str, key: str) -> None:
    assert key in query_lookup(text).keys


@pytest.mark.parametrize("text", ["QS ³:²⁸⁶", "2:¹", "surah ² ayat 286", "½ 2:286³", "QS ٢:٢٨٦x³"])
def test_digits_that_are_not_decimal_never_break_a_query(text: str) -> None:
    """Superscripts and fractions are digits to str.isdigit() but not to int(): a query
    holding them is read like any other (schemathesis found a 500 on `q=³`)."""
    lookup = query_lookup(text)
    assert lookup is not None
    for reference in references_in(text, strict=True):
        assert all(character.isdecimal() or not character.isdigit() for character in reference)
