"""The hadith collections users cite, by the names they write them with.

A citation is a collection and a number ("HR. Bukhari no. 6018", "Sunan Abi Dawud 1525",
"رواه البخاري ٦٠١٨"); the key of a collection is its canonical name below.
"""

from __future__ import annotations

from functools import cache

from syncer.lookup.arabic import arabic_normalize
from syncer.lookup.quran import arabic_key, latin_key, name_words

# canonical key: (Latin names, Arabic names)
COLLECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bukhari": (("Bukhari", "Al-Bukhari", "Bukhary", "Bukhori", "Bukhoriy"), ("البخاري",)),
    "muslim": (("Muslim",), ("مسلم",)),
    "tirmidzi": (
        ("Tirmidzi", "Tirmidhi", "Tirmizi", "At-Tirmidzi", "Turmudzi", "Termizi"),
        ("الترمذي",),
    ),
    "abudawud": (
        ("Abu Dawud", "Abu Daud", "Abu Dawood", "Abi Dawud", "Abi Daud", "Abu Dawuud"),
        ("ابو داود", "ابي داود"),
    ),
    "nasai": (("An-Nasa'i", "Nasa'i", "Nasai", "An-Nasai"), ("النسائي",)),
    "ibnumajah": (("Ibnu Majah", "Ibn Majah", "Ibnu Maajah", "Ibn Maja"), ("ابن ماجه",)),
    "ahmad": (("Ahmad", "Musnad Ahmad", "Imam Ahmad"), ("احمد",)),
    "malik": (("Malik", "Muwatta", "Muwaththa", "Al-Muwatta"), ("مالك", "الموطا")),
    "darimi": (("Ad-Darimi", "Darimi"), ("الدارمي",)),
    "ibnuhibban": (("Ibnu Hibban", "Ibn Hibban"), ("ابن حبان",)),
    "hakim": (("Al-Hakim", "Hakim"), ("الحاكم",)),
    "baihaqi": (("Al-Baihaqi", "Baihaqi", "Bayhaqi", "Al-Bayhaqi"), ("البيهقي",)),
    "thabrani": (
        ("At-Thabrani", "Thabrani", "Tabarani", "At-Tabarani", "Ath-Thabarani"),
        ("الطبراني",),
    ),
    "daruquthni": (("Ad-Daruquthni", "Daruquthni", "Daraqutni", "Ad-Daraqutni"), ("الدارقطني",)),
    "ibnukhuzaimah": (("Ibnu Khuzaimah", "Ibn Khuzaymah"), ("ابن خزيمه",)),
    "arbain": (
        ("Arbain", "Arba'in", "Arbain Nawawi", "Arba'in Nawawi", "Nawawi", "Forty Hadith"),
        ("الاربعين النوويه", "الاربعين"),
    ),
    "riyadhusshalihin": (
        ("Riyadhus Shalihin", "Riyadush Shalihin", "Riyadus Salihin", "Riyad as-Salihin"),
        ("رياض الصالحين",),
    ),
    "adabulmufrad": (("Adabul Mufrad", "Al-Adab Al-Mufrad"), ("الادب المفرد",)),
}
# Names that are also everyday words or people's names: a citation with one of them
# needs a hadith marker (HR., hadits, رواه...) unless the query is nothing but the citation.
AMBIGUOUS = frozenset({"muslim", "ahmad", "malik", "hakim", "arbain"})
# Words that come before a collection's name and say nothing more ("Sahih", "Sunan").
TITLES = frozenset(
    "sahih shahih shohih sunan musnad jami jamii imam hr hadits hadith hadis riwayat "
    "صحيح سنن مسند جامع رواه اخرجه الامام".split()
)


@cache
def collection_keys() -> dict[str, str]:
    """Lookup key of a written name -> canonical collection key."""
    keys: dict[str, str] = {}
    for canonical, (latin, arabic) in COLLECTIONS.items():
        for name in latin:
            keys[latin_key(name_words(name))] = canonical
        for name in arabic:
            keys[arabic_key(arabic_normalize(name).split())] = canonical
    return keys
