"""A small, realistic multilingual sample of the two source tables for the quickstart.

Shapes are deliberately mixed, as in real tables: localized objects, a plain string
title, a JSON-encoded object inside a string, a missing language, a REJECTED reference,
an ARCHIVED and an inactive journey.
"""

from __future__ import annotations

KNOWLEDGE_ROWS: list[dict] = [
    {
        "id": "ref_verse_2_286",
        "category": "VERSE",
        "source": "Quran 2:286",
        "title": {
            "en": "Allah does not burden a soul beyond its capacity",
            "id": "Allah tidak membebani seseorang melainkan sesuai kesanggupannya",
        },
        "content": {
            "en": "Allah does not charge a soul except with that within its capacity. It will have the good it has gained, and it will bear the evil it has earned.",
            "id": "Allah tidak membebani seseorang melainkan sesuai dengan kesanggupannya. Ia mendapat pahala dari kebajikan yang diusahakannya dan mendapat siksa dari kejahatan yang dikerjakannya.",
        },
        "content_ar": "لَا يُكَلِّفُ اللَّهُ نَفْسًا إِلَّا وُسْعَهَا",
        "tags": ["burden", "capacity", "hope"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_verse_13_28",
        "category": "VERSE",
        "source": "Quran 13:28",
        "title": {
            "en": "Hearts find rest in the remembrance of Allah",
            "id": "Hati menjadi tenteram dengan mengingat Allah",
        },
        "content": {
            "en": "Those who have believed and whose hearts are assured by the remembrance of Allah. Unquestionably, by the remembrance of Allah hearts are assured.",
            "id": "Orang-orang yang beriman dan hati mereka menjadi tenteram dengan mengingat Allah. Ingatlah, hanya dengan mengingat Allah hati menjadi tenteram.",
        },
        "content_ar": "أَلَا بِذِكْرِ اللَّهِ تَطْمَئِنُّ الْقُلُوبُ",
        "tags": ["anxiety", "dhikr", "peace"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_verse_94_5",
        "category": "VERSE",
        "source": "Quran 94:5-6",
        "title": {"en": "With hardship comes ease", "id": "Sesudah kesulitan ada kemudahan"},
        "content": {
            "en": "For indeed, with hardship will be ease. Indeed, with hardship will be ease.",
            "id": "Karena sesungguhnya sesudah kesulitan itu ada kemudahan. Sesungguhnya sesudah kesulitan itu ada kemudahan.",
        },
        "content_ar": "فَإِنَّ مَعَ الْعُسْرِ يُسْرًا",
        "tags": ["hardship", "hope", "patience"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_hadith_anger",
        "category": "HADITH",
        "source": "Sahih al-Bukhari 6116",
        "title": {"en": "Do not become angry", "id": "Jangan marah"},
        "content": {
            "en": "A man asked the Prophet for advice. He said: Do not become angry. The man repeated his request several times, and each time he said: Do not become angry.",
            "id": "Seorang laki-laki meminta nasihat kepada Nabi. Beliau bersabda: Jangan marah. Orang itu mengulanginya beberapa kali, dan beliau tetap bersabda: Jangan marah.",
        },
        "tags": ["anger", "self-control"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_hadith_strong_believer",
        "category": "HADITH",
        "source": "Sahih Muslim 2664",
        "title": {"en": "The strong believer", "id": "Mukmin yang kuat"},
        "content": {
            "en": "Strive for what benefits you, seek help from Allah and do not feel helpless. If something befalls you, do not say 'if only I had done this'.",
            "id": "Bersemangatlah atas apa yang bermanfaat bagimu, mintalah pertolongan kepada Allah dan jangan lemah. Jika sesuatu menimpamu, jangan berkata 'seandainya aku berbuat begini'.",
        },
        "tags": ["motivation", "regret"],
        "status": "PENDING",
    },
    {
        "id": "ref_strategy_breathing",
        "category": "STRATEGY",
        "source": "CBT practice",
        "title": {"en": "Box breathing for panic", "id": "Pernapasan kotak saat panik"},
        "content": {
            "en": "Breathe in for four seconds, hold for four, breathe out for four, hold for four. Repeat for two minutes to calm a racing heart during a panic attack.",
            "id": "Tarik napas empat detik, tahan empat detik, hembuskan empat detik, tahan empat detik. Ulangi selama dua menit untuk menenangkan jantung yang berdebar saat serangan panik.",
        },
        "tags": ["anxiety", "panic", "breathing"],
        "status": "VERIFIED",
        "searchable_text": "panic attack calming technique heart racing",
    },
    {
        "id": "ref_strategy_sleep",
        "category": "STRATEGY",
        "source": "Sleep hygiene",
        "title": "Wind-down routine for better sleep",
        "content": "Put screens away an hour before bed, make wudu, read a short surah and keep the same bedtime every night.",
        "tags": ["sleep", "insomnia", "routine"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_strategy_gratitude",
        "category": "STRATEGY",
        "source": "Positive psychology",
        "title": '{"en": "Three blessings journal", "id": "Jurnal tiga nikmat"}',
        "content": {
            "en": "Each evening write down three blessings from the day and thank Allah for each one.",
            "id": None,
        },
        "tags": ["gratitude", "journaling"],
        "status": "DRAFT",
    },
    {
        "id": "ref_dua_distress",
        "category": "DUA",
        "source": "Sunan Abi Dawud 1525",
        "title": {"en": "Dua in times of distress", "id": "Doa ketika dalam kesusahan"},
        "content": {
            "en": "Allah, Allah is my Lord, I do not associate anything with Him.",
            "id": "Allah, Allah adalah Tuhanku, aku tidak menyekutukan-Nya dengan sesuatu pun.",
        },
        "content_ar": "اللَّهُ اللَّهُ رَبِّي لَا أُشْرِكُ بِهِ شَيْئًا",
        "tags": ["distress", "dua"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_dua_grief",
        "category": "DUA",
        "source": "Sahih Muslim 918",
        "title": {"en": "Dua when afflicted by loss", "id": "Doa ketika ditimpa musibah"},
        "content": {
            "en": "We belong to Allah and to Him we shall return. O Allah, reward me in my affliction and replace it with something better.",
            "id": "Sesungguhnya kami milik Allah dan kepada-Nya kami kembali. Ya Allah, berilah pahala dalam musibahku dan gantilah dengan yang lebih baik.",
        },
        "tags": ["grief", "loss", "dua"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_story_yunus",
        "category": "STORY",
        "source": "Quran 21:87-88",
        "title": {
            "en": "Prophet Yunus in the belly of the whale",
            "id": "Nabi Yunus di dalam perut ikan",
        },
        "content": {
            "en": "In the darkness Yunus called out: there is no god but You, glory be to You, I have been among the wrongdoers. Allah answered him and saved him from distress.",
            "id": "Dalam kegelapan Yunus berseru: tidak ada Tuhan selain Engkau, Mahasuci Engkau, sungguh aku termasuk orang yang zalim. Allah mengabulkannya dan menyelamatkannya dari kedukaan.",
        },
        "tags": ["hope", "repentance", "story"],
        "status": "VERIFIED",
    },
    {
        "id": "ref_rejected_duplicate",
        "category": "STRATEGY",
        "source": "duplicate entry",
        "title": {"en": "Duplicate of box breathing", "id": "Duplikat pernapasan kotak"},
        "content": {
            "en": "Rejected by the reviewers as a duplicate.",
            "id": "Ditolak oleh peninjau karena duplikat.",
        },
        "tags": [],
        "status": "REJECTED",
    },
]

JOURNEY_ROWS: list[dict] = [
    {
        "id": "tpl_anxiety_7d",
        "goal_keyword": "anxiety",
        "tags": ["anxiety", "calm"],
        "is_active": True,
        "status": "PUBLISHED",
        "match_count": 42,
        "full_json": {
            "goal": "Manage anxiety with calm daily habits",
            "introduction": {
                "en": "Seven days of small steps towards a quieter heart.",
                "id": "Tujuh hari langkah kecil menuju hati yang lebih tenang.",
            },
            "duration_days": 7,
            "steps": [
                {
                    "day": 1,
                    "title": {"en": "Notice your breath", "id": "Sadari napasmu"},
                    "description": {
                        "en": "Practise box breathing twice today.",
                        "id": "Latih pernapasan kotak dua kali hari ini.",
                    },
                    "knowledge_reference_ids": ["ref_strategy_breathing"],
                },
                {
                    "day": 2,
                    "title": {"en": "Remember Allah", "id": "Ingat Allah"},
                    "description": {
                        "en": "Reflect on Quran 13:28 after each prayer.",
                        "id": "Renungkan Al-Quran 13:28 setelah setiap salat.",
                    },
                    "knowledge_reference_ids": ["ref_verse_13_28"],
                },
            ],
        },
    },
    {
        "id": "tpl_sleep_5d",
        "goal_keyword": "sleep",
        "tags": ["sleep", "insomnia"],
        "is_active": True,
        "status": "PUBLISHED",
        "match_count": 17,
        "full_json": {
            "goal": {
                "en": "Sleep better within five nights",
                "id": "Tidur lebih nyenyak dalam lima malam",
            },
            "introduction": "A gentle evening routine rooted in sunnah.",
            "steps": [
                {
                    "day": 1,
                    "title": "Screens off",
                    "description": "No phone for an hour before bed.",
                },
                {
                    "day": 2,
                    "title": {"en": "Evening adhkar"},
                    "description": {"en": "Recite the evening remembrances before sleeping."},
                },
            ],
        },
    },
    {
        "id": "tpl_grief_14d",
        "goal_keyword": "grief",
        "tags": ["grief", "loss"],
        "is_active": False,
        "status": "PUBLISHED",
        "match_count": 5,
        "searchable_text": "coping with the death of a loved one, bereavement",
        "full_json": {
            "goal": {
                "en": "Find patience after losing someone you love",
                "id": "Menemukan kesabaran setelah kehilangan orang tercinta",
            },
            "steps": [
                {
                    "day": 1,
                    "title": {"en": "Allow yourself to grieve"},
                    "description": {"en": "Tears are not a lack of faith."},
                },
            ],
        },
    },
    {
        "id": "tpl_anger_draft",
        "goal_keyword": "anger",
        "tags": ["anger"],
        "is_active": True,
        "status": "DRAFT",
        "match_count": 0,
        "full_json": '{"goal": "Control anger before it controls you", "steps": []}',
    },
    {
        "id": "tpl_old_productivity",
        "goal_keyword": "productivity",
        "tags": ["productivity"],
        "is_active": True,
        "status": "ARCHIVED",
        "match_count": 3,
        "full_json": {"goal": "Old productivity journey, archived"},
    },
]
