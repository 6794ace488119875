"""The quality benchmark's evaluation set, written by hand (issue 15).

An Indonesian-first Islamic wellbeing app: for each topic, the knowledge references and
the journey template a user asking about it should find, and the questions users ask, in
English, Indonesian and Arabic, that paraphrase rather than copy the rows' words.

Format (a held-out set given with ``python -m bench.quality --dataset PATH`` is a Python
file with the same four names; ``bench.quality.evalset.evalset_load`` reads and checks it):

- ``NAME``: the set's name, printed in every report.
- ``TOPICS``: a list of ``{"topic", "knowledge", "journeys", "queries"}``.
  ``knowledge`` / ``journeys`` are source rows shaped like the real tables (keys are the
  Django field names of ``knowledge.KnowledgeReference`` / ``journeys.JourneyTemplate``,
  i.e. the columns of source_schema.sql with ``contentAr`` as ``content_ar``; timestamps
  are added when the rows are inserted; a missing ``languages``/``status``/``content_ar``/
  ``searchable_text``/``is_active``/``match_count`` takes the tables' usual value). They
  are the rows relevant to the topic: a paraphrase query of the topic is answered when
  any of them is found. ``queries`` maps a source ("knowledge", "journeys") to a language
  ("en", "id", "ar") to a query or a list of queries; a query is a string, or
  ``{"text": ..., "also": [other topic names]}`` when the rows of those topics answer it
  too.
- ``DISTRACTORS``: ``{"knowledge": [...], "journeys": [...]}``: rows near some topic
  (same words, different need) that answer no query, and rows that must never be found
  (a REJECTED reference, an ARCHIVED or inactive template).
- ``EXACT_QUERIES``: ``{"text", "source", "expected"}``: a reference written the way users
  write it ("QS. 2:216", a hadith number, a du'a's first Arabic words, a journey's goal
  keyword) and the one row id that must come first.

Arabic texts are the verses', hadiths' and du'as' own words; ``source`` is written the way
the app writes references ("QS. Al-Baqarah 2:286", "HR. Bukhari no. 5641").
"""

from __future__ import annotations

from typing import Any

NAME = "halasync-quality-v1"

TOPICS: list[dict[str, Any]] = [
    # --- 1 -------------------------------------------------------------------------------
    {
        "topic": "anxiety",
        "knowledge": [
            {
                "id": "kr_anxiety_grounding",
                "category": "STRATEGY",
                "source": "CBT - teknik grounding",
                "title": {
                    "id": "Teknik grounding 5-4-3-2-1 saat cemas",
                    "en": "5-4-3-2-1 grounding when worry takes over",
                },
                "content": {
                    "id": "Sebutkan lima hal yang kamu lihat, empat yang bisa kamu sentuh, tiga yang kamu dengar, dua yang kamu cium dan satu yang kamu rasakan. Perhatian kembali ke saat ini dan gelombang kecemasan mereda.",
                    "en": "Name five things you can see, four you can touch, three you can hear, two you can smell and one you can taste. Attention returns to the present and the wave of worry settles.",
                },
                "tags": ["anxiety", "grounding", "cbt"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_anxiety_13_28",
                "category": "VERSE",
                "source": "QS. Ar-Ra'd 13:28",
                "title": {
                    "id": "Hati menjadi tenteram dengan mengingat Allah",
                    "en": "Hearts find rest in the remembrance of Allah",
                },
                "content": {
                    "id": "(Yaitu) orang-orang yang beriman dan hati mereka menjadi tenteram dengan mengingat Allah. Ingatlah, hanya dengan mengingat Allah hati menjadi tenteram.",
                    "en": "Those who believe and whose hearts find rest in the remembrance of Allah. Truly, in the remembrance of Allah do hearts find rest.",
                },
                "content_ar": "الَّذِينَ آمَنُوا وَتَطْمَئِنُّ قُلُوبُهُم بِذِكْرِ اللَّهِ ۗ أَلَا بِذِكْرِ اللَّهِ تَطْمَئِنُّ الْقُلُوبُ",
                "tags": ["anxiety", "dhikr", "peace"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_anxiety",
                "goal_keyword": "anxiety",
                "tags": ["anxiety", "calm"],
                "match_count": 214,
                "full_json": {
                    "goal": {
                        "id": "Mengelola kecemasan dengan kebiasaan harian yang menenangkan",
                        "en": "Manage anxiety with calming daily habits",
                    },
                    "introduction": {
                        "id": "Tujuh hari langkah kecil menuju hati yang lebih tenang: tubuh, pikiran dan dzikir.",
                        "en": "Seven days of small steps towards a calmer heart: body, mind and remembrance.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Kembali ke saat ini",
                                "en": "Come back to the present",
                            },
                            "description": {
                                "id": "Latih teknik grounding 5-4-3-2-1 setiap kali pikiran mulai berlari.",
                                "en": "Practise 5-4-3-2-1 grounding whenever your thoughts start to run.",
                            },
                            "knowledge_reference_ids": ["kr_anxiety_grounding"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Dzikir pagi dan petang",
                                "en": "Morning and evening dhikr",
                            },
                            "description": {
                                "id": "Renungkan QS. Ar-Ra'd 13:28 setelah salat Subuh dan Magrib.",
                                "en": "Reflect on QS. Ar-Ra'd 13:28 after the dawn and sunset prayers.",
                            },
                            "knowledge_reference_ids": ["kr_anxiety_13_28"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Catat pemicunya", "en": "Write down the triggers"},
                            "description": {
                                "id": "Tulis kapan rasa cemas muncul dan apa yang sedang kamu pikirkan.",
                                "en": "Note when the unease appears and what you were thinking about.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my mind won't stop racing and I feel on edge all day, what can help?",
                "id": "aku gelisah terus dan dada rasanya nggak tenang, ada ayat yang bisa menenangkan?",
                "ar": "أشعر بتوتر دائم وقلبي مضطرب طوال اليوم، ماذا أفعل؟",
            },
            "journeys": {
                "en": "a week-long program to stop feeling nervous all the time",
                "id": "program seminggu supaya hati nggak was-was terus sepanjang hari",
                "ar": "برنامج لمدة أسبوع للتخلص من التوتر المستمر",
            },
        },
    },
    # --- 2 -------------------------------------------------------------------------------
    {
        "topic": "panic",
        "knowledge": [
            {
                "id": "kr_panic_box_breathing",
                "category": "STRATEGY",
                "source": "Teknik pernapasan klinis",
                "title": {
                    "id": "Pernapasan kotak saat serangan panik",
                    "en": "Box breathing during a panic attack",
                },
                "content": {
                    "id": "Tarik napas empat hitungan, tahan empat, hembuskan empat, tahan empat. Ulangi dua menit sampai detak jantung melambat. Ingatkan diri: serangan panik memuncak lalu reda sendiri.",
                    "en": "Breathe in for a count of four, hold four, breathe out four, hold four. Repeat for two minutes until the heartbeat slows. Remind yourself: a panic attack peaks and then passes on its own.",
                },
                "tags": ["panic", "breathing"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
                "searchable_text": "panic attack heart pounding short of breath",
            },
            {
                "id": "kr_panic_dua_yunus",
                "category": "DUA",
                "source": "QS. Al-Anbiya 21:87",
                "title": {
                    "id": "Doa Nabi Yunus dalam kegelapan",
                    "en": "The supplication of Yunus in the darkness",
                },
                "content": {
                    "id": "Di dalam perut ikan, dalam tiga lapis kegelapan, Nabi Yunus berseru: tidak ada Tuhan selain Engkau, Mahasuci Engkau, sungguh aku termasuk orang-orang yang zalim. Allah menyelamatkannya dari kesusahan.",
                    "en": "Inside the whale, in three layers of darkness, Yunus called out: there is no god but You, glory be to You, I have been among the wrongdoers. Allah rescued him from distress.",
                },
                "content_ar": "لَا إِلَٰهَ إِلَّا أَنتَ سُبْحَانَكَ إِنِّي كُنتُ مِنَ الظَّالِمِينَ",
                "tags": ["panic", "distress", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_panic",
                "goal_keyword": "panic attacks",
                "tags": ["panic", "breathing"],
                "match_count": 88,
                "full_json": {
                    "goal": "Ride out panic attacks without fear",
                    "introduction": {
                        "id": "Lima hari untuk memahami tubuhmu saat serangan panik dan melewatinya dengan napas dan doa.",
                        "en": "Five days to understand your body during a panic attack and get through it with breath and prayer.",
                    },
                    "duration_days": 5,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Kenali gejalanya", "en": "Know the signs"},
                            "description": {
                                "id": "Jantung berdebar dan napas pendek adalah alarm tubuh, bukan bahaya.",
                                "en": "A pounding heart and short breath are the body's alarm, not a danger.",
                            },
                        },
                        {
                            "day": 2,
                            "title": {"id": "Napas kotak", "en": "Box breathing"},
                            "description": {
                                "id": "Latih napas empat hitungan tiga kali sehari, saat sedang tenang.",
                                "en": "Practise four-count breathing three times a day while calm.",
                            },
                            "knowledge_reference_ids": ["kr_panic_box_breathing"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Doa Nabi Yunus", "en": "The prayer of Yunus"},
                            "description": {
                                "id": "Hafalkan doa Nabi Yunus dan bacalah saat gelombang panik datang.",
                                "en": "Memorise the prayer of Yunus and say it when the wave arrives.",
                            },
                            "knowledge_reference_ids": ["kr_panic_dua_yunus"],
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "suddenly my chest tightens, I can't catch my breath and I think I'm dying",
                "id": "tiba-tiba jantungku deg-degan kencang, sesak, rasanya mau pingsan",
                "ar": "فجأة يخفق قلبي بسرعة وأختنق وأشعر أنني سأموت",
            },
            "journeys": {
                "en": "help me cope with sudden episodes of terror in my body",
                "id": "latihan beberapa hari untuk menghadapi serangan takut mendadak yang bikin sesak",
                "ar": "خطة لأتعلم التعامل مع نوبات الهلع المفاجئة",
            },
        },
    },
    # --- 3 -------------------------------------------------------------------------------
    {
        "topic": "grief",
        "knowledge": [
            {
                "id": "kr_grief_dua_918",
                "category": "DUA",
                "source": "HR. Muslim no. 918",
                "title": {
                    "id": "Doa ketika ditimpa musibah kehilangan",
                    "en": "Dua when struck by a loss",
                },
                "content": {
                    "id": "Sesungguhnya kami milik Allah dan kepada-Nya kami kembali. Ya Allah, berilah aku pahala dalam musibahku dan gantikan untukku yang lebih baik darinya. Ummu Salamah membacanya ketika suaminya wafat.",
                    "en": "We belong to Allah and to Him we return. O Allah, reward me in my affliction and replace it for me with something better. Umm Salamah said it when her husband died.",
                },
                "content_ar": "إِنَّا لِلَّهِ وَإِنَّا إِلَيْهِ رَاجِعُونَ، اللَّهُمَّ أْجُرْنِي فِي مُصِيبَتِي وَأَخْلِفْ لِي خَيْرًا مِنْهَا",
                "tags": ["grief", "loss", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_grief_allow_tears",
                "category": "STRATEGY",
                "source": "Konseling duka",
                "title": {
                    "id": "Air mata bukan tanda iman yang lemah",
                    "en": "Tears are not a weakness of faith",
                },
                "content": {
                    "id": "Nabi menangis ketika putranya Ibrahim wafat dan bersabda: mata menangis, hati bersedih, namun kami hanya mengucapkan yang diridai Allah. Beri ruang untuk berduka, bicarakan almarhum, dan doakan ia setiap hari.",
                    "en": "The Prophet wept when his son Ibrahim died and said: the eyes shed tears and the heart grieves, yet we say only what pleases our Lord. Give mourning its room, talk about the one who died, and pray for them daily.",
                },
                "tags": ["grief", "mourning"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_grief",
                "goal_keyword": "grief",
                "tags": ["grief", "loss"],
                "match_count": 131,
                "searchable_text": "bereavement, death of a loved one",
                "full_json": {
                    "goal": {
                        "id": "Menemukan ketenangan setelah kehilangan orang tercinta",
                        "en": "Find peace after losing someone you love",
                    },
                    "introduction": {
                        "id": "Empat belas hari untuk berduka dengan sabar, tanpa memendam dan tanpa putus asa.",
                        "en": "Fourteen days to mourn with patience, without bottling it up and without despair.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Izinkan dirimu berduka",
                                "en": "Allow yourself to mourn",
                            },
                            "description": {
                                "id": "Menangis tidak mengurangi imanmu; Nabi pun menangis.",
                                "en": "Crying does not lessen your faith; the Prophet wept too.",
                            },
                            "knowledge_reference_ids": ["kr_grief_allow_tears"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Doa Ummu Salamah", "en": "The dua of Umm Salamah"},
                            "description": {
                                "id": "Ucapkan istirja' dan mintalah ganti yang lebih baik.",
                                "en": "Say the words of return to Allah and ask for something better.",
                            },
                            "knowledge_reference_ids": ["kr_grief_dua_918"],
                        },
                        {
                            "day": 3,
                            "title": {
                                "id": "Amal untuk almarhum",
                                "en": "Good deeds for the departed",
                            },
                            "description": {
                                "id": "Bersedekah atas nama orang yang kamu rindukan.",
                                "en": "Give charity on behalf of the person you miss.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my mother passed away last month and I can't stop crying",
                "id": "ayahku baru meninggal, aku hancur banget, doa apa yang bisa kubaca?",
                "ar": "توفي أخي الأسبوع الماضي وأنا منهار، ماذا أقول؟",
            },
            "journeys": {
                "en": "a path for healing after a death in the family",
                "id": "pendampingan untuk melewati masa berkabung setelah ditinggal suami",
                "ar": "برنامج يساعدني على تجاوز وفاة والدي",
            },
        },
    },
    # --- 4 -------------------------------------------------------------------------------
    {
        "topic": "anger",
        "knowledge": [
            {
                "id": "kr_anger_6116",
                "category": "HADITH",
                "source": "HR. Bukhari no. 6116",
                "title": {"id": "Jangan marah", "en": "Do not become angry"},
                "content": {
                    "id": "Seorang laki-laki berkata kepada Nabi: berilah aku nasihat. Beliau bersabda: jangan marah. Orang itu mengulanginya beberapa kali, dan beliau tetap bersabda: jangan marah.",
                    "en": "A man said to the Prophet: advise me. He said: do not become angry. The man repeated his request several times, and each time he said: do not become angry.",
                },
                "content_ar": "أَنَّ رَجُلًا قَالَ لِلنَّبِيِّ صَلَّى اللَّهُ عَلَيْهِ وَسَلَّمَ: أَوْصِنِي، قَالَ: لَا تَغْضَبْ، فَرَدَّدَ مِرَارًا، قَالَ: لَا تَغْضَبْ",
                "tags": ["anger", "self-control"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_anger_6114",
                "category": "HADITH",
                "source": "HR. Bukhari no. 6114",
                "title": {
                    "id": "Orang kuat adalah yang menguasai dirinya",
                    "en": "The strong one masters himself",
                },
                "content": {
                    "id": "Orang yang kuat bukanlah yang pandai bergulat, tetapi orang yang kuat adalah yang mampu menguasai dirinya ketika marah.",
                    "en": "The strong one is not the one who wrestles others down; the strong one is the one who controls himself when angry.",
                },
                "content_ar": "لَيْسَ الشَّدِيدُ بِالصُّرَعَةِ، إِنَّمَا الشَّدِيدُ الَّذِي يَمْلِكُ نَفْسَهُ عِنْدَ الْغَضَبِ",
                "tags": ["anger", "strength"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_anger_cool_down",
                "category": "STRATEGY",
                "source": "Manajemen emosi",
                "title": "Cooling down before you speak",
                "content": {
                    "id": "Saat emosi memuncak: diam, ubah posisi (jika berdiri, duduklah), berwudu, dan tunda pembicaraan dua puluh menit. Setelah tubuh tenang, sampaikan kebutuhanmu tanpa menyerang.",
                    "en": "When the heat rises: stay silent, change your posture (sit down if standing), make wudu, and pause the conversation for twenty minutes. Once the body is calm, say what you need without attacking.",
                },
                "tags": ["anger", "wudu", "communication"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_anger",
                "goal_keyword": "anger",
                "tags": ["anger", "self-control"],
                "match_count": 97,
                "full_json": {
                    "goal": {
                        "id": "Mengendalikan amarah sebelum amarah mengendalikanmu",
                        "en": "Control your temper before it controls you",
                    },
                    "introduction": {
                        "id": "Sepuluh hari latihan menahan diri, dari tanda-tanda awal sampai memperbaiki hubungan.",
                        "en": "Ten days of practice in restraint, from the first signs to repairing relationships.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Kenali tanda awal", "en": "Spot the early signs"},
                            "description": {
                                "id": "Rahang mengeras, suara meninggi: saat itulah berhenti.",
                                "en": "A tight jaw, a rising voice: that is the moment to stop.",
                            },
                        },
                        {
                            "day": 2,
                            "title": {"id": "Duduk dan berwudu", "en": "Sit down and make wudu"},
                            "description": {
                                "id": "Latih urutan diam, duduk, wudu setiap kali kesal.",
                                "en": "Rehearse silence, sitting, wudu each time you are irritated.",
                            },
                            "knowledge_reference_ids": ["kr_anger_cool_down"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Kekuatan yang sejati", "en": "True strength"},
                            "description": {
                                "id": "Renungkan hadits tentang orang kuat yang menguasai dirinya.",
                                "en": "Reflect on the hadith of the strong one who masters himself.",
                            },
                            "knowledge_reference_ids": ["kr_anger_6114"],
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I lose my temper and shout at people, then regret it",
                "id": "aku gampang emosi dan suka membentak orang, gimana cara meredamnya?",
                "ar": "أنفعل بسرعة وأصرخ على من حولي، كيف أهدأ؟",
            },
            "journeys": {
                "en": "training to stay composed instead of exploding at my family",
                "id": "program buat belajar nggak meledak-ledak kalau lagi kesal",
                "ar": "برنامج لأتعلم ضبط أعصابي مع أسرتي",
            },
        },
    },
    # --- 5 -------------------------------------------------------------------------------
    {
        "topic": "patience",
        "knowledge": [
            {
                "id": "kr_patience_2_153",
                "category": "VERSE",
                "source": "QS. Al-Baqarah 2:153",
                "title": {
                    "id": "Jadikan sabar dan salat sebagai penolong",
                    "en": "Seek help through patience and prayer",
                },
                "content": {
                    "id": "Wahai orang-orang yang beriman, mohonlah pertolongan dengan sabar dan salat. Sungguh, Allah beserta orang-orang yang sabar.",
                    "en": "O you who believe, seek help through patience and prayer. Indeed, Allah is with those who are patient.",
                },
                "content_ar": "يَا أَيُّهَا الَّذِينَ آمَنُوا اسْتَعِينُوا بِالصَّبْرِ وَالصَّلَاةِ ۚ إِنَّ اللَّهَ مَعَ الصَّابِرِينَ",
                "tags": ["patience", "sabr", "prayer"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_patience_active",
                "category": "STRATEGY",
                "source": "Psikologi Islam",
                "title": {
                    "id": "Sabar itu aktif, bukan pasrah",
                    "en": "Sabr is active, not passive",
                },
                "content": {
                    "id": "Sabar berarti tetap melangkah sambil menahan keluh: lakukan bagianmu hari ini, terima apa yang di luar kendalimu, dan hitung setiap hari bertahan sebagai kemenangan kecil.",
                    "en": "Sabr means keeping on while holding back complaint: do your part today, accept what is beyond your control, and count each day you hold on as a small victory.",
                },
                "tags": ["patience", "sabr", "resilience"],
                "languages": ["id", "en"],
                "status": "PENDING",
            },
        ],
        "journeys": [
            {
                "id": "tpl_patience",
                "goal_keyword": "sabar",
                "tags": ["patience", "sabr"],
                "match_count": 156,
                "full_json": {
                    "goal": {
                        "id": "Melatih kesabaran di tengah ujian",
                        "en": "Grow in sabr through trials",
                    },
                    "introduction": {
                        "id": "Tiga puluh hari mengenal tiga macam sabar: dalam ketaatan, menjauhi maksiat, dan menghadapi takdir.",
                        "en": "Thirty days to learn the three kinds of sabr: in obedience, in avoiding sin, and in facing decree.",
                    },
                    "duration_days": 30,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Sabar dan salat", "en": "Patience and prayer"},
                            "description": {
                                "id": "Bawa bebanmu ke dalam salat dua rakaat.",
                                "en": "Bring what weighs on you into two units of prayer.",
                            },
                            "knowledge_reference_ids": ["kr_patience_2_153"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Bagianku dan bagian Allah",
                                "en": "My part and Allah's part",
                            },
                            "description": {
                                "id": "Pisahkan yang bisa kamu ubah dari yang harus kamu terima.",
                                "en": "Separate what you can change from what you must accept.",
                            },
                            "knowledge_reference_ids": ["kr_patience_active"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Menahan keluh", "en": "Holding back complaint"},
                            "description": {
                                "id": "Satu hari tanpa mengeluh kepada manusia; mengadu hanya kepada Allah.",
                                "en": "One day without complaining to people; confide only in Allah.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "how do I keep enduring when the trial just goes on and on",
                "id": "capek diuji terus, gimana caranya tetap kuat menahan diri?",
                "ar": "كيف أتحمل البلاء الطويل دون أن أشتكي؟",
            },
            "journeys": {
                "en": "a month of practice to become more steadfast when life is hard",
                "id": "tantangan sebulan supaya lebih tabah menghadapi cobaan",
                "ar": "برنامج شهر لأصبح أكثر تحملا في الشدائد",
            },
        },
    },
    # --- 6 -------------------------------------------------------------------------------
    {
        "topic": "gratitude",
        "knowledge": [
            {
                "id": "kr_gratitude_14_7",
                "category": "VERSE",
                "source": "QS. Ibrahim 14:7",
                "title": {
                    "id": "Jika kamu bersyukur, niscaya Aku tambah",
                    "en": "If you are grateful, I will give you more",
                },
                "content": {
                    "id": "Dan (ingatlah) ketika Tuhanmu memaklumkan: sesungguhnya jika kamu bersyukur, niscaya Aku akan menambah (nikmat) kepadamu, tetapi jika kamu mengingkari (nikmat-Ku), maka azab-Ku sangat berat.",
                    "en": "And when your Lord proclaimed: if you are thankful, I will surely increase you; but if you deny, indeed My punishment is severe.",
                },
                "content_ar": "وَإِذْ تَأَذَّنَ رَبُّكُمْ لَئِن شَكَرْتُمْ لَأَزِيدَنَّكُمْ ۖ وَلَئِن كَفَرْتُمْ إِنَّ عَذَابِي لَشَدِيدٌ",
                "tags": ["gratitude", "syukur"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_gratitude_journal",
                "category": "STRATEGY",
                "source": "Psikologi positif",
                "title": '{"id": "Jurnal tiga nikmat", "en": "Three blessings journal"}',
                "content": {
                    "id": "Setiap malam tulis tiga nikmat hari itu, sekecil apa pun, dan ucapkan alhamdulillah untuk masing-masing. Setelah dua minggu, perhatian mulai mencari kebaikan dengan sendirinya.",
                    "en": None,
                },
                "tags": ["gratitude", "syukur", "journaling"],
                "languages": ["id"],
                "status": "DRAFT",
            },
        ],
        "journeys": [
            {
                "id": "tpl_gratitude",
                "goal_keyword": "syukur",
                "tags": ["gratitude", "syukur"],
                "match_count": 203,
                "full_json": {
                    "goal": {
                        "id": "Menumbuhkan hati yang bersyukur",
                        "en": "Grow a thankful heart",
                    },
                    "introduction": {
                        "id": "Dua puluh satu hari melatih mata melihat nikmat yang selama ini terlewat.",
                        "en": "Twenty-one days of training the eye to see blessings that used to slip by.",
                    },
                    "duration_days": 21,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Tiga nikmat", "en": "Three blessings"},
                            "description": {
                                "id": "Tulis tiga nikmat sebelum tidur.",
                                "en": "Write three blessings before bed.",
                            },
                            "knowledge_reference_ids": ["kr_gratitude_journal"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Janji tambahan nikmat",
                                "en": "The promise of increase",
                            },
                            "description": {
                                "id": "Renungkan QS. Ibrahim 14:7.",
                                "en": "Reflect on QS. Ibrahim 14:7.",
                            },
                            "knowledge_reference_ids": ["kr_gratitude_14_7"],
                        },
                        {
                            "day": 3,
                            "title": {
                                "id": "Berterima kasih kepada manusia",
                                "en": "Thank people too",
                            },
                            "description": {
                                "id": "Kirim pesan terima kasih kepada satu orang hari ini.",
                                "en": "Send a thank-you message to one person today.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I always focus on what I lack; how can I appreciate what I already have?",
                "id": "kok aku selalu merasa kurang ya, gimana biar bisa menghargai apa yang ada?",
                "ar": "كيف أقدر ما عندي بدل أن أنظر دائما إلى ما ينقصني؟",
            },
            "journeys": {
                "en": "daily exercise to become more thankful",
                "id": "latihan harian supaya lebih pandai berterima kasih kepada Allah",
                "ar": "تمارين يومية لأكون أكثر امتنانا لنعم الله",
            },
        },
    },
    # --- 7 -------------------------------------------------------------------------------
    {
        "topic": "sleep",
        "knowledge": [
            {
                "id": "kr_sleep_hygiene",
                "category": "STRATEGY",
                "source": "Sleep hygiene",
                "title": "Wind-down routine for better sleep",
                "content": "Put screens away an hour before bed, make wudu, read a short surah and go to bed at the same time every night. If sleep does not come within twenty minutes, get up and sit in dim light until drowsy.",
                "tags": ["sleep", "insomnia", "routine"],
                "languages": ["en"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_sleep_dua_6324",
                "category": "DUA",
                "source": "HR. Bukhari no. 6324",
                "title": {"id": "Doa sebelum tidur", "en": "Dua before sleeping"},
                "content": {
                    "id": "Apabila Nabi hendak tidur, beliau meletakkan tangan di bawah pipinya dan membaca: dengan nama-Mu ya Allah aku mati dan aku hidup.",
                    "en": "When the Prophet lay down to sleep, he placed his hand under his cheek and said: in Your name, O Allah, I die and I live.",
                },
                "content_ar": "بِاسْمِكَ اللَّهُمَّ أَمُوتُ وَأَحْيَا",
                "tags": ["sleep", "dua", "night"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_sleep",
                "goal_keyword": "sleep",
                "tags": ["sleep", "insomnia"],
                "match_count": 176,
                "full_json": {
                    "goal": {
                        "id": "Tidur lebih nyenyak dalam lima malam",
                        "en": "Sleep better within five nights",
                    },
                    "introduction": "A gentle evening routine rooted in the sunnah, one habit per night.",
                    "duration_days": 5,
                    "steps": [
                        {
                            "day": 1,
                            "title": "Screens off",
                            "description": "No phone for an hour before bed.",
                        },
                        {
                            "day": 2,
                            "title": {"en": "Evening adhkar"},
                            "description": {
                                "en": "Recite the evening remembrances and the dua before sleeping."
                            },
                            "knowledge_reference_ids": ["kr_sleep_dua_6324"],
                        },
                        {
                            "day": 3,
                            "title": {"en": "Same bedtime"},
                            "description": {
                                "en": "Go to bed and rise at the same hour, weekends included."
                            },
                            "knowledge_reference_ids": ["kr_sleep_hygiene"],
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I lie awake until 3am most nights and my head won't switch off",
                "id": {"text": "aku susah tidur karena kepikiran utang", "also": ["debt"]},
                "ar": "لا أستطيع النوم من القلق وأبقى مستيقظا حتى الفجر",
            },
            "journeys": {
                "en": "a plan to fix my restless nights",
                "id": "program biar bisa terlelap dan nggak begadang terus",
                "ar": "خطة لعلاج الأرق والسهر",
            },
        },
    },
    # --- 8 -------------------------------------------------------------------------------
    {
        "topic": "loneliness",
        "knowledge": [
            {
                "id": "kr_loneliness_2_186",
                "category": "VERSE",
                "source": "QS. Al-Baqarah 2:186",
                "title": {"id": "Aku dekat", "en": "I am near"},
                "content": {
                    "id": "Dan apabila hamba-hamba-Ku bertanya kepadamu tentang Aku, maka sesungguhnya Aku dekat. Aku mengabulkan permohonan orang yang berdoa apabila ia berdoa kepada-Ku.",
                    "en": "And when My servants ask you about Me, indeed I am near. I respond to the call of the caller when he calls upon Me.",
                },
                "content_ar": "وَإِذَا سَأَلَكَ عِبَادِي عَنِّي فَإِنِّي قَرِيبٌ ۖ أُجِيبُ دَعْوَةَ الدَّاعِ إِذَا دَعَانِ",
                "tags": ["loneliness", "closeness", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_loneliness_reconnect",
                "category": "STRATEGY",
                "source": "Psikologi sosial",
                "title": {"id": "Membangun kembali koneksi", "en": "Rebuilding connection"},
                "content": {
                    "id": "Mulai dari yang kecil: satu pesan kepada teman lama setiap minggu, salat berjamaah di masjid terdekat, atau ikut kajian rutin. Kesepian berkurang lewat pertemuan yang berulang, bukan lewat satu pertemuan besar.",
                    "en": "Start small: one message to an old friend each week, congregational prayer at the nearest mosque, or a regular study circle. Isolation eases through repeated meetings, not one big gathering.",
                },
                "tags": ["loneliness", "community", "friendship"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_loneliness",
                "goal_keyword": "loneliness",
                "tags": ["loneliness", "community"],
                "match_count": 64,
                "full_json": {
                    "goal": {"id": "Keluar dari rasa kesepian", "en": "Step out of loneliness"},
                    "introduction": {
                        "id": "Dua minggu untuk merasa dekat lagi: kepada Allah, kepada keluarga, kepada jamaah.",
                        "en": "Two weeks to feel close again: to Allah, to family, to the congregation.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Allah itu dekat", "en": "Allah is near"},
                            "description": {
                                "id": "Berdoalah dengan bahasamu sendiri selama lima menit.",
                                "en": "Pray in your own words for five minutes.",
                            },
                            "knowledge_reference_ids": ["kr_loneliness_2_186"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Satu pesan", "en": "One message"},
                            "description": {
                                "id": "Hubungi satu teman lama yang lama tak kamu sapa.",
                                "en": "Reach out to one old friend you have not greeted in a while.",
                            },
                            "knowledge_reference_ids": ["kr_loneliness_reconnect"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Salat berjamaah", "en": "Pray in congregation"},
                            "description": {
                                "id": "Datangi masjid untuk satu salat berjamaah.",
                                "en": "Go to the mosque for one congregational prayer.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "nobody checks on me and I feel completely alone",
                "id": "rasanya nggak punya siapa-siapa, sendirian terus di kos",
                "ar": "أشعر أنني وحيد تماما ولا أحد يسأل عني",
            },
            "journeys": {
                "en": "how to make friends and stop feeling isolated",
                "id": "program untuk punya teman lagi dan nggak merasa terasing",
                "ar": "برنامج يساعدني على تكوين صداقات والخروج من العزلة",
            },
        },
    },
    # --- 9 -------------------------------------------------------------------------------
    {
        "topic": "envy",
        "knowledge": [
            {
                "id": "kr_envy_4903",
                "category": "HADITH",
                "source": "HR. Abu Dawud no. 4903",
                "title": {"id": "Hasad memakan kebaikan", "en": "Envy consumes good deeds"},
                "content": {
                    "id": "Jauhilah hasad, karena hasad memakan kebaikan sebagaimana api memakan kayu bakar.",
                    "en": "Beware of envy, for envy devours good deeds just as fire devours firewood.",
                },
                "content_ar": "إِيَّاكُمْ وَالْحَسَدَ، فَإِنَّ الْحَسَدَ يَأْكُلُ الْحَسَنَاتِ كَمَا تَأْكُلُ النَّارُ الْحَطَبَ",
                "tags": ["envy", "hasad"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_envy_comparison",
                "category": "STRATEGY",
                "source": "Konseling remaja",
                "title": {
                    "id": "Berhenti membandingkan hidup di media sosial",
                    "en": "Stop measuring your life against social media",
                },
                "content": {
                    "id": "Yang kamu lihat adalah cuplikan terbaik hidup orang lain. Bisukan akun yang memancing iri, doakan kebaikan bagi orang yang kamu cemburui, dan ingat bahwa rezeki tiap orang sudah ditakar.",
                    "en": "What you see is the highlight reel of someone else's life. Mute accounts that stir jealousy, pray for good for the person you resent, and remember that each person's provision is measured out.",
                },
                "tags": ["envy", "social media", "comparison"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_envy",
                "goal_keyword": "envy",
                "tags": ["envy", "hasad"],
                "match_count": 41,
                "full_json": {
                    "goal": {
                        "id": "Membersihkan hati dari hasad",
                        "en": "Cleanse the heart of envy",
                    },
                    "introduction": {
                        "id": "Tujuh hari untuk mengganti iri dengan doa dan rasa cukup.",
                        "en": "Seven days to replace jealousy with prayer and contentment.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Api dan kayu bakar", "en": "Fire and firewood"},
                            "description": {
                                "id": "Pahami bagaimana hasad menghabiskan amal.",
                                "en": "Understand how envy burns away good deeds.",
                            },
                            "knowledge_reference_ids": ["kr_envy_4903"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Bisukan pemicunya", "en": "Mute the triggers"},
                            "description": {
                                "id": "Kurangi akun yang membuatmu membandingkan diri.",
                                "en": "Cut down the accounts that make you compare yourself.",
                            },
                            "knowledge_reference_ids": ["kr_envy_comparison"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Doakan dia", "en": "Pray for them"},
                            "description": {
                                "id": "Doakan kebaikan untuk orang yang kamu irikan.",
                                "en": "Ask Allah to bless the person you envy.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "it eats me up when my friends get married and promoted before me",
                "id": "aku panas hati lihat temanku lebih sukses, salah nggak sih?",
                "ar": "أتضايق كثيرا عندما أرى نجاح صديقي وأتمنى زوال نعمته",
            },
            "journeys": {
                "en": "program to stop resenting other people's blessings",
                "id": "latihan supaya nggak dengki sama keberhasilan orang lain",
                "ar": "برنامج للتخلص من الغيرة من نجاح الآخرين",
            },
        },
    },
    # --- 10 ------------------------------------------------------------------------------
    {
        "topic": "procrastination",
        "knowledge": [
            {
                "id": "kr_procrastination_6412",
                "category": "HADITH",
                "source": "HR. Bukhari no. 6412",
                "title": {
                    "id": "Dua nikmat yang sering dilalaikan",
                    "en": "Two blessings many people waste",
                },
                "content": {
                    "id": "Ada dua nikmat yang banyak manusia tertipu di dalamnya: kesehatan dan waktu luang.",
                    "en": "There are two blessings in which many people are cheated: health and free time.",
                },
                "content_ar": "نِعْمَتَانِ مَغْبُونٌ فِيهِمَا كَثِيرٌ مِنَ النَّاسِ: الصِّحَّةُ وَالْفَرَاغُ",
                "tags": ["time", "procrastination"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_procrastination_two_minutes",
                "category": "STRATEGY",
                "source": "Manajemen waktu",
                "title": {"id": "Aturan dua menit", "en": "The two-minute start"},
                "content": {
                    "id": "Tugas yang ditunda terasa lebih besar dari aslinya. Mulailah dengan langkah yang hanya butuh dua menit, pasang pengatur waktu 25 menit, dan jauhkan ponsel dari meja.",
                    "en": "A postponed task feels bigger than it is. Begin with a step that takes only two minutes, set a 25-minute timer, and keep the phone off the desk.",
                },
                "tags": ["procrastination", "productivity"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_procrastination",
                "goal_keyword": "procrastination",
                "tags": ["procrastination", "time"],
                "match_count": 120,
                "full_json": {
                    "goal": {
                        "id": "Berhenti menunda-nunda pekerjaan",
                        "en": "Stop putting things off",
                    },
                    "introduction": {
                        "id": "Sepuluh hari untuk memulai lebih cepat dan menghargai waktu sebagai amanah.",
                        "en": "Ten days to start sooner and treat time as a trust.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Waktu luang adalah nikmat",
                                "en": "Free time is a blessing",
                            },
                            "description": {
                                "id": "Renungkan hadits dua nikmat.",
                                "en": "Reflect on the hadith of the two blessings.",
                            },
                            "knowledge_reference_ids": ["kr_procrastination_6412"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Langkah dua menit", "en": "A two-minute step"},
                            "description": {
                                "id": "Pilih satu tugas yang tertunda dan kerjakan dua menit pertamanya.",
                                "en": "Pick one postponed task and do its first two minutes.",
                            },
                            "knowledge_reference_ids": ["kr_procrastination_two_minutes"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Blok waktu", "en": "Time blocks"},
                            "description": {
                                "id": "Rencanakan besok dalam blok 25 menit di antara waktu salat.",
                                "en": "Plan tomorrow in 25-minute blocks between the prayer times.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I keep delaying my assignments until the last minute",
                "id": "kebiasaan mager dan nanti-nanti terus, deadline jadi keteteran",
                "ar": "أؤجل واجباتي دائما إلى آخر لحظة",
            },
            "journeys": {
                "en": "a challenge to beat my habit of leaving everything for later",
                "id": "program biar aku nggak suka menunda tugas kuliah",
                "ar": "برنامج للتغلب على التسويف",
            },
        },
    },
    # --- 11 ------------------------------------------------------------------------------
    {
        "topic": "forgiving others",
        "knowledge": [
            {
                "id": "kr_forgive_24_22",
                "category": "VERSE",
                "source": "QS. An-Nur 24:22",
                "title": {
                    "id": "Tidakkah kamu ingin Allah mengampunimu?",
                    "en": "Do you not love that Allah should forgive you?",
                },
                "content": {
                    "id": "Hendaklah mereka memaafkan dan berlapang dada. Tidakkah kamu ingin bahwa Allah mengampunimu? Dan Allah Maha Pengampun, Maha Penyayang.",
                    "en": "Let them pardon and overlook. Would you not love for Allah to forgive you? And Allah is Forgiving and Merciful.",
                },
                "content_ar": "وَلْيَعْفُوا وَلْيَصْفَحُوا ۗ أَلَا تُحِبُّونَ أَن يَغْفِرَ اللَّهُ لَكُمْ ۗ وَاللَّهُ غَفُورٌ رَّحِيمٌ",
                "tags": ["forgiveness", "pardon"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_forgive_unsent_letter",
                "category": "STRATEGY",
                "source": "Terapi naratif",
                "title": {"id": "Surat yang tidak dikirim", "en": "The unsent letter"},
                "content": {
                    "id": "Tulis surat kepada orang yang melukaimu: apa yang terjadi, apa yang kamu rasakan, apa yang kamu lepaskan. Jangan dikirim. Memaafkan bukan membenarkan perbuatannya, melainkan melepaskan dirimu dari beban dendam.",
                    "en": "Write a letter to the person who hurt you: what happened, what you felt, what you are letting go. Do not send it. Forgiving is not excusing the deed; it frees you from carrying the grudge.",
                },
                "tags": ["forgiveness", "resentment", "writing"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_forgiveness",
                "goal_keyword": "forgiveness",
                "tags": ["forgiveness", "resentment"],
                "match_count": 58,
                "full_json": {
                    "goal": {
                        "id": "Memaafkan orang yang menyakitimu",
                        "en": "Forgive the one who hurt you",
                    },
                    "introduction": {
                        "id": "Dua belas hari melepaskan dendam perlahan, tanpa berpura-pura luka itu tidak ada.",
                        "en": "Twelve days of slowly releasing a grudge, without pretending the wound is not there.",
                    },
                    "duration_days": 12,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Akui lukanya", "en": "Name the wound"},
                            "description": {
                                "id": "Tuliskan apa yang terjadi dalam surat yang tak dikirim.",
                                "en": "Write what happened in a letter you will not send.",
                            },
                            "knowledge_reference_ids": ["kr_forgive_unsent_letter"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Ampunan dibalas ampunan", "en": "Pardon for pardon"},
                            "description": {
                                "id": "Renungkan QS. An-Nur 24:22.",
                                "en": "Reflect on QS. An-Nur 24:22.",
                            },
                            "knowledge_reference_ids": ["kr_forgive_24_22"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Doakan dia", "en": "Pray for them"},
                            "description": {
                                "id": "Sebut namanya dalam doamu, walau berat.",
                                "en": "Mention them in your prayer, even if it is hard.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my sister betrayed me years ago and I still hold it against her",
                "id": "susah banget mengikhlaskan orang yang pernah khianatin aku",
                "ar": "لا أستطيع أن أسامح من ظلمني وما زال قلبي يحمل عليه",
            },
            "journeys": {
                "en": "guided steps to let go of bitterness toward someone",
                "id": "program untuk berdamai dengan orang yang pernah menyakiti hati",
                "ar": "خطوات للتخلص من الحقد على من أساء إلي",
            },
        },
    },
    # --- 12 ------------------------------------------------------------------------------
    {
        "topic": "self-worth",
        "knowledge": [
            {
                "id": "kr_selfworth_17_70",
                "category": "VERSE",
                "source": "QS. Al-Isra 17:70",
                "title": {
                    "id": "Kami telah memuliakan anak cucu Adam",
                    "en": "We have honoured the children of Adam",
                },
                "content": {
                    "id": "Dan sungguh, Kami telah memuliakan anak cucu Adam, dan Kami angkut mereka di darat dan di laut, dan Kami beri mereka rezeki dari yang baik-baik, dan Kami lebihkan mereka di atas banyak makhluk yang Kami ciptakan.",
                    "en": "And We have certainly honoured the children of Adam, carried them on land and sea, provided for them of the good things, and preferred them over much of what We created.",
                },
                "content_ar": "وَلَقَدْ كَرَّمْنَا بَنِي آدَمَ وَحَمَلْنَاهُمْ فِي الْبَرِّ وَالْبَحْرِ وَرَزَقْنَاهُم مِّنَ الطَّيِّبَاتِ وَفَضَّلْنَاهُمْ عَلَىٰ كَثِيرٍ مِّمَّنْ خَلَقْنَا تَفْضِيلًا",
                "tags": ["self-worth", "dignity"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_selfworth_inner_critic",
                "category": "STRATEGY",
                "source": "Self-compassion",
                "title": {
                    "id": "Menjawab suara kritik di kepala",
                    "en": "Answering the inner critic",
                },
                "content": {
                    "id": "Saat muncul pikiran 'aku tidak berguna', tanyakan: apakah aku akan berkata begitu kepada sahabatku? Tulis jawaban yang adil dan lembut, lalu satu hal baik yang kamu lakukan hari ini.",
                    "en": "When the thought 'I am useless' comes, ask: would I say this to a dear friend? Write a fair and gentle reply, then one good thing you did today.",
                },
                "tags": ["self-worth", "self-compassion"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_selfworth",
                "goal_keyword": "self-worth",
                "tags": ["self-worth", "confidence"],
                "match_count": 77,
                "full_json": {
                    "goal": {
                        "id": "Melihat diri dengan kacamata Allah",
                        "en": "See yourself as Allah honoured you",
                    },
                    "introduction": {
                        "id": "Sepuluh hari untuk memperlakukan diri sendiri dengan adil dan lembut.",
                        "en": "Ten days to treat yourself with fairness and gentleness.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Kemuliaan manusia", "en": "Human dignity"},
                            "description": {
                                "id": "Baca QS. Al-Isra 17:70 dan tulis apa artinya bagimu.",
                                "en": "Read QS. Al-Isra 17:70 and write what it means to you.",
                            },
                            "knowledge_reference_ids": ["kr_selfworth_17_70"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Suara kritik", "en": "The critic's voice"},
                            "description": {
                                "id": "Tangkap satu kalimat kejam yang kamu ucapkan pada dirimu.",
                                "en": "Catch one harsh sentence you say to yourself.",
                            },
                            "knowledge_reference_ids": ["kr_selfworth_inner_critic"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Satu hal baik", "en": "One good thing"},
                            "description": {
                                "id": "Catat satu kebaikan yang kamu lakukan setiap hari.",
                                "en": "Record one kindness you did each day.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I feel worthless and like I'm a failure at everything",
                "id": "aku merasa nggak ada harganya dan selalu gagal",
                "ar": "أشعر أنني بلا قيمة وفاشل في كل شيء",
            },
            "journeys": {
                "en": "build up my confidence and stop hating myself",
                "id": "program meningkatkan rasa percaya diri yang hancur",
                "ar": "برنامج لأستعيد ثقتي بنفسي",
            },
        },
    },
    # --- 13 ------------------------------------------------------------------------------
    {
        "topic": "fear of the future",
        "knowledge": [
            {
                "id": "kr_future_2_216",
                "category": "VERSE",
                "source": "QS. Al-Baqarah 2:216",
                "title": {
                    "id": "Boleh jadi kamu membenci sesuatu padahal itu baik bagimu",
                    "en": "Perhaps you dislike a thing while it is good for you",
                },
                "content": {
                    "id": "Boleh jadi kamu membenci sesuatu padahal ia amat baik bagimu, dan boleh jadi kamu menyukai sesuatu padahal ia amat buruk bagimu. Allah mengetahui, sedang kamu tidak mengetahui.",
                    "en": "Perhaps you hate a thing and it is good for you; and perhaps you love a thing and it is bad for you. Allah knows, while you know not.",
                },
                "content_ar": "وَعَسَىٰ أَن تَكْرَهُوا شَيْئًا وَهُوَ خَيْرٌ لَّكُمْ ۖ وَعَسَىٰ أَن تُحِبُّوا شَيْئًا وَهُوَ شَرٌّ لَّكُمْ ۗ وَاللَّهُ يَعْلَمُ وَأَنتُمْ لَا تَعْلَمُونَ",
                "tags": ["future", "uncertainty", "qadar"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_future_worry_time",
                "category": "STRATEGY",
                "source": "CBT - worry time",
                "title": {"id": "Jadwalkan waktu khawatir", "en": "Schedule a worry time"},
                "content": {
                    "id": "Sisihkan lima belas menit sehari untuk menuliskan semua kekhawatiran tentang hari esok. Di luar waktu itu, tunda kekhawatiran ke jadwalnya. Untuk tiap kekhawatiran, tulis satu hal yang bisa dilakukan dan serahkan sisanya kepada Allah.",
                    "en": "Set aside fifteen minutes a day to write down every worry about tomorrow. Outside that time, postpone worries to their slot. For each one, write one thing you can do and leave the rest to Allah.",
                },
                "tags": ["future", "worry", "cbt"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_future",
                "goal_keyword": "fear of the future",
                "tags": ["future", "uncertainty"],
                "match_count": 93,
                "full_json": {
                    "goal": {
                        "id": "Menghadapi masa depan tanpa takut berlebihan",
                        "en": "Face tomorrow without crippling fear",
                    },
                    "introduction": {
                        "id": "Tujuh hari untuk memisahkan apa yang bisa direncanakan dari apa yang hanya Allah ketahui.",
                        "en": "Seven days to separate what can be planned from what only Allah knows.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Waktu khawatir", "en": "Worry time"},
                            "description": {
                                "id": "Kumpulkan kekhawatiran dalam lima belas menit yang terjadwal.",
                                "en": "Gather your worries into a scheduled fifteen minutes.",
                            },
                            "knowledge_reference_ids": ["kr_future_worry_time"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Yang tidak kita ketahui", "en": "What we do not know"},
                            "description": {
                                "id": "Renungkan QS. Al-Baqarah 2:216.",
                                "en": "Reflect on QS. Al-Baqarah 2:216.",
                            },
                            "knowledge_reference_ids": ["kr_future_2_216"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Satu langkah", "en": "One step"},
                            "description": {
                                "id": "Untuk satu kekhawatiran, lakukan satu langkah nyata hari ini.",
                                "en": "For one worry, take one concrete step today.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I'm terrified about what's going to happen to me after graduation",
                "id": "aku takut banget sama hari esok, gimana kalau semuanya berantakan?",
                "ar": "أخاف مما سيحدث لي في المستقبل ولا أعرف ماذا ينتظرني",
            },
            "journeys": {
                "en": "a short program for when uncertainty about what's ahead paralyses me",
                "id": "program supaya nggak cemas berlebihan soal masa depan",
                "ar": "برنامج للتغلب على الخوف من المجهول",
            },
        },
    },
    # --- 14 ------------------------------------------------------------------------------
    {
        "topic": "debt",
        "knowledge": [
            {
                "id": "kr_debt_dua_3563",
                "category": "DUA",
                "source": "HR. Tirmidzi no. 3563",
                "title": {"id": "Doa agar dilunasi utang", "en": "Dua for paying off debts"},
                "content": {
                    "id": "Ali bin Abi Thalib mengajarkan doa ini kepada seorang budak yang terlilit kewajiban membayar: Ya Allah, cukupkanlah aku dengan yang halal dari-Mu sehingga aku tidak butuh yang haram, dan kayakanlah aku dengan karunia-Mu dari selain-Mu. Sekalipun utangmu sebesar gunung, Allah akan melunasinya.",
                    "en": "Ali ibn Abi Talib taught this to a slave weighed down by what he owed: O Allah, suffice me with what You have made lawful instead of what You have forbidden, and make me independent of all but You by Your bounty. Even if you owed a mountain, Allah would pay it off.",
                },
                "content_ar": "اللَّهُمَّ اكْفِنِي بِحَلَالِكَ عَنْ حَرَامِكَ، وَأَغْنِنِي بِفَضْلِكَ عَمَّنْ سِوَاكَ",
                "tags": ["debt", "dua", "rizq"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_debt_plan",
                "category": "STRATEGY",
                "source": "Perencanaan keuangan keluarga",
                "title": {"id": "Rencana melunasi utang", "en": None},
                "content": {
                    "id": "Tulis semua utang beserta sisa dan cicilannya. Bayar minimum di semua, lalu lunasi yang terkecil lebih dulu agar ada kemenangan cepat. Bicarakan jadwal baru dengan pemberi pinjaman sebelum jatuh tempo, bukan sesudahnya, dan hindari pinjaman baru untuk menutup yang lama.",
                    "en": None,
                },
                "tags": ["debt", "finance"],
                "languages": ["id"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_debt",
                "goal_keyword": "debt",
                "tags": ["debt", "finance"],
                "match_count": 149,
                "full_json": {
                    "goal": {
                        "id": "Keluar dari jerat utang dengan tenang",
                        "en": "Get out of debt with a calm heart",
                    },
                    "introduction": {
                        "id": "Empat belas hari merapikan keuangan dan hati: daftar, rencana, doa.",
                        "en": "Fourteen days to put money and heart in order: list, plan, pray.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Daftar semua kewajiban",
                                "en": "List every obligation",
                            },
                            "description": {
                                "id": "Tulis semua utang, sisa, dan cicilannya.",
                                "en": "Write down every debt, its balance and instalment.",
                            },
                            "knowledge_reference_ids": ["kr_debt_plan"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Doa Ali bin Abi Thalib",
                                "en": "The dua taught by Ali",
                            },
                            "description": {
                                "id": "Baca doa kecukupan setelah setiap salat.",
                                "en": "Say the dua for sufficiency after every prayer.",
                            },
                            "knowledge_reference_ids": ["kr_debt_dua_3563"],
                        },
                        {
                            "day": 3,
                            "title": {
                                "id": "Bicara dengan pemberi pinjaman",
                                "en": "Talk to the lender",
                            },
                            "description": {
                                "id": "Minta jadwal baru sebelum jatuh tempo.",
                                "en": "Ask for a new schedule before the due date.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": {
                    "text": "I owe so much money on loans and credit cards that I can't sleep",
                    "also": ["sleep"],
                },
                "id": "cicilan pinjol numpuk dan aku nggak sanggup bayar, harus gimana?",
                "ar": "علي قروض كثيرة ولا أستطيع سدادها، هل من دعاء؟",
            },
            "journeys": {
                "en": "a program to get my finances back under control and pay what I owe",
                "id": "program buat bebas dari pinjaman online",
                "ar": "خطة للتخلص من الديون",
            },
        },
    },
    # --- 15 ------------------------------------------------------------------------------
    {
        "topic": "parenting stress",
        "knowledge": [
            {
                "id": "kr_parenting_25_74",
                "category": "DUA",
                "source": "QS. Al-Furqan 25:74",
                "title": {
                    "id": "Doa untuk pasangan dan anak penyejuk mata",
                    "en": "Dua for spouses and children who are a comfort",
                },
                "content": {
                    "id": "Ya Tuhan kami, anugerahkanlah kepada kami pasangan kami dan keturunan kami sebagai penyenang hati, dan jadikanlah kami pemimpin bagi orang-orang yang bertakwa.",
                    "en": "Our Lord, grant us from our spouses and offspring the coolness of our eyes, and make us leaders of the righteous.",
                },
                "content_ar": "رَبَّنَا هَبْ لَنَا مِنْ أَزْوَاجِنَا وَذُرِّيَّاتِنَا قُرَّةَ أَعْيُنٍ وَاجْعَلْنَا لِلْمُتَّقِينَ إِمَامًا",
                "tags": ["parenting", "family", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_parenting_pause",
                "category": "STRATEGY",
                "source": "Pengasuhan positif",
                "title": {
                    "id": "Jeda sepuluh detik sebelum bereaksi pada anak",
                    "en": "A ten-second pause before reacting to your child",
                },
                "content": {
                    "id": "Ketika anak tantrum atau membantah, berhenti sepuluh detik, turunkan tubuh setinggi matanya, dan namai perasaannya. Orang tua yang tenang mengajarkan ketenangan lebih baik daripada nasihat panjang. Minta bantuan pasangan saat kamu sudah di batas.",
                    "en": "When a child has a meltdown or talks back, stop for ten seconds, get down to eye level and name the feeling. A calm parent teaches calm better than long lectures. Ask your spouse to take over when you are at your limit.",
                },
                "tags": ["parenting", "children", "calm"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_parenting",
                "goal_keyword": "parenting",
                "tags": ["parenting", "family"],
                "match_count": 112,
                "full_json": {
                    "goal": {
                        "id": "Menjadi orang tua yang lebih sabar",
                        "en": "Become a calmer parent",
                    },
                    "introduction": {
                        "id": "Dua minggu untuk ayah dan ibu yang lelah: jeda, doa, dan berbagi beban.",
                        "en": "Two weeks for tired mothers and fathers: pause, pray and share the load.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Jeda sepuluh detik", "en": "Ten-second pause"},
                            "description": {
                                "id": "Latih jeda sebelum menanggapi anak yang rewel.",
                                "en": "Practise the pause before responding to a fussy child.",
                            },
                            "knowledge_reference_ids": ["kr_parenting_pause"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Doa penyejuk mata",
                                "en": "Dua for the coolness of the eyes",
                            },
                            "description": {
                                "id": "Doakan anak-anakmu dengan QS. Al-Furqan 25:74.",
                                "en": "Pray for your children with QS. Al-Furqan 25:74.",
                            },
                            "knowledge_reference_ids": ["kr_parenting_25_74"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Bagi beban", "en": "Share the load"},
                            "description": {
                                "id": "Sepakati dengan pasangan siapa mengambil alih saat kamu lelah.",
                                "en": "Agree with your spouse who takes over when you are worn out.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my toddler screams all day and I end up yelling back, I feel like a terrible mom",
                "id": "capek ngurus anak, aku sering kelepasan bentak mereka",
                "ar": "أطفالي يرهقونني وأفقد صبري معهم كثيرا",
            },
            "journeys": {
                "en": "help for an exhausted mother raising small kids",
                "id": "program untuk ibu yang kewalahan mendidik anak balita",
                "ar": "برنامج للأم المتعبة من تربية الأولاد",
            },
        },
    },
    # --- 16 ------------------------------------------------------------------------------
    {
        "topic": "marriage conflict",
        "knowledge": [
            {
                "id": "kr_marriage_30_21",
                "category": "VERSE",
                "source": "QS. Ar-Rum 30:21",
                "title": {
                    "id": "Sakinah, mawaddah, warahmah",
                    "en": "Tranquillity, affection and mercy",
                },
                "content": {
                    "id": "Di antara tanda-tanda kebesaran-Nya ialah Dia menciptakan pasangan-pasangan untukmu dari jenismu sendiri, agar kamu cenderung dan merasa tenteram kepadanya, dan Dia menjadikan di antaramu rasa kasih dan sayang.",
                    "en": "Among His signs is that He created for you mates from among yourselves, that you may dwell in tranquillity with them, and He placed between you affection and mercy.",
                },
                "content_ar": "وَمِنْ آيَاتِهِ أَنْ خَلَقَ لَكُم مِّنْ أَنفُسِكُمْ أَزْوَاجًا لِّتَسْكُنُوا إِلَيْهَا وَجَعَلَ بَيْنَكُم مَّوَدَّةً وَرَحْمَةً",
                "tags": ["marriage", "family"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_marriage_soft_start",
                "category": "STRATEGY",
                "source": "Konseling pernikahan",
                "title": {
                    "id": "Memulai pembicaraan sulit dengan lembut",
                    "en": "Starting a hard conversation gently",
                },
                "content": {
                    "id": "Bicarakan perasaanmu, bukan kesalahan pasangan: 'aku merasa sendirian saat...' alih-alih 'kamu selalu...'. Sepakati kata jeda ketika pertengkaran memanas, dan kembali berbicara setelah keduanya tenang.",
                    "en": "Speak about your feelings, not your spouse's faults: 'I feel alone when...' instead of 'you always...'. Agree on a pause word for when an argument heats up, and talk again once both are calm.",
                },
                "tags": ["marriage", "communication", "conflict"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_marriage",
                "goal_keyword": "marriage",
                "tags": ["marriage", "communication"],
                "match_count": 167,
                "full_json": {
                    "goal": {
                        "id": "Memulihkan kehangatan dalam pernikahan",
                        "en": "Bring warmth back into your marriage",
                    },
                    "introduction": {
                        "id": "Dua puluh satu hari untuk suami istri yang sering bertengkar dan ingin saling mendengar lagi.",
                        "en": "Twenty-one days for couples who argue often and want to hear each other again.",
                    },
                    "duration_days": 21,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Tujuan pernikahan", "en": "What marriage is for"},
                            "description": {
                                "id": "Baca QS. Ar-Rum 30:21 bersama pasangan.",
                                "en": "Read QS. Ar-Rum 30:21 together.",
                            },
                            "knowledge_reference_ids": ["kr_marriage_30_21"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Awal yang lembut", "en": "A gentle start"},
                            "description": {
                                "id": "Ganti satu kalimat 'kamu selalu' dengan 'aku merasa'.",
                                "en": "Replace one 'you always' with 'I feel'.",
                            },
                            "knowledge_reference_ids": ["kr_marriage_soft_start"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Kata jeda", "en": "A pause word"},
                            "description": {
                                "id": "Sepakati satu kata untuk berhenti sebelum bertengkar memburuk.",
                                "en": "Agree on one word that stops a fight before it gets worse.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my husband and I fight over everything lately",
                "id": "aku dan suami cekcok terus tiap hari, rumah tangga rasanya dingin",
                "ar": "كثرت الخلافات بيني وبين زوجي ولم نعد نتفاهم",
            },
            "journeys": {
                "en": "program for a couple whose relationship has gone cold",
                "id": "program memperbaiki hubungan suami istri yang renggang",
                "ar": "برنامج لإصلاح العلاقة بين الزوجين",
            },
        },
    },
    # --- 17 ------------------------------------------------------------------------------
    {
        "topic": "exam stress",
        "knowledge": [
            {
                "id": "kr_exam_20_114",
                "category": "DUA",
                "source": "QS. Taha 20:114",
                "title": {
                    "id": "Ya Tuhanku, tambahkanlah ilmu kepadaku",
                    "en": "My Lord, increase me in knowledge",
                },
                "content": {
                    "id": "Dan katakanlah: Ya Tuhanku, tambahkanlah kepadaku ilmu pengetahuan. Doa pendek yang dibaca sebelum belajar dan sebelum masuk ruang ujian.",
                    "en": "And say: my Lord, increase me in knowledge. A short supplication to say before studying and before entering the exam hall.",
                },
                "content_ar": "وَقُل رَّبِّ زِدْنِي عِلْمًا",
                "tags": ["exam", "study", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_exam_study_plan",
                "category": "STRATEGY",
                "source": "Psikologi belajar",
                "title": {
                    "id": "Belajar bertahap, bukan sistem kebut semalam",
                    "en": "Spaced study instead of cramming",
                },
                "content": {
                    "id": "Bagi materi ujian ke sesi 40 menit selama dua minggu, uji dirimu dengan soal latihan, dan tidur cukup pada malam sebelum ujian. Hafalan yang diulang dengan jarak bertahan lebih lama daripada belajar semalam suntuk.",
                    "en": "Split the syllabus into 40-minute sessions over two weeks, test yourself with practice questions, and sleep properly the night before. Material reviewed at intervals lasts longer than an all-nighter.",
                },
                "tags": ["exam", "study", "stress"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_exam",
                "goal_keyword": "exam",
                "tags": ["exam", "study"],
                "match_count": 188,
                "full_json": {
                    "goal": {
                        "id": "Menghadapi ujian dengan tenang dan siap",
                        "en": "Walk into your exams calm and prepared",
                    },
                    "introduction": {
                        "id": "Empat belas hari menjelang ujian: rencana belajar, istirahat, dan doa.",
                        "en": "Fourteen days before the exams: a study plan, rest and prayer.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Peta materi", "en": "Map the syllabus"},
                            "description": {
                                "id": "Bagi materi ke sesi 40 menit di kalender.",
                                "en": "Split the material into 40-minute sessions on the calendar.",
                            },
                            "knowledge_reference_ids": ["kr_exam_study_plan"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Doa sebelum belajar", "en": "Dua before studying"},
                            "description": {
                                "id": "Awali setiap sesi dengan doa memohon tambahan ilmu.",
                                "en": "Open every session asking Allah for more knowledge.",
                            },
                            "knowledge_reference_ids": ["kr_exam_20_114"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Uji diri", "en": "Test yourself"},
                            "description": {
                                "id": "Kerjakan satu set soal latihan tanpa melihat catatan.",
                                "en": "Do one set of practice questions without notes.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "finals are next week and I freeze whenever I open my notes",
                "id": "besok UTBK dan aku deg-degan parah, takut blank",
                "ar": "عندي امتحانات قريبة وأشعر بضغط شديد وأنسى ما أذاكره",
            },
            "journeys": {
                "en": "a two-week prep plan to handle test pressure",
                "id": "program persiapan UAS biar nggak stres",
                "ar": "خطة استعداد للاختبارات النهائية بدون توتر",
            },
        },
    },
    # --- 18 ------------------------------------------------------------------------------
    {
        "topic": "burnout",
        "knowledge": [
            {
                "id": "kr_burnout_1975",
                "category": "HADITH",
                "source": "HR. Bukhari no. 1975",
                "title": {"id": "Tubuhmu punya hak atasmu", "en": "Your body has a right over you"},
                "content": {
                    "id": "Nabi menegur Abdullah bin Amr yang berpuasa setiap hari dan salat sepanjang malam: sesungguhnya tubuhmu punya hak atasmu, matamu punya hak atasmu, dan istrimu punya hak atasmu.",
                    "en": "The Prophet corrected Abdullah ibn Amr, who fasted every day and prayed all night: your body has a right over you, your eyes have a right over you, and your wife has a right over you.",
                },
                "content_ar": "فَإِنَّ لِجَسَدِكَ عَلَيْكَ حَقًّا، وَإِنَّ لِعَيْنِكَ عَلَيْكَ حَقًّا، وَإِنَّ لِزَوْجِكَ عَلَيْكَ حَقًّا",
                "tags": ["burnout", "rest", "balance"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_burnout_2_286",
                "category": "VERSE",
                "source": "QS. Al-Baqarah 2:286",
                "title": {
                    "id": "Allah tidak membebani seseorang melainkan sesuai kesanggupannya",
                    "en": "Allah does not burden a soul beyond its capacity",
                },
                "content": {
                    "id": "Allah tidak membebani seseorang melainkan sesuai dengan kesanggupannya. Ia mendapat pahala dari kebajikan yang diusahakannya dan mendapat siksa dari kejahatan yang dikerjakannya.",
                    "en": "Allah does not charge a soul except with that within its capacity. It will have the good it has gained, and it will bear the evil it has earned.",
                },
                "content_ar": "لَا يُكَلِّفُ اللَّهُ نَفْسًا إِلَّا وُسْعَهَا ۚ لَهَا مَا كَسَبَتْ وَعَلَيْهَا مَا اكْتَسَبَتْ",
                "tags": ["burden", "capacity", "burnout"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_burnout_boundaries",
                "category": "STRATEGY",
                "source": "Kesehatan kerja",
                "title": "Rest boundaries for the overworked",
                "content": {
                    "en": "Fix an end to the working day, keep one day a week free of work messages, and take short breaks at each prayer time. Exhaustion that does not lift after rest is a signal to talk to a doctor or counsellor.",
                    "id": "Tetapkan jam pulang kerja, satu hari seminggu tanpa pesan kantor, dan istirahat sejenak di setiap waktu salat. Lelah yang tidak hilang setelah istirahat adalah tanda untuk menemui dokter atau konselor.",
                },
                "tags": ["burnout", "work", "rest"],
                "languages": ["en", "id"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_burnout",
                "goal_keyword": "burnout",
                "tags": ["burnout", "rest"],
                "match_count": 143,
                "full_json": {
                    "goal": {"id": "Pulih dari kelelahan kerja", "en": "Recover from burnout"},
                    "introduction": {
                        "id": "Sepuluh hari untuk memberi hak tubuh dan jiwa: batas kerja, istirahat, dan niat yang diperbarui.",
                        "en": "Ten days to give body and soul their due: work limits, rest and a renewed intention.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Hak tubuhmu", "en": "Your body's right"},
                            "description": {
                                "id": "Renungkan hadits tentang hak tubuh atas dirimu.",
                                "en": "Reflect on the hadith about your body's right over you.",
                            },
                            "knowledge_reference_ids": ["kr_burnout_1975"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Jam pulang", "en": "A fixed end of day"},
                            "description": {
                                "id": "Tentukan jam berhenti bekerja dan patuhi tiga hari berturut-turut.",
                                "en": "Choose a stopping time and keep it three days in a row.",
                            },
                            "knowledge_reference_ids": ["kr_burnout_boundaries"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Sesuai kesanggupan", "en": "Within your capacity"},
                            "description": {
                                "id": "Coret satu kewajiban yang bukan milikmu.",
                                "en": "Strike one duty off your list that is not yours to carry.",
                            },
                            "knowledge_reference_ids": ["kr_burnout_2_286"],
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I'm completely drained by my job and have nothing left to give",
                "id": "kerja lembur terus sampai habis tenaga, rasanya kosong",
                "ar": "أنا مستنزف تماما من العمل ولم تعد لدي طاقة",
            },
            "journeys": {
                "en": "recovery program for someone exhausted by overwork",
                "id": "program pemulihan buat yang sudah capek lahir batin karena kerjaan",
                "ar": "برنامج للتعافي من الإرهاق الوظيفي",
            },
        },
    },
    # --- 19 ------------------------------------------------------------------------------
    {
        "topic": "illness",
        "knowledge": [
            {
                "id": "kr_illness_5641",
                "category": "HADITH",
                "source": "HR. Bukhari no. 5641",
                "title": {"id": "Sakit menggugurkan dosa", "en": "Illness wipes away sins"},
                "content": {
                    "id": "Tidaklah seorang muslim tertimpa keletihan, penyakit, kekhawatiran, kesedihan, gangguan dan kegundahan, bahkan duri yang menusuknya, melainkan Allah menghapus dengannya sebagian kesalahannya.",
                    "en": "No fatigue, disease, worry, sorrow, harm or distress befalls a Muslim, not even a thorn that pricks him, except that Allah expiates some of his sins by it.",
                },
                "content_ar": "مَا يُصِيبُ الْمُسْلِمَ مِنْ نَصَبٍ وَلَا وَصَبٍ وَلَا هَمٍّ وَلَا حُزْنٍ وَلَا أَذًى وَلَا غَمٍّ، حَتَّى الشَّوْكَةِ يُشَاكُهَا، إِلَّا كَفَّرَ اللَّهُ بِهَا مِنْ خَطَايَاهُ",
                "tags": ["illness", "sickness", "expiation"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_illness_ayyub",
                "category": "DUA",
                "source": "QS. Al-Anbiya 21:83",
                "title": {
                    "id": "Doa Nabi Ayyub ketika sakit",
                    "en": "The supplication of Ayyub in sickness",
                },
                "content": {
                    "id": "Dan (ingatlah) Ayyub ketika ia menyeru Tuhannya: sesungguhnya aku telah ditimpa penyakit dan Engkau adalah Tuhan Yang Maha Penyayang di antara semua penyayang.",
                    "en": "And Ayyub, when he called to his Lord: indeed, adversity has touched me, and You are the Most Merciful of the merciful.",
                },
                "content_ar": "وَأَيُّوبَ إِذْ نَادَىٰ رَبَّهُ أَنِّي مَسَّنِيَ الضُّرُّ وَأَنتَ أَرْحَمُ الرَّاحِمِينَ",
                "tags": ["illness", "dua", "patience"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_illness_pacing",
                "category": "STRATEGY",
                "source": "Rehabilitasi penyakit kronis",
                "title": {
                    "id": "Mengatur energi saat sakit menahun",
                    "en": "Pacing your energy with a chronic condition",
                },
                "content": {
                    "id": "Bagi aktivitas menjadi potongan kecil dan selingi istirahat sebelum lelah, bukan sesudahnya. Ibadah menyesuaikan kemampuan: salat sambil duduk atau berbaring tetap bernilai penuh.",
                    "en": "Break activities into small pieces and rest before fatigue hits, not after. Worship adapts to ability: prayer sitting or lying down keeps its full worth.",
                },
                "tags": ["illness", "chronic", "energy"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_illness",
                "goal_keyword": "illness",
                "tags": ["illness", "patience"],
                "match_count": 72,
                "full_json": {
                    "goal": {
                        "id": "Tetap kuat hatinya saat tubuh sakit",
                        "en": "Keep a strong heart while the body is ill",
                    },
                    "introduction": {
                        "id": "Dua minggu pendampingan bagi yang sedang dirawat atau hidup dengan penyakit menahun.",
                        "en": "Two weeks of companionship for those in treatment or living with a long-term condition.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Sakit sebagai penghapus dosa",
                                "en": "Sickness as expiation",
                            },
                            "description": {
                                "id": "Renungkan hadits tentang duri yang menusuk.",
                                "en": "Reflect on the hadith of the thorn that pricks.",
                            },
                            "knowledge_reference_ids": ["kr_illness_5641"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Doa Nabi Ayyub", "en": "The prayer of Ayyub"},
                            "description": {
                                "id": "Bacalah doa Nabi Ayyub setiap pagi.",
                                "en": "Say the prayer of Ayyub each morning.",
                            },
                            "knowledge_reference_ids": ["kr_illness_ayyub"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Atur tenaga", "en": "Pace yourself"},
                            "description": {
                                "id": "Rencanakan hari dengan jeda istirahat sebelum lelah.",
                                "en": "Plan the day with rests before fatigue.",
                            },
                            "knowledge_reference_ids": ["kr_illness_pacing"],
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I was diagnosed with cancer and I'm struggling to accept it",
                "id": "sudah berbulan-bulan aku dirawat di rumah sakit, rasanya putus asa",
                "ar": "أنا مريض منذ مدة طويلة وأتألم، كيف أصبر؟",
            },
            "journeys": {
                "en": "support program while going through medical treatment",
                "id": "pendampingan untuk orang yang lagi berobat lama",
                "ar": "برنامج دعم نفسي أثناء العلاج من مرض مزمن",
            },
        },
    },
    # --- 20 ------------------------------------------------------------------------------
    {
        "topic": "doubt in faith",
        "knowledge": [
            {
                "id": "kr_doubt_dua_2140",
                "category": "DUA",
                "source": "HR. Tirmidzi no. 2140",
                "title": {
                    "id": "Doa agar hati teguh di atas agama",
                    "en": "Dua for a heart firm upon the religion",
                },
                "content": {
                    "id": "Doa yang paling sering dibaca Nabi: wahai Zat yang membolak-balikkan hati, teguhkanlah hatiku di atas agama-Mu.",
                    "en": "The supplication the Prophet said most often: O Turner of hearts, make my heart firm upon Your religion.",
                },
                "content_ar": "يَا مُقَلِّبَ الْقُلُوبِ ثَبِّتْ قَلْبِي عَلَى دِينِكَ",
                "tags": ["faith", "doubt", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_doubt_ask_teacher",
                "category": "STRATEGY",
                "source": "Pendampingan spiritual",
                "title": {
                    "id": "Membawa pertanyaan kepada guru yang tepercaya",
                    "en": "Bring your questions to a trusted teacher",
                },
                "content": {
                    "id": "Pertanyaan tentang iman bukan dosa. Tulis pertanyaanmu, cari jawabannya pada ustaz atau guru yang kamu percaya, bukan di kolom komentar. Tetap jaga salat selama mencari: ibadah menenangkan saat akal masih bertanya.",
                    "en": "Questions about belief are not a sin. Write them down and take them to a scholar or teacher you trust, not to comment sections. Keep praying while you search: worship steadies you while the mind is still asking.",
                },
                "tags": ["faith", "doubt", "questions"],
                "languages": ["id", "en"],
                "status": "PENDING",
            },
        ],
        "journeys": [
            {
                "id": "tpl_doubt",
                "goal_keyword": "faith doubts",
                "tags": ["faith", "doubt"],
                "match_count": 39,
                "full_json": {
                    "goal": {
                        "id": "Menguatkan iman di tengah keraguan",
                        "en": "Strengthen faith through seasons of doubt",
                    },
                    "introduction": {
                        "id": "Dua puluh satu hari untuk bertanya dengan jujur dan tetap dekat dengan Allah.",
                        "en": "Twenty-one days to ask honestly and stay close to Allah.",
                    },
                    "duration_days": 21,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Tulis pertanyaanmu", "en": "Write your questions"},
                            "description": {
                                "id": "Daftar pertanyaan yang mengganggumu, tanpa menghakimi diri.",
                                "en": "List the questions that trouble you, without judging yourself.",
                            },
                            "knowledge_reference_ids": ["kr_doubt_ask_teacher"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Doa keteguhan", "en": "The dua for steadfastness"},
                            "description": {
                                "id": "Baca doa Nabi untuk keteguhan hati.",
                                "en": "Say the Prophet's dua for a steady heart.",
                            },
                            "knowledge_reference_ids": ["kr_doubt_dua_2140"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Temui guru", "en": "Meet a teacher"},
                            "description": {
                                "id": "Bawa satu pertanyaan kepada ustaz yang kamu percaya.",
                                "en": "Take one question to a scholar you trust.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "lately I'm not sure I even believe in God anymore",
                "id": "aku mulai ragu apakah agama ini benar, takut imanku hilang",
                "ar": "بدأت أشك في إيماني وأخاف أن أفقد ديني",
            },
            "journeys": {
                "en": "a guided path for a Muslim struggling with religious questions",
                "id": "program untuk yang lagi goyah keyakinannya",
                "ar": "برنامج لتثبيت الإيمان عند الشكوك",
            },
        },
    },
    # --- 21 ------------------------------------------------------------------------------
    {
        "topic": "phone addiction",
        "knowledge": [
            {
                "id": "kr_phone_2317",
                "category": "HADITH",
                "source": "HR. Tirmidzi no. 2317",
                "title": {
                    "id": "Meninggalkan yang tidak bermanfaat",
                    "en": "Leaving what does not concern you",
                },
                "content": {
                    "id": "Di antara tanda baiknya keislaman seseorang adalah ia meninggalkan hal-hal yang tidak bermanfaat baginya.",
                    "en": "Part of the excellence of a person's Islam is leaving alone what does not concern him.",
                },
                "content_ar": "مِنْ حُسْنِ إِسْلَامِ الْمَرْءِ تَرْكُهُ مَا لَا يَعْنِيهِ",
                "tags": ["time", "distraction"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_phone_limits",
                "category": "STRATEGY",
                "source": "Digital wellbeing",
                "title": {"id": "Batas layar yang realistis", "en": "Realistic screen limits"},
                "content": {
                    "id": "Matikan notifikasi selain pesan dari keluarga, letakkan ponsel di luar kamar saat tidur, dan pasang batas harian untuk aplikasi video pendek. Ganti gulir tanpa henti dengan satu kebiasaan kecil: membaca satu halaman Al-Qur'an.",
                    "en": "Turn off notifications except messages from family, charge the phone outside the bedroom, and set a daily limit on short-video apps. Replace endless scrolling with one small habit: reading a page of the Qur'an.",
                },
                "tags": ["phone", "screen time", "habits"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_phone",
                "goal_keyword": "digital detox",
                "tags": ["phone", "screen time"],
                "match_count": 201,
                "full_json": {
                    "goal": {
                        "id": "Mengurangi waktu layar dan kembali hadir",
                        "en": "Cut screen time and be present again",
                    },
                    "introduction": {
                        "id": "Empat belas hari mengambil kembali perhatianmu dari notifikasi.",
                        "en": "Fourteen days to take your attention back from notifications.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Ukur dulu", "en": "Measure first"},
                            "description": {
                                "id": "Catat berapa jam layar kemarin tanpa menghakimi.",
                                "en": "Note yesterday's screen hours without judging.",
                            },
                        },
                        {
                            "day": 2,
                            "title": {"id": "Notifikasi mati", "en": "Notifications off"},
                            "description": {
                                "id": "Matikan semua notifikasi kecuali keluarga.",
                                "en": "Switch off every notification except family.",
                            },
                            "knowledge_reference_ids": ["kr_phone_limits"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Yang bermanfaat saja", "en": "Only what benefits"},
                            "description": {
                                "id": "Renungkan hadits meninggalkan yang tidak bermanfaat.",
                                "en": "Reflect on the hadith about leaving what does not concern you.",
                            },
                            "knowledge_reference_ids": ["kr_phone_2317"],
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I scroll TikTok for hours and can't put it down",
                "id": "aku kecanduan HP, tiap bangun langsung buka Instagram sampai siang",
                "ar": "لا أستطيع ترك الجوال وأقضي ساعات على مواقع التواصل",
            },
            "journeys": {
                "en": "a challenge to break my social media habit",
                "id": "tantangan puasa gadget dua minggu",
                "ar": "تحدي للتخلص من إدمان الهاتف",
            },
        },
    },
    # --- 22 ------------------------------------------------------------------------------
    {
        "topic": "guilt and repentance",
        "knowledge": [
            {
                "id": "kr_repent_39_53",
                "category": "VERSE",
                "source": "QS. Az-Zumar 39:53",
                "title": {
                    "id": "Jangan berputus asa dari rahmat Allah",
                    "en": "Do not despair of Allah's mercy",
                },
                "content": {
                    "id": "Katakanlah: wahai hamba-hamba-Ku yang melampaui batas terhadap diri mereka sendiri, janganlah kamu berputus asa dari rahmat Allah. Sesungguhnya Allah mengampuni dosa-dosa semuanya.",
                    "en": "Say: O My servants who have transgressed against themselves, do not despair of the mercy of Allah. Indeed, Allah forgives all sins.",
                },
                "content_ar": "قُلْ يَا عِبَادِيَ الَّذِينَ أَسْرَفُوا عَلَىٰ أَنفُسِهِمْ لَا تَقْنَطُوا مِن رَّحْمَةِ اللَّهِ ۚ إِنَّ اللَّهَ يَغْفِرُ الذُّنُوبَ جَمِيعًا",
                "tags": ["repentance", "tawbah", "mercy"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_repent_sayyidul_istighfar",
                "category": "DUA",
                "source": "HR. Bukhari no. 6306",
                "title": {
                    "id": "Sayyidul istighfar",
                    "en": "The master supplication for forgiveness",
                },
                "content": {
                    "id": "Ya Allah, Engkau Tuhanku, tidak ada tuhan selain Engkau. Engkau menciptakanku dan aku hamba-Mu. Aku mengakui nikmat-Mu kepadaku dan mengakui dosaku, maka ampunilah aku.",
                    "en": "O Allah, You are my Lord, there is no god but You. You created me and I am Your servant. I acknowledge Your favour upon me and I acknowledge my sin, so forgive me.",
                },
                "content_ar": "اللَّهُمَّ أَنْتَ رَبِّي لَا إِلَهَ إِلَّا أَنْتَ، خَلَقْتَنِي وَأَنَا عَبْدُكَ، وَأَنَا عَلَى عَهْدِكَ وَوَعْدِكَ مَا اسْتَطَعْتُ، أَعُوذُ بِكَ مِنْ شَرِّ مَا صَنَعْتُ، أَبُوءُ لَكَ بِنِعْمَتِكَ عَلَيَّ، وَأَبُوءُ لَكَ بِذَنْبِي فَاغْفِرْ لِي، فَإِنَّهُ لَا يَغْفِرُ الذُّنُوبَ إِلَّا أَنْتَ",
                "tags": ["repentance", "istighfar", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_repent_steps",
                "category": "STRATEGY",
                "source": "Bimbingan taubat",
                "title": {"id": "Langkah-langkah taubat nasuha", "en": None},
                "content": {
                    "id": "Berhenti dari dosa itu, menyesalinya dengan tulus, bertekad tidak mengulanginya, dan mengembalikan hak orang lain bila ada. Rasa bersalah yang sehat mendorong perbaikan; rasa bersalah yang melumpuhkan bukan dari Allah.",
                },
                "tags": ["repentance", "guilt"],
                "languages": ["id"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_repentance",
                "goal_keyword": "taubat",
                "tags": ["repentance", "guilt"],
                "match_count": 184,
                "full_json": {
                    "goal": {
                        "id": "Kembali kepada Allah setelah terjatuh",
                        "en": "Return to Allah after a fall",
                    },
                    "introduction": {
                        "id": "Empat puluh hari taubat: menyesal, memperbaiki, dan memulai lagi tanpa putus asa.",
                        "en": "Forty days of tawbah: remorse, repair and a fresh start without despair.",
                    },
                    "duration_days": 40,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Rahmat yang luas", "en": "Vast mercy"},
                            "description": {
                                "id": "Baca QS. Az-Zumar 39:53 pelan-pelan.",
                                "en": "Read QS. Az-Zumar 39:53 slowly.",
                            },
                            "knowledge_reference_ids": ["kr_repent_39_53"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Empat syarat taubat",
                                "en": "The four conditions of tawbah",
                            },
                            "description": {
                                "id": "Berhenti, menyesal, bertekad, mengembalikan hak.",
                                "en": "Stop, regret, resolve, restore what is owed.",
                            },
                            "knowledge_reference_ids": ["kr_repent_steps"],
                        },
                        {
                            "day": 3,
                            "title": {
                                "id": "Istighfar pagi dan sore",
                                "en": "Istighfar morning and evening",
                            },
                            "description": {
                                "id": "Hafalkan sayyidul istighfar.",
                                "en": "Memorise the master supplication for forgiveness.",
                            },
                            "knowledge_reference_ids": ["kr_repent_sayyidul_istighfar"],
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I did something really shameful and I don't think God will ever pardon me",
                "id": "dosaku udah banyak banget, masih bisa diampuni nggak ya?",
                "ar": "فعلت أشياء سيئة كثيرة وأخاف ألا يسامحني ربي",
            },
            "journeys": {
                "en": "a program to turn back to God after years of sinning",
                "id": "program hijrah buat yang merasa kotor karena masa lalu",
                "ar": "برنامج للرجوع إلى الله بعد المعاصي",
            },
        },
    },
    # --- 23 ------------------------------------------------------------------------------
    {
        "topic": "hope in hardship",
        "knowledge": [
            {
                "id": "kr_hope_94_5",
                "category": "VERSE",
                "source": "QS. Al-Insyirah 94:5-6",
                "title": {
                    "id": "Sesudah kesulitan ada kemudahan",
                    "en": "With hardship comes ease",
                },
                "content": {
                    "id": "Maka sesungguhnya bersama kesulitan ada kemudahan. Sesungguhnya bersama kesulitan ada kemudahan.",
                    "en": "For indeed, with hardship will be ease. Indeed, with hardship will be ease.",
                },
                "content_ar": "فَإِنَّ مَعَ الْعُسْرِ يُسْرًا ۝ إِنَّ مَعَ الْعُسْرِ يُسْرًا",
                "tags": ["hope", "hardship"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_hope_small_wins",
                "category": "STRATEGY",
                "source": "Psikologi positif",
                "title": {"id": "Catatan kemenangan kecil", "en": "A record of small wins"},
                "content": {
                    "id": "Saat semuanya terasa gelap, tulis tiga hal yang berhasil kamu lewati minggu ini, sekecil apa pun. Bukti bahwa kamu pernah bertahan memberi tenaga untuk bertahan lagi.",
                    "en": "When everything feels dark, write three things you made it through this week, however small. Evidence that you have endured before gives strength to endure again.",
                },
                "tags": ["hope", "resilience"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_hope",
                "goal_keyword": "hope",
                "tags": ["hope", "hardship"],
                "match_count": 125,
                "full_json": {
                    "goal": {
                        "id": "Menyalakan kembali harapan saat hidup sulit",
                        "en": "Rekindle hope when life is hard",
                    },
                    "introduction": {
                        "id": "Tujuh hari bersama janji kemudahan sesudah kesulitan.",
                        "en": "Seven days with the promise of ease after hardship.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Janji yang diulang dua kali",
                                "en": "A promise repeated twice",
                            },
                            "description": {
                                "id": "Renungkan QS. Al-Insyirah 94:5-6.",
                                "en": "Reflect on QS. Al-Insyirah 94:5-6.",
                            },
                            "knowledge_reference_ids": ["kr_hope_94_5"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Kemenangan kecil", "en": "Small wins"},
                            "description": {
                                "id": "Tulis tiga hal yang berhasil kamu lewati.",
                                "en": "Write three things you made it through.",
                            },
                            "knowledge_reference_ids": ["kr_hope_small_wins"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Cahaya kecil", "en": "A small light"},
                            "description": {
                                "id": "Lakukan satu hal yang kamu nanti-nantikan.",
                                "en": "Do one thing you can look forward to.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "everything keeps going wrong and I can't see any way out",
                "id": "hidupku lagi di titik terendah, kapan ya semua ini berakhir?",
                "ar": "كل شيء يسوء في حياتي ولا أرى مخرجا",
            },
            "journeys": {
                "en": "something to lift me when I feel there is no light ahead",
                "id": "program supaya semangat lagi waktu lagi terpuruk",
                "ar": "برنامج يعيد لي التفاؤل في الأوقات الصعبة",
            },
        },
    },
    # --- 24 ------------------------------------------------------------------------------
    {
        "topic": "tawakkul",
        "knowledge": [
            {
                "id": "kr_tawakkul_65_3",
                "category": "VERSE",
                "source": "QS. At-Talaq 65:3",
                "title": {
                    "id": "Barang siapa bertawakal, Allah mencukupinya",
                    "en": "Whoever relies on Allah, He is sufficient for him",
                },
                "content": {
                    "id": "Dan Dia memberinya rezeki dari arah yang tidak disangka-sangkanya. Dan barang siapa bertawakal kepada Allah, niscaya Allah akan mencukupkan (keperluan)nya.",
                    "en": "And He will provide for him from where he does not expect. And whoever relies upon Allah, then He is sufficient for him.",
                },
                "content_ar": "وَيَرْزُقْهُ مِنْ حَيْثُ لَا يَحْتَسِبُ ۚ وَمَن يَتَوَكَّلْ عَلَى اللَّهِ فَهُوَ حَسْبُهُ ۚ إِنَّ اللَّهَ بَالِغُ أَمْرِهِ",
                "tags": ["tawakkul", "trust", "rizq"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_tawakkul_2517",
                "category": "HADITH",
                "source": "HR. Tirmidzi no. 2517",
                "title": {
                    "id": "Ikatlah untamu, lalu bertawakallah",
                    "en": "Tie your camel, then trust",
                },
                "content": {
                    "id": "Seseorang bertanya: apakah aku lepaskan untaku lalu bertawakal? Nabi menjawab: ikatlah ia, lalu bertawakallah. Berusaha dan berserah diri berjalan bersama.",
                    "en": "A man asked: shall I leave my camel untied and rely on Allah? The Prophet answered: tie it, and rely on Allah. Effort and trust go together.",
                },
                "content_ar": "اعْقِلْهَا وَتَوَكَّلْ",
                "tags": ["tawakkul", "effort"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_tawakkul_worry_list",
                "category": "STRATEGY",
                "source": "Konseling Islami",
                "title": {
                    "id": "Daftar ikhtiar dan daftar titipan",
                    "en": "An effort list and a handed-over list",
                },
                "content": {
                    "id": "Bagi satu halaman menjadi dua kolom: apa yang sudah dan masih bisa kamu usahakan, dan apa yang kamu titipkan kepada Allah. Kerjakan kolom pertama; setiap kali pikiran kembali ke kolom kedua, ucapkan hasbunallah wa ni'mal wakil.",
                    "en": "Split a page into two columns: what you have done and can still do, and what you hand over to Allah. Work on the first column; each time the mind returns to the second, say hasbunallah wa ni'mal wakil.",
                },
                "tags": ["tawakkul", "effort"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_tawakkul",
                "goal_keyword": "tawakal",
                "tags": ["tawakkul", "trust"],
                "match_count": 96,
                "full_json": {
                    "goal": {
                        "id": "Berusaha sepenuhnya, lalu berserah sepenuhnya",
                        "en": "Do your utmost, then let go to Allah",
                    },
                    "introduction": {
                        "id": "Sepuluh hari belajar menyeimbangkan ikhtiar dan penyerahan diri.",
                        "en": "Ten days of learning to balance effort and surrender.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Ikat untamu", "en": "Tie your camel"},
                            "description": {
                                "id": "Tulis semua ikhtiar yang bisa kamu lakukan untuk satu urusan.",
                                "en": "Write down every effort you can make for one matter.",
                            },
                            "knowledge_reference_ids": ["kr_tawakkul_2517"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Allah mencukupi", "en": "Allah suffices"},
                            "description": {
                                "id": "Renungkan QS. At-Talaq 65:3 setelah berusaha.",
                                "en": "Reflect on QS. At-Talaq 65:3 after your effort.",
                            },
                            "knowledge_reference_ids": ["kr_tawakkul_65_3"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Lepaskan hasilnya", "en": "Release the outcome"},
                            "description": {
                                "id": "Ucapkan hasbunallah setiap kali pikiran kembali ke hasil.",
                                "en": "Say hasbunallah each time the mind returns to the result.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I've done everything I can and now I just have to leave it in God's hands",
                "id": "udah ikhtiar maksimal tapi hasilnya belum kelihatan, gimana biar pasrah?",
                "ar": "بذلت كل جهدي فكيف أسلم أمري لله وأطمئن؟",
            },
            "journeys": {
                "en": "a program for letting go of what I can't control after giving it my all",
                "id": "program belajar berserah sama Allah tanpa berhenti usaha",
                "ar": "برنامج لتعلم الاعتماد على الله مع الأخذ بالأسباب",
            },
        },
    },
    # --- 25 ------------------------------------------------------------------------------
    {
        "topic": "honouring parents",
        "knowledge": [
            {
                "id": "kr_parents_17_23",
                "category": "VERSE",
                "source": "QS. Al-Isra 17:23-24",
                "title": {
                    "id": "Berbuat baiklah kepada ibu bapak",
                    "en": "Be good to your parents",
                },
                "content": {
                    "id": "Tuhanmu telah memerintahkan agar kamu jangan menyembah selain Dia dan hendaklah berbuat baik kepada ibu bapak. Jika salah seorang di antara keduanya atau keduanya sampai berusia lanjut, janganlah engkau mengatakan 'ah' dan janganlah membentak keduanya, dan ucapkanlah kepada keduanya perkataan yang mulia. Dan ucapkanlah: Ya Tuhanku, sayangilah keduanya sebagaimana mereka mendidikku waktu kecil.",
                    "en": "Your Lord has decreed that you worship none but Him, and that you be good to your parents. If one or both of them reach old age with you, do not say 'uff' to them nor scold them, but speak to them a noble word. And say: my Lord, have mercy on them as they raised me when I was small.",
                },
                "content_ar": "وَقَضَىٰ رَبُّكَ أَلَّا تَعْبُدُوا إِلَّا إِيَّاهُ وَبِالْوَالِدَيْنِ إِحْسَانًا ۚ إِمَّا يَبْلُغَنَّ عِندَكَ الْكِبَرَ أَحَدُهُمَا أَوْ كِلَاهُمَا فَلَا تَقُل لَّهُمَا أُفٍّ وَلَا تَنْهَرْهُمَا وَقُل لَّهُمَا قَوْلًا كَرِيمًا",
                "tags": ["parents", "birrul walidain"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_parents_weekly_call",
                "category": "STRATEGY",
                "source": "Konseling keluarga",
                "title": {
                    "id": "Berbakti dari jauh dan dari dekat",
                    "en": "Honouring parents near and far",
                },
                "content": {
                    "id": "Telepon orang tua pada jam yang tetap setiap minggu, dengarkan tanpa memotong, dan tanyakan satu hal yang bisa kamu bantu. Bila berbeda pendapat, sampaikan dengan lembut dan tetap hormat, meski keputusanmu berbeda.",
                    "en": "Call your mother and father at a fixed time each week, listen without interrupting, and ask one thing you can help with. When you disagree, say so gently and respectfully, even if your decision differs.",
                },
                "tags": ["parents", "family"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_parents",
                "goal_keyword": "birrul walidain",
                "tags": ["parents", "family"],
                "match_count": 134,
                "full_json": {
                    "goal": {
                        "id": "Berbakti kepada orang tua setiap hari",
                        "en": "Honour your parents every day",
                    },
                    "introduction": {
                        "id": "Tiga puluh hari amalan kecil untuk ayah dan ibu, yang masih ada maupun yang telah tiada.",
                        "en": "Thirty days of small deeds for father and mother, living or departed.",
                    },
                    "duration_days": 30,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Perkataan yang mulia", "en": "A noble word"},
                            "description": {
                                "id": "Renungkan QS. Al-Isra 17:23-24.",
                                "en": "Reflect on QS. Al-Isra 17:23-24.",
                            },
                            "knowledge_reference_ids": ["kr_parents_17_23"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Telepon mingguan", "en": "A weekly call"},
                            "description": {
                                "id": "Tetapkan jam menelepon orang tua.",
                                "en": "Fix a time to call your parents.",
                            },
                            "knowledge_reference_ids": ["kr_parents_weekly_call"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Doa untuk keduanya", "en": "A dua for both"},
                            "description": {
                                "id": "Doakan keduanya setelah setiap salat.",
                                "en": "Pray for them both after every prayer.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "how should I treat my mom and dad when they get old and difficult",
                "id": "gimana caranya berbakti sama ayah ibu yang sudah sepuh dan sering salah paham?",
                "ar": "كيف أبر أمي وأبي وقد كبرا في السن؟",
            },
            "journeys": {
                "en": "a month of doing good for mom and dad",
                "id": "program sebulan jadi anak yang lebih berbakti",
                "ar": "برنامج شهر للإحسان إلى الوالدين",
            },
        },
    },
    # --- 26 ------------------------------------------------------------------------------
    {
        "topic": "sadness",
        "knowledge": [
            {
                "id": "kr_sadness_12_86",
                "category": "VERSE",
                "source": "QS. Yusuf 12:86",
                "title": {
                    "id": "Aku mengadukan kesusahan dan kesedihanku hanya kepada Allah",
                    "en": "I only complain of my suffering and my grief to Allah",
                },
                "content": {
                    "id": "Ya'qub menjawab: hanya kepada Allah aku mengadukan kesusahan dan kesedihanku, dan aku mengetahui dari Allah apa yang tidak kamu ketahui.",
                    "en": "Ya'qub said: I only complain of my suffering and my grief to Allah, and I know from Allah that which you do not know.",
                },
                "content_ar": "قَالَ إِنَّمَا أَشْكُو بَثِّي وَحُزْنِي إِلَى اللَّهِ وَأَعْلَمُ مِنَ اللَّهِ مَا لَا تَعْلَمُونَ",
                "tags": ["sadness", "depression", "complaint"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_sadness_activation",
                "category": "STRATEGY",
                "source": "Aktivasi perilaku (behavioral activation)",
                "title": {
                    "id": "Bergerak dulu, semangat menyusul",
                    "en": "Move first, the mood follows",
                },
                "content": {
                    "id": "Ketika murung berhari-hari, jangan menunggu semangat datang. Pilih satu kegiatan kecil yang dulu kamu sukai dan lakukan sepuluh menit. Bila rasa hampa bertahan lebih dari dua minggu, temui psikolog atau dokter: itu bagian dari ikhtiar.",
                    "en": "When low mood lasts for days, do not wait for motivation. Choose one small activity you used to enjoy and do it for ten minutes. If the emptiness lasts more than two weeks, see a psychologist or doctor: that is part of seeking a cure.",
                },
                "tags": ["sadness", "depression", "activity"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_sadness",
                "goal_keyword": "sadness",
                "tags": ["sadness", "depression"],
                "match_count": 158,
                "full_json": {
                    "goal": {
                        "id": "Bangkit perlahan dari kesedihan yang berlarut",
                        "en": "Rise slowly out of lasting sorrow",
                    },
                    "introduction": {
                        "id": "Empat belas hari langkah kecil untuk hati yang murung, dengan doa dan gerak.",
                        "en": "Fourteen days of small steps for a heavy heart, with prayer and movement.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Mengadu kepada Allah", "en": "Confide in Allah"},
                            "description": {
                                "id": "Ceritakan bebanmu kepada Allah seperti Nabi Ya'qub.",
                                "en": "Tell Allah what weighs on you, as Ya'qub did.",
                            },
                            "knowledge_reference_ids": ["kr_sadness_12_86"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Sepuluh menit", "en": "Ten minutes"},
                            "description": {
                                "id": "Lakukan satu kegiatan yang dulu kamu sukai selama sepuluh menit.",
                                "en": "Do one thing you used to enjoy for ten minutes.",
                            },
                            "knowledge_reference_ids": ["kr_sadness_activation"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Cari bantuan", "en": "Get help"},
                            "description": {
                                "id": "Bicarakan perasaanmu dengan satu orang atau profesional.",
                                "en": "Talk about how you feel with one person or a professional.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I've felt down and empty for weeks and nothing makes me happy",
                "id": "sudah berminggu-minggu aku sedih tanpa sebab, nggak semangat ngapa-ngapain",
                "ar": "أشعر بالحزن والاكتئاب منذ أسابيع ولا شيء يفرحني",
            },
            "journeys": {
                "en": "a gentle program for someone feeling depressed",
                "id": "program pelan-pelan buat yang lagi depresi",
                "ar": "برنامج لطيف لمن يعاني من الاكتئاب",
            },
        },
    },
    # --- 27 ------------------------------------------------------------------------------
    {
        "topic": "regret and rumination",
        "knowledge": [
            {
                "id": "kr_regret_2664",
                "category": "HADITH",
                "source": "HR. Muslim no. 2664",
                "title": {"id": "Jangan berkata 'seandainya'", "en": "Do not say 'if only'"},
                "content": {
                    "id": "Bersemangatlah atas apa yang bermanfaat bagimu, mintalah pertolongan kepada Allah dan jangan lemah. Jika sesuatu menimpamu, jangan berkata 'seandainya aku berbuat begini, tentu akan begini', tetapi katakanlah: Allah telah menakdirkan, dan apa yang Dia kehendaki Dia perbuat. Sebab kata 'seandainya' membuka pintu perbuatan setan.",
                    "en": "Strive for what benefits you, seek Allah's help and do not give up. If something befalls you, do not say 'if only I had done this, it would have been so', but say: Allah decreed, and what He wills He does. For 'if only' opens the door to the work of Satan.",
                },
                "content_ar": "احْرِصْ عَلَى مَا يَنْفَعُكَ، وَاسْتَعِنْ بِاللَّهِ وَلَا تَعْجَزْ، وَإِنْ أَصَابَكَ شَيْءٌ فَلَا تَقُلْ: لَوْ أَنِّي فَعَلْتُ كَانَ كَذَا وَكَذَا، وَلَكِنْ قُلْ: قَدَرُ اللَّهِ وَمَا شَاءَ فَعَلَ، فَإِنَّ لَوْ تَفْتَحُ عَمَلَ الشَّيْطَانِ",
                "tags": ["regret", "qadar", "overthinking"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_regret_thought_record",
                "category": "STRATEGY",
                "source": "CBT - catatan pikiran",
                "title": {
                    "id": "Catatan pikiran untuk overthinking",
                    "en": "A thought record for overthinking",
                },
                "content": {
                    "id": "Saat pikiran berputar-putar pada kejadian lama, tulis: apa yang terjadi, apa yang kupikirkan, bukti yang mendukung dan yang membantah, lalu satu pelajaran untuk ke depan. Setelah ditulis, tutup bukunya dan alihkan tubuh ke kegiatan lain.",
                    "en": "When the mind circles an old event, write: what happened, what I thought, the evidence for and against, then one lesson for the future. Once written, close the notebook and move your body to something else.",
                },
                "tags": ["overthinking", "rumination", "cbt"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_regret",
                "goal_keyword": "overthinking",
                "tags": ["overthinking", "regret"],
                "match_count": 222,
                "full_json": {
                    "goal": {
                        "id": "Berhenti terjebak di masa lalu",
                        "en": "Stop being stuck in the past",
                    },
                    "introduction": {
                        "id": "Tujuh hari untuk menerima takdir yang sudah lewat dan kembali ke hari ini.",
                        "en": "Seven days to accept what has been decreed and come back to today.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Kata 'seandainya'", "en": "The words 'if only'"},
                            "description": {
                                "id": "Perhatikan berapa kali kamu mengucapkannya hari ini.",
                                "en": "Notice how often you say them today.",
                            },
                            "knowledge_reference_ids": ["kr_regret_2664"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Catatan pikiran", "en": "Thought record"},
                            "description": {
                                "id": "Isi satu catatan pikiran tentang kejadian yang terus teringat.",
                                "en": "Fill in one thought record about an event that keeps coming back.",
                            },
                            "knowledge_reference_ids": ["kr_regret_thought_record"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Satu pelajaran", "en": "One lesson"},
                            "description": {
                                "id": "Tulis satu pelajaran dan lepaskan sisanya.",
                                "en": "Write one lesson and let the rest go.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I keep replaying a mistake I made and wishing I had chosen differently",
                "id": "aku terus nyesel sama keputusan dulu, kepikiran terus tiap malam",
                "ar": "أندم كثيرا على قرار اتخذته وأفكر فيه باستمرار",
            },
            "journeys": {
                "en": "how to quit dwelling on things that already happened",
                "id": "program supaya nggak mikirin kesalahan lama terus-terusan",
                "ar": "برنامج للتوقف عن التفكير الزائد في الماضي",
            },
        },
    },
    # --- 28 ------------------------------------------------------------------------------
    {
        "topic": "job loss",
        "knowledge": [
            {
                "id": "kr_jobloss_11_6",
                "category": "VERSE",
                "source": "QS. Hud 11:6",
                "title": {
                    "id": "Setiap makhluk dijamin rezekinya",
                    "en": "Every creature's provision is with Allah",
                },
                "content": {
                    "id": "Dan tidak satu pun makhluk bergerak di bumi melainkan semuanya dijamin Allah rezekinya. Dia mengetahui tempat kediamannya dan tempat penyimpanannya.",
                    "en": "There is no creature on earth but that upon Allah is its provision, and He knows its place of dwelling and of storage.",
                },
                "content_ar": "وَمَا مِن دَابَّةٍ فِي الْأَرْضِ إِلَّا عَلَى اللَّهِ رِزْقُهَا وَيَعْلَمُ مُسْتَقَرَّهَا وَمُسْتَوْدَعَهَا",
                "tags": ["rizq", "work", "job loss"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_jobloss_routine",
                "category": "STRATEGY",
                "source": "Konseling karier",
                "title": {
                    "id": "Rutinitas harian setelah kena PHK",
                    "en": "A daily routine after being laid off",
                },
                "content": {
                    "id": "Bangun pada jam kerja yang biasa, sediakan dua jam pagi untuk melamar, satu jam untuk belajar keterampilan baru, dan kabari jaringanmu bahwa kamu sedang mencari. Hari yang terstruktur menjaga harga diri selama menunggu.",
                    "en": "Get up at your usual working hour, give two morning hours to applications, one hour to a new skill, and tell your network you are looking. A structured day protects your dignity while you wait.",
                },
                "tags": ["job loss", "career", "routine"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_jobloss",
                "goal_keyword": "job loss",
                "tags": ["job loss", "rizq"],
                "match_count": 86,
                "full_json": {
                    "goal": {
                        "id": "Bangkit setelah kehilangan pekerjaan",
                        "en": "Get back on your feet after losing your job",
                    },
                    "introduction": {
                        "id": "Dua minggu untuk menata hari, hati dan lamaran setelah PHK.",
                        "en": "Two weeks to order your days, your heart and your applications after a layoff.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Rezeki sudah dijamin",
                                "en": "Provision is guaranteed",
                            },
                            "description": {
                                "id": "Renungkan QS. Hud 11:6.",
                                "en": "Reflect on QS. Hud 11:6.",
                            },
                            "knowledge_reference_ids": ["kr_jobloss_11_6"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Jam kerja baru", "en": "New working hours"},
                            "description": {
                                "id": "Susun jadwal melamar dan belajar.",
                                "en": "Build a schedule for applying and learning.",
                            },
                            "knowledge_reference_ids": ["kr_jobloss_routine"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Kabari jaringan", "en": "Tell your network"},
                            "description": {
                                "id": "Hubungi lima kenalan tentang peluang kerja.",
                                "en": "Contact five acquaintances about openings.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I just got fired and I don't know how I'll feed my family",
                "id": "aku baru di-PHK, bingung gimana menafkahi anak istri",
                "ar": "فقدت وظيفتي ولا أعرف كيف سأنفق على أسرتي",
            },
            "journeys": {
                "en": "a plan for the weeks after being made redundant",
                "id": "program buat yang lagi nganggur dan cari kerja",
                "ar": "خطة لمن فقد عمله ويبحث عن وظيفة",
            },
        },
    },
    # --- 29 ------------------------------------------------------------------------------
    {
        "topic": "waiting for a child",
        "knowledge": [
            {
                "id": "kr_child_21_89",
                "category": "DUA",
                "source": "QS. Al-Anbiya 21:89",
                "title": {
                    "id": "Doa Nabi Zakaria memohon keturunan",
                    "en": "The supplication of Zakariya for offspring",
                },
                "content": {
                    "id": "Dan (ingatlah) Zakaria ketika ia berdoa kepada Tuhannya: Ya Tuhanku, janganlah Engkau biarkan aku hidup seorang diri (tanpa keturunan), dan Engkaulah ahli waris yang terbaik. Allah mengabulkannya di usia senja.",
                    "en": "And Zakariya, when he called to his Lord: my Lord, do not leave me alone (without heir), and You are the best of inheritors. Allah answered him in his old age.",
                },
                "content_ar": "وَزَكَرِيَّا إِذْ نَادَىٰ رَبَّهُ رَبِّ لَا تَذَرْنِي فَرْدًا وَأَنتَ خَيْرُ الْوَارِثِينَ",
                "tags": ["offspring", "infertility", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_child_waiting",
                "category": "STRATEGY",
                "source": "Pendampingan pasangan promil",
                "title": {
                    "id": "Menjaga hati selama program hamil",
                    "en": "Caring for your heart during fertility treatment",
                },
                "content": {
                    "id": "Beri batas pada pertanyaan 'kapan punya anak?' dengan jawaban pendek yang sudah disiapkan. Rayakan hal lain dalam pernikahan, bukan hanya hasil tes. Kesedihan tiap bulan itu wajar; bicarakan berdua, bukan dipendam.",
                    "en": "Set a limit on 'when are you having kids?' with a short prepared answer. Celebrate other parts of your marriage, not just test results. Monthly sadness is normal; talk about it together rather than hiding it.",
                },
                "tags": ["infertility", "marriage", "waiting"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_child",
                "goal_keyword": "infertility",
                "tags": ["infertility", "hope"],
                "match_count": 47,
                "full_json": {
                    "goal": {
                        "id": "Tetap berharap selama menanti buah hati",
                        "en": "Keep hope while waiting for a child",
                    },
                    "introduction": {
                        "id": "Tiga puluh hari bagi suami istri yang sedang menanti keturunan.",
                        "en": "Thirty days for couples waiting to conceive.",
                    },
                    "duration_days": 30,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Doa Nabi Zakaria", "en": "The prayer of Zakariya"},
                            "description": {
                                "id": "Bacalah doa Nabi Zakaria bersama pasangan.",
                                "en": "Say the prayer of Zakariya together.",
                            },
                            "knowledge_reference_ids": ["kr_child_21_89"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Jawaban yang disiapkan", "en": "A prepared answer"},
                            "description": {
                                "id": "Siapkan jawaban singkat untuk pertanyaan keluarga.",
                                "en": "Prepare a short answer for family questions.",
                            },
                            "knowledge_reference_ids": ["kr_child_waiting"],
                        },
                        {
                            "day": 3,
                            "title": {
                                "id": "Rayakan pernikahanmu",
                                "en": "Celebrate your marriage",
                            },
                            "description": {
                                "id": "Rencanakan satu waktu berdua tanpa membahas anak.",
                                "en": "Plan time together without talking about children.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "we've been married five years and still can't get pregnant",
                "id": "sudah lama menikah tapi belum dikaruniai momongan, sedih tiap ditanya",
                "ar": "تزوجنا منذ سنوات ولم يرزقنا الله بطفل بعد",
            },
            "journeys": {
                "en": "support for a husband and wife hoping for a baby",
                "id": "program untuk pasangan yang sedang promil",
                "ar": "برنامج للزوجين اللذين يتمنيان الإنجاب",
            },
        },
    },
    # --- 30 ------------------------------------------------------------------------------
    {
        "topic": "divorce",
        "knowledge": [
            {
                "id": "kr_divorce_4_130",
                "category": "VERSE",
                "source": "QS. An-Nisa 4:130",
                "title": {
                    "id": "Jika keduanya bercerai, Allah mencukupi masing-masing",
                    "en": "If they separate, Allah will enrich each of them",
                },
                "content": {
                    "id": "Dan jika keduanya bercerai, maka Allah akan memberi kecukupan kepada masing-masing dari karunia-Nya. Dan Allah Mahaluas (karunia-Nya), Mahabijaksana.",
                    "en": "But if they separate, Allah will enrich each of them from His abundance. And Allah is Encompassing and Wise.",
                },
                "content_ar": "وَإِن يَتَفَرَّقَا يُغْنِ اللَّهُ كُلًّا مِّن سَعَتِهِ ۚ وَكَانَ اللَّهُ وَاسِعًا حَكِيمًا",
                "tags": ["divorce", "separation"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_divorce_rebuild",
                "category": "STRATEGY",
                "source": "Konseling pascaperceraian",
                "title": "Life after a marriage ends",
                "content": {
                    "id": "Beri dirimu waktu berduka atas pernikahan yang berakhir. Jaga anak dari pertengkaran orang tua, sepakati jadwal pengasuhan tertulis, dan bangun kembali rutinitas serta pertemanan yang sempat hilang.",
                    "en": "Give yourself time to mourn the marriage that ended. Keep the children out of adult conflict, agree a written custody schedule, and rebuild the routines and friendships you lost.",
                },
                "tags": ["divorce", "co-parenting"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_divorce",
                "goal_keyword": "divorce",
                "tags": ["divorce", "healing"],
                "match_count": 53,
                "full_json": {
                    "goal": {
                        "id": "Pulih dan melangkah setelah perceraian",
                        "en": "Heal and move forward after divorce",
                    },
                    "introduction": "Twenty-one days for those whose marriage has ended, and for their children.",
                    "duration_days": 21,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Kecukupan dari Allah", "en": "Allah's sufficiency"},
                            "description": {
                                "id": "Renungkan QS. An-Nisa 4:130.",
                                "en": "Reflect on QS. An-Nisa 4:130.",
                            },
                            "knowledge_reference_ids": ["kr_divorce_4_130"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Lindungi anak", "en": "Shield the children"},
                            "description": {
                                "id": "Sepakati jadwal pengasuhan bersama secara tertulis.",
                                "en": "Agree a written shared custody schedule.",
                            },
                            "knowledge_reference_ids": ["kr_divorce_rebuild"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Rutinitas baru", "en": "New routines"},
                            "description": {
                                "id": "Mulai satu kebiasaan baru yang milikmu sendiri.",
                                "en": "Start one new habit that is yours alone.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my wife left me and the papers are signed, how do I go on?",
                "id": "baru resmi pisah dari suami, rasanya dunia runtuh",
                "ar": "انفصلت عن زوجتي وأشعر بالضياع",
            },
            "journeys": {
                "en": "a recovery path after my marriage broke up",
                "id": "pendampingan untuk janda yang baru berpisah",
                "ar": "برنامج للتعافي بعد الطلاق",
            },
        },
    },
    # --- 31 ------------------------------------------------------------------------------
    {
        "topic": "waiting for a spouse",
        "knowledge": [
            {
                "id": "kr_spouse_28_24",
                "category": "DUA",
                "source": "QS. Al-Qasas 28:24",
                "title": {
                    "id": "Doa Nabi Musa: aku sangat membutuhkan kebaikan-Mu",
                    "en": "The dua of Musa: I am in need of any good You send",
                },
                "content": {
                    "id": "Setelah menolong dua perempuan di Madyan, Nabi Musa berteduh dan berdoa: Ya Tuhanku, sesungguhnya aku sangat memerlukan sesuatu kebaikan yang Engkau turunkan kepadaku. Tak lama kemudian Allah mempertemukannya dengan istrinya.",
                    "en": "After helping two women in Madyan, Musa sat in the shade and prayed: my Lord, I am truly in need of whatever good You send down to me. Soon after, Allah brought him to his future wife.",
                },
                "content_ar": "رَبِّ إِنِّي لِمَا أَنزَلْتَ إِلَيَّ مِنْ خَيْرٍ فَقِيرٌ",
                "tags": ["marriage", "jodoh", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_spouse_meantime",
                "category": "STRATEGY",
                "source": "Konseling pranikah",
                "title": {"id": "Menanti jodoh tanpa kehilangan diri", "en": None},
                "content": {
                    "id": "Isi masa menunggu dengan memperbaiki diri, bukan dengan menghitung usia. Minta keluarga atau guru yang tepercaya membantu mencarikan, tetapkan kriteria yang penting saja, dan jangan menerima calon hanya karena takut terlambat.",
                    "en": None,
                },
                "tags": ["jodoh", "single", "patience"],
                "languages": ["id"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_spouse",
                "goal_keyword": "jodoh",
                "tags": ["jodoh", "marriage"],
                "match_count": 241,
                "full_json": {
                    "goal": {
                        "id": "Menanti jodoh dengan hati yang lapang",
                        "en": "Wait for the right spouse with a content heart",
                    },
                    "introduction": {
                        "id": "Dua puluh satu hari untuk yang lajang: berdoa, memperbaiki diri, dan berikhtiar dengan cara yang baik.",
                        "en": "Twenty-one days for singles: prayer, self-improvement and a dignified search.",
                    },
                    "duration_days": 21,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Doa Nabi Musa", "en": "The dua of Musa"},
                            "description": {
                                "id": "Hafalkan doa Nabi Musa di Madyan.",
                                "en": "Memorise the dua of Musa in Madyan.",
                            },
                            "knowledge_reference_ids": ["kr_spouse_28_24"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Kriteria yang penting", "en": "What really matters"},
                            "description": {
                                "id": "Tulis tiga kriteria calon yang paling penting bagimu.",
                                "en": "Write the three qualities that matter most to you.",
                            },
                            "knowledge_reference_ids": ["kr_spouse_meantime"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Minta dicarikan", "en": "Ask to be introduced"},
                            "description": {
                                "id": "Bicarakan dengan keluarga atau guru yang kamu percaya.",
                                "en": "Talk to family or a teacher you trust.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I'm 32 and still single, everyone keeps asking when I'll marry",
                "id": "umur udah kepala tiga belum nikah, capek ditanya kapan nyusul",
                "ar": "تأخر زواجي وأخشى ألا أجد الزوج المناسب",
            },
            "journeys": {
                "en": "a program for singles hoping to find a husband or wife",
                "id": "program buat yang masih lajang dan pengen segera menikah",
                "ar": "برنامج لمن ينتظر الزواج ويدعو بالزوج الصالح",
            },
        },
    },
    # --- 32 ------------------------------------------------------------------------------
    {
        "topic": "decision making",
        "knowledge": [
            {
                "id": "kr_decision_istikhara",
                "category": "DUA",
                "source": "HR. Bukhari no. 1162",
                "title": {"id": "Doa istikharah", "en": "The istikhara prayer"},
                "content": {
                    "id": "Nabi mengajarkan istikharah dalam segala urusan seperti mengajarkan surat Al-Qur'an: salat dua rakaat lalu berdoa, Ya Allah, aku memohon pilihan yang tepat kepada-Mu dengan ilmu-Mu dan memohon kekuatan dengan kekuasaan-Mu.",
                    "en": "The Prophet taught istikhara for every matter as he taught a surah of the Qur'an: pray two units and then say, O Allah, I seek Your guidance by Your knowledge and Your power by Your might.",
                },
                "content_ar": "اللَّهُمَّ إِنِّي أَسْتَخِيرُكَ بِعِلْمِكَ، وَأَسْتَقْدِرُكَ بِقُدْرَتِكَ، وَأَسْأَلُكَ مِنْ فَضْلِكَ الْعَظِيمِ، فَإِنَّكَ تَقْدِرُ وَلَا أَقْدِرُ، وَتَعْلَمُ وَلَا أَعْلَمُ، وَأَنْتَ عَلَّامُ الْغُيُوبِ",
                "tags": ["istikhara", "decision", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_decision_consult",
                "category": "STRATEGY",
                "source": "Musyawarah dan pengambilan keputusan",
                "title": {
                    "id": "Timbang, musyawarahkan, lalu putuskan",
                    "en": "Weigh, consult, then decide",
                },
                "content": {
                    "id": "Tulis pilihan-pilihanmu dengan untung rugi masing-masing, bicarakan dengan dua orang bijak yang mengenalmu, salat istikharah, lalu tetapkan batas waktu untuk memutuskan. Setelah bertekad, bertawakallah dan jangan menoleh terus ke belakang.",
                    "en": "Write out your options with the pros and cons of each, talk them over with two wise people who know you, pray istikhara, then set a deadline to decide. Once resolved, trust Allah and stop looking back.",
                },
                "tags": ["decision", "shura"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_decision",
                "goal_keyword": "istikhara",
                "tags": ["decision", "istikhara"],
                "match_count": 109,
                "full_json": {
                    "goal": {
                        "id": "Mengambil keputusan besar dengan tenang",
                        "en": "Make a big decision with peace of mind",
                    },
                    "introduction": {
                        "id": "Lima hari untuk menimbang, bermusyawarah dan beristikharah.",
                        "en": "Five days of weighing, consulting and praying istikhara.",
                    },
                    "duration_days": 5,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Tulis pilihanmu", "en": "Write your options"},
                            "description": {
                                "id": "Untung rugi setiap pilihan di satu halaman.",
                                "en": "Pros and cons of each option on one page.",
                            },
                            "knowledge_reference_ids": ["kr_decision_consult"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Salat istikharah", "en": "Pray istikhara"},
                            "description": {
                                "id": "Pelajari tata cara dan doanya.",
                                "en": "Learn how it is prayed and its supplication.",
                            },
                            "knowledge_reference_ids": ["kr_decision_istikhara"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Musyawarah", "en": "Consultation"},
                            "description": {
                                "id": "Minta pendapat dua orang yang bijak.",
                                "en": "Ask two wise people for their view.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I can't decide whether to accept a job abroad or stay near my family",
                "id": "bingung harus pilih kampus yang mana, takut salah langkah",
                "ar": "أنا محتار بين خيارين ولا أعرف أيهما أختار",
            },
            "journeys": {
                "en": "guidance for choosing between two important options",
                "id": "program bantu aku memilih keputusan besar dalam hidup",
                "ar": "برنامج يساعدني على الاختيار الصحيح في أمر مهم",
            },
        },
    },
    # --- 33 ------------------------------------------------------------------------------
    {
        "topic": "consistency in worship",
        "knowledge": [
            {
                "id": "kr_worship_6464",
                "category": "HADITH",
                "source": "HR. Bukhari no. 6464",
                "title": {
                    "id": "Amal yang paling dicintai Allah adalah yang kontinu",
                    "en": "The deeds most beloved to Allah are the constant ones",
                },
                "content": {
                    "id": "Amalan yang paling dicintai Allah adalah yang dikerjakan terus-menerus walaupun sedikit.",
                    "en": "The most beloved of deeds to Allah are those done regularly, even if they are few.",
                },
                "content_ar": "وَأَنَّ أَحَبَّ الْأَعْمَالِ إِلَى اللَّهِ أَدْوَمُهَا وَإِنْ قَلَّ",
                "tags": ["worship", "consistency", "istiqamah"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_worship_habit_stacking",
                "category": "STRATEGY",
                "source": "Psikologi kebiasaan",
                "title": {
                    "id": "Menempelkan ibadah pada kebiasaan yang sudah ada",
                    "en": "Attach worship to habits you already have",
                },
                "content": {
                    "id": "Pilih satu amalan kecil dan tempelkan pada kegiatan rutin: dua ayat setelah sarapan, istighfar saat menunggu lampu merah, salat di awal waktu begitu azan di ponsel berbunyi. Kecil tapi setiap hari mengalahkan besar tapi sesekali.",
                    "en": "Choose one small practice and attach it to a routine: two verses after breakfast, seeking forgiveness at red lights, praying as soon as the call sounds on your phone. Small but daily beats big but occasional.",
                },
                "tags": ["worship", "habits", "salah"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_worship",
                "goal_keyword": "istiqamah",
                "tags": ["worship", "istiqamah"],
                "match_count": 178,
                "full_json": {
                    "goal": {
                        "id": "Istiqamah dalam ibadah harian",
                        "en": "Stay steady in daily worship",
                    },
                    "introduction": {
                        "id": "Empat puluh hari membangun ibadah kecil yang tidak putus.",
                        "en": "Forty days of building small acts of worship that never break.",
                    },
                    "duration_days": 40,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Sedikit tapi terus", "en": "Little but constant"},
                            "description": {
                                "id": "Renungkan hadits tentang amal yang paling dicintai.",
                                "en": "Reflect on the hadith of the most beloved deeds.",
                            },
                            "knowledge_reference_ids": ["kr_worship_6464"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Tempelkan pada rutinitas",
                                "en": "Attach it to a routine",
                            },
                            "description": {
                                "id": "Pilih satu amalan dan satu kegiatan harian sebagai pemicunya.",
                                "en": "Choose one practice and one daily activity to cue it.",
                            },
                            "knowledge_reference_ids": ["kr_worship_habit_stacking"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Jangan putus dua hari", "en": "Never miss twice"},
                            "description": {
                                "id": "Jika terlewat sehari, kembalilah esoknya tanpa menyalahkan diri.",
                                "en": "If you miss a day, return the next without blaming yourself.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I start praying regularly and then fall off after a week, every time",
                "id": "semangat ibadahku naik turun, kadang rajin kadang bolong salatnya",
                "ar": "أبدأ بالمحافظة على الصلاة ثم أنقطع بعد أيام",
            },
            "journeys": {
                "en": "help me keep up my prayers without quitting",
                "id": "program biar nggak malas salat dan ngaji",
                "ar": "برنامج للمداومة على الطاعات",
            },
        },
    },
    # --- 34 ------------------------------------------------------------------------------
    {
        "topic": "fear of death",
        "knowledge": [
            {
                "id": "kr_death_3_185",
                "category": "VERSE",
                "source": "QS. Ali 'Imran 3:185",
                "title": {
                    "id": "Setiap yang bernyawa akan merasakan mati",
                    "en": "Every soul shall taste death",
                },
                "content": {
                    "id": "Setiap yang bernyawa akan merasakan mati. Dan hanya pada hari kiamat sajalah diberikan dengan sempurna balasanmu. Kehidupan dunia hanyalah kesenangan yang memperdaya.",
                    "en": "Every soul will taste death, and you will only be given your full reward on the Day of Resurrection. The life of this world is only the enjoyment of delusion.",
                },
                "content_ar": "كُلُّ نَفْسٍ ذَائِقَةُ الْمَوْتِ ۗ وَإِنَّمَا تُوَفَّوْنَ أُجُورَكُمْ يَوْمَ الْقِيَامَةِ",
                "tags": ["death", "akhirah"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_death_healthy_remembrance",
                "category": "STRATEGY",
                "source": "Pendampingan spiritual",
                "title": {
                    "id": "Mengingat mati tanpa dilumpuhkan rasa takut",
                    "en": "Remembering death without being paralysed by fear",
                },
                "content": {
                    "id": "Mengingat mati dimaksudkan untuk menghidupkan amal, bukan melumpuhkan. Saat rasa takut datang, ubah menjadi satu amal hari ini: menyambung silaturahmi, melunasi hak orang, atau bersedekah. Serangan takut mati yang terus-menerus perlu dibicarakan dengan konselor.",
                    "en": "Remembering death is meant to bring deeds to life, not to freeze you. When the dread comes, turn it into one deed today: mend a tie, settle what you owe someone, or give charity. Constant attacks of dread about dying deserve a talk with a counsellor.",
                },
                "tags": ["death", "fear"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_death",
                "goal_keyword": "fear of death",
                "tags": ["death", "akhirah"],
                "match_count": 34,
                "full_json": {
                    "goal": {"id": "Berdamai dengan kematian", "en": "Make peace with mortality"},
                    "introduction": {
                        "id": "Tujuh hari mengubah rasa takut akan akhir hidup menjadi bekal.",
                        "en": "Seven days of turning dread of the end into provision for the journey.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Kepastian yang sama bagi semua",
                                "en": "The certainty we all share",
                            },
                            "description": {
                                "id": "Renungkan QS. Ali 'Imran 3:185.",
                                "en": "Reflect on QS. Ali 'Imran 3:185.",
                            },
                            "knowledge_reference_ids": ["kr_death_3_185"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Takut menjadi amal", "en": "Dread into deeds"},
                            "description": {
                                "id": "Ubah rasa takut hari ini menjadi satu amal.",
                                "en": "Turn today's dread into one deed.",
                            },
                            "knowledge_reference_ids": ["kr_death_healthy_remembrance"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Wasiat", "en": "A will"},
                            "description": {
                                "id": "Tulis wasiat sederhana dan titipkan pada keluarga.",
                                "en": "Write a simple will and leave it with family.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I'm scared of dying and think about it every night",
                "id": "aku takut meninggal dan kepikiran kubur terus",
                "ar": "أخاف من الموت كثيرا ولا يفارقني هذا الخوف",
            },
            "journeys": {
                "en": "program for someone anxious about the end of life",
                "id": "program mengatasi rasa takut sama kematian",
                "ar": "برنامج للتغلب على رهبة الموت",
            },
        },
    },
    # --- 35 ------------------------------------------------------------------------------
    {
        "topic": "body image",
        "knowledge": [
            {
                "id": "kr_body_2564",
                "category": "HADITH",
                "source": "HR. Muslim no. 2564",
                "title": {
                    "id": "Allah tidak melihat rupa, tetapi hati",
                    "en": "Allah looks not at your forms but at your hearts",
                },
                "content": {
                    "id": "Sesungguhnya Allah tidak melihat kepada rupa dan harta kalian, tetapi Dia melihat kepada hati dan amal kalian.",
                    "en": "Allah does not look at your appearance or your wealth, but He looks at your hearts and your deeds.",
                },
                "content_ar": "إِنَّ اللَّهَ لَا يَنْظُرُ إِلَى صُوَرِكُمْ وَأَمْوَالِكُمْ، وَلَكِنْ يَنْظُرُ إِلَى قُلُوبِكُمْ وَأَعْمَالِكُمْ",
                "tags": ["body image", "appearance"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_body_mirror",
                "category": "STRATEGY",
                "source": "Konseling citra tubuh",
                "title": {"id": "Berdamai dengan cermin", "en": "Making peace with the mirror"},
                "content": {
                    "id": "Batasi memeriksa cermin dan menimbang badan, berhenti mengikuti akun yang membuatmu malu pada tubuhmu, dan syukuri tubuh atas apa yang bisa dilakukannya: berjalan, sujud, memeluk orang tercinta.",
                    "en": "Limit mirror checking and weighing, unfollow accounts that make you ashamed of your body, and thank your body for what it can do: walk, prostrate, hold the people you love.",
                },
                "tags": ["body image", "self-acceptance"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_body",
                "goal_keyword": "body image",
                "tags": ["body image", "self-acceptance"],
                "match_count": 66,
                "full_json": {
                    "goal": {
                        "id": "Menerima tubuh sebagai amanah",
                        "en": "Accept your body as a trust",
                    },
                    "introduction": {
                        "id": "Sepuluh hari berhenti membenci pantulan di cermin.",
                        "en": "Ten days to stop hating the reflection in the mirror.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Yang Allah lihat", "en": "What Allah looks at"},
                            "description": {
                                "id": "Renungkan hadits tentang hati dan amal.",
                                "en": "Reflect on the hadith about hearts and deeds.",
                            },
                            "knowledge_reference_ids": ["kr_body_2564"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Kurangi cermin", "en": "Less mirror"},
                            "description": {
                                "id": "Catat berapa kali kamu memeriksa penampilan dan kurangi separuhnya.",
                                "en": "Count how often you check your looks and halve it.",
                            },
                            "knowledge_reference_ids": ["kr_body_mirror"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Syukur atas fungsi", "en": "Thanks for what it does"},
                            "description": {
                                "id": "Tulis lima hal yang bisa dilakukan tubuhmu.",
                                "en": "Write five things your body can do.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I hate how I look and feel ugly compared to other girls",
                "id": "aku minder sama bentuk badanku, merasa jelek dan gendut",
                "ar": "أكره شكلي وأشعر أنني قبيحة",
            },
            "journeys": {
                "en": "program to feel okay about my weight and appearance",
                "id": "program supaya nggak insecure sama fisik",
                "ar": "برنامج لتقبل شكلي وجسمي",
            },
        },
    },
    # --- 36 ------------------------------------------------------------------------------
    {
        "topic": "public speaking",
        "knowledge": [
            {
                "id": "kr_speaking_20_25",
                "category": "DUA",
                "source": "QS. Taha 20:25-28",
                "title": {
                    "id": "Doa Nabi Musa agar dilapangkan dada dan dimudahkan lisan",
                    "en": "Musa's dua for an open chest and an untied tongue",
                },
                "content": {
                    "id": "Ya Tuhanku, lapangkanlah dadaku, mudahkanlah urusanku, dan lepaskanlah kekakuan dari lidahku, agar mereka mengerti perkataanku.",
                    "en": "My Lord, expand my chest for me, ease my task for me, and untie the knot from my tongue, that they may understand my speech.",
                },
                "content_ar": "رَبِّ اشْرَحْ لِي صَدْرِي ۝ وَيَسِّرْ لِي أَمْرِي ۝ وَاحْلُلْ عُقْدَةً مِّن لِّسَانِي ۝ يَفْقَهُوا قَوْلِي",
                "tags": ["speaking", "confidence", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_speaking_rehearsal",
                "category": "STRATEGY",
                "source": "Pelatihan komunikasi",
                "title": {
                    "id": "Latihan bertahap untuk tampil di depan orang",
                    "en": "Graded practice for speaking in front of people",
                },
                "content": {
                    "id": "Latih presentasi di depan cermin, lalu di depan satu teman, lalu tiga orang. Kenali bahwa gemetar dan suara bergetar tidak terlihat sebesar yang kamu rasakan. Tarik napas panjang sebelum kalimat pertama.",
                    "en": "Rehearse the talk in front of a mirror, then one friend, then three people. Know that shaking hands and a trembling voice are far less visible than they feel. Take a long breath before the first sentence.",
                },
                "tags": ["speaking", "social anxiety"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_speaking",
                "goal_keyword": "public speaking",
                "tags": ["speaking", "confidence"],
                "match_count": 81,
                "full_json": {
                    "goal": {
                        "id": "Berani berbicara di depan umum",
                        "en": "Speak up in front of others with courage",
                    },
                    "introduction": {
                        "id": "Tujuh hari latihan bertahap, dari cermin sampai ruang rapat.",
                        "en": "Seven days of graded practice, from the mirror to the meeting room.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Doa Nabi Musa", "en": "Musa's dua"},
                            "description": {
                                "id": "Hafalkan doa melapangkan dada.",
                                "en": "Memorise the dua for an open chest.",
                            },
                            "knowledge_reference_ids": ["kr_speaking_20_25"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Di depan cermin", "en": "At the mirror"},
                            "description": {
                                "id": "Sampaikan dua menit tentang topik apa saja.",
                                "en": "Speak for two minutes on any topic.",
                            },
                            "knowledge_reference_ids": ["kr_speaking_rehearsal"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Satu pendengar", "en": "One listener"},
                            "description": {
                                "id": "Ulangi di depan satu teman dan minta masukan.",
                                "en": "Repeat it for one friend and ask for feedback.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my hands shake and my voice cracks when I have to present in class",
                "id": "aku grogi parah kalau harus presentasi atau ngomong di depan banyak orang",
                "ar": "أرتبك وأتلعثم عندما أتكلم أمام الناس",
            },
            "journeys": {
                "en": "practice plan to overcome stage fright",
                "id": "latihan supaya pede waktu presentasi di kantor",
                "ar": "برنامج للتغلب على رهبة الإلقاء",
            },
        },
    },
    # --- 37 ------------------------------------------------------------------------------
    {
        "topic": "bad company",
        "knowledge": [
            {
                "id": "kr_company_2101",
                "category": "HADITH",
                "source": "HR. Bukhari no. 2101",
                "title": {
                    "id": "Perumpamaan teman yang baik dan teman yang buruk",
                    "en": "The parable of the good and the bad companion",
                },
                "content": {
                    "id": "Perumpamaan teman yang baik dan teman yang buruk seperti penjual minyak wangi dan pandai besi. Dari penjual minyak wangi kamu mendapat wanginya; dari pandai besi bajumu terbakar atau kamu mencium bau tidak sedap.",
                    "en": "The good companion and the bad one are like the seller of musk and the blacksmith. From the musk seller you get a pleasant scent; from the blacksmith your clothes get burnt or you catch a foul smell.",
                },
                "content_ar": "مَثَلُ الْجَلِيسِ الصَّالِحِ وَالسَّوْءِ كَحَامِلِ الْمِسْكِ وَنَافِخِ الْكِيرِ",
                "tags": ["friendship", "companionship"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_company_boundaries",
                "category": "STRATEGY",
                "source": "Konseling remaja",
                "title": {
                    "id": "Menolak ajakan tanpa kehilangan muka",
                    "en": "Saying no without losing face",
                },
                "content": {
                    "id": "Siapkan kalimat penolakan yang singkat, kurangi waktu dengan kelompok yang menarikmu ke hal buruk, dan cari satu lingkungan baru yang mendukung: komunitas olahraga, kajian, atau relawan.",
                    "en": "Prepare a short way to decline, spend less time with the group that pulls you towards harm, and find one new supportive circle: a sports club, a study circle or volunteering.",
                },
                "tags": ["friendship", "peer pressure", "boundaries"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_company",
                "goal_keyword": "peer pressure",
                "tags": ["friendship", "peer pressure"],
                "match_count": 44,
                "full_json": {
                    "goal": {
                        "id": "Memilih lingkungan pertemanan yang menguatkan",
                        "en": "Choose friends who lift you up",
                    },
                    "introduction": {
                        "id": "Sepuluh hari untuk menata ulang pergaulan tanpa memutus silaturahmi.",
                        "en": "Ten days to rearrange your social circle without cutting ties.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Minyak wangi atau pandai besi",
                                "en": "Musk or the forge",
                            },
                            "description": {
                                "id": "Petakan teman-temanmu dengan perumpamaan ini.",
                                "en": "Map your friends with this parable.",
                            },
                            "knowledge_reference_ids": ["kr_company_2101"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Kalimat penolakan", "en": "A way to decline"},
                            "description": {
                                "id": "Siapkan dan latih satu kalimat untuk menolak.",
                                "en": "Prepare and rehearse one sentence to say no.",
                            },
                            "knowledge_reference_ids": ["kr_company_boundaries"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Lingkungan baru", "en": "A new circle"},
                            "description": {
                                "id": "Datangi satu komunitas yang baik minggu ini.",
                                "en": "Visit one good community this week.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my friends keep dragging me into smoking and partying",
                "id": "tongkronganku ngajak ke hal-hal nggak bener, susah nolaknya",
                "ar": "أصحابي يجرونني إلى المعاصي ولا أعرف كيف أبتعد عنهم",
            },
            "journeys": {
                "en": "program to get away from a toxic crowd",
                "id": "program hijrah dari circle yang toxic",
                "ar": "برنامج لاختيار الرفقة الصالحة",
            },
        },
    },
    # --- 38 ------------------------------------------------------------------------------
    {
        "topic": "unanswered prayers",
        "knowledge": [
            {
                "id": "kr_prayers_6340",
                "category": "HADITH",
                "source": "HR. Bukhari no. 6340",
                "title": {
                    "id": "Doa dikabulkan selama tidak tergesa-gesa",
                    "en": "Prayers are answered as long as one is not hasty",
                },
                "content": {
                    "id": "Doa salah seorang dari kalian akan dikabulkan selama ia tidak tergesa-gesa, yaitu dengan berkata: aku sudah berdoa tetapi belum juga dikabulkan.",
                    "en": "The supplication of any of you is answered as long as he is not impatient and says: I prayed, but I have not been answered.",
                },
                "content_ar": "يُسْتَجَابُ لِأَحَدِكُمْ مَا لَمْ يَعْجَلْ، يَقُولُ: دَعَوْتُ فَلَمْ يُسْتَجَبْ لِي",
                "tags": ["dua", "patience", "hope"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_prayers_three_ways",
                "category": "STRATEGY",
                "source": "Kajian adab berdoa",
                "title": {"id": "Tiga cara doa dijawab", "en": "Three ways a prayer is answered"},
                "content": {
                    "id": "Doa bisa dikabulkan segera, disimpan sebagai kebaikan di akhirat, atau menjadi penolak keburukan yang setara. Catat doamu dan tanggalnya; banyak yang baru terlihat jawabannya bertahun-tahun kemudian.",
                    "en": "A supplication may be granted at once, stored as good for the hereafter, or turn away an equal harm. Keep a dated list of your duas; many answers only become visible years later.",
                },
                "tags": ["dua", "hope"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_prayers",
                "goal_keyword": "doa",
                "tags": ["dua", "hope"],
                "match_count": 138,
                "full_json": {
                    "goal": {
                        "id": "Tetap berdoa saat jawabannya belum terlihat",
                        "en": "Keep making dua when no answer is in sight",
                    },
                    "introduction": {
                        "id": "Dua puluh satu hari memperbaiki adab berdoa dan berprasangka baik kepada Allah.",
                        "en": "Twenty-one days to refine the manners of supplication and think well of Allah.",
                    },
                    "duration_days": 21,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Jangan tergesa-gesa", "en": "Do not be hasty"},
                            "description": {
                                "id": "Renungkan hadits tentang doa yang dikabulkan.",
                                "en": "Reflect on the hadith about answered supplication.",
                            },
                            "knowledge_reference_ids": ["kr_prayers_6340"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Jurnal doa", "en": "A dua journal"},
                            "description": {
                                "id": "Tulis doamu beserta tanggalnya.",
                                "en": "Write your duas down with the date.",
                            },
                            "knowledge_reference_ids": ["kr_prayers_three_ways"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Waktu mustajab", "en": "Times of acceptance"},
                            "description": {
                                "id": "Berdoalah di sepertiga malam terakhir.",
                                "en": "Pray in the last third of the night.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I've asked God for the same thing for years and nothing happens",
                "id": "kenapa permintaanku ke Allah nggak pernah terwujud padahal udah lama?",
                "ar": "أدعو الله منذ سنوات ولم تتحقق أمنيتي",
            },
            "journeys": {
                "en": "program for when I feel God isn't listening to me",
                "id": "program supaya nggak putus asa waktu permohonanku belum dijawab",
                "ar": "برنامج لمن يشعر أن دعاءه لا يستجاب",
            },
        },
    },
    # --- 39 ------------------------------------------------------------------------------
    {
        "topic": "work stress",
        "knowledge": [
            {
                "id": "kr_work_dua_ease",
                "category": "DUA",
                "source": "HR. Ibnu Hibban no. 974",
                "title": {
                    "id": "Doa agar urusan yang sulit dimudahkan",
                    "en": "Dua for making difficult matters easy",
                },
                "content": {
                    "id": "Ya Allah, tidak ada kemudahan kecuali apa yang Engkau jadikan mudah, dan Engkau menjadikan kesedihan (kesulitan) itu mudah jika Engkau menghendakinya.",
                    "en": "O Allah, nothing is easy except what You make easy, and You make the difficult easy if You will.",
                },
                "content_ar": "اللَّهُمَّ لَا سَهْلَ إِلَّا مَا جَعَلْتَهُ سَهْلًا، وَأَنْتَ تَجْعَلُ الْحَزْنَ إِذَا شِئْتَ سَهْلًا",
                "tags": ["work", "ease", "dua"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_work_boss",
                "category": "STRATEGY",
                "source": "Psikologi industri",
                "title": {
                    "id": "Menghadapi atasan yang sulit",
                    "en": "Dealing with a difficult manager",
                },
                "content": {
                    "id": "Catat permintaan atasan secara tertulis, tanyakan prioritas saat tugas bertumpuk, dan tanggapi kritik dengan pertanyaan, bukan pembelaan. Jaga adab tanpa membiarkan diri diperlakukan tidak adil; bila perlu, libatkan HR.",
                    "en": "Confirm your manager's requests in writing, ask for priorities when tasks pile up, and answer criticism with questions rather than defence. Keep your manners without accepting unfair treatment; involve HR if needed.",
                },
                "tags": ["work", "conflict", "manager"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_work",
                "goal_keyword": "work stress",
                "tags": ["work", "stress"],
                "match_count": 190,
                "full_json": {
                    "goal": {
                        "id": "Tetap tenang di tempat kerja yang menekan",
                        "en": "Stay calm in a high-pressure workplace",
                    },
                    "introduction": {
                        "id": "Sepuluh hari untuk karyawan yang tertekan: prioritas, komunikasi dengan atasan, dan doa kemudahan.",
                        "en": "Ten days for pressured employees: priorities, talking to the boss, and a dua for ease.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Doa kemudahan", "en": "A dua for ease"},
                            "description": {
                                "id": "Bacalah sebelum membuka email pagi.",
                                "en": "Say it before opening your morning email.",
                            },
                            "knowledge_reference_ids": ["kr_work_dua_ease"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Tanyakan prioritas", "en": "Ask for priorities"},
                            "description": {
                                "id": "Saat tugas bertumpuk, minta atasan mengurutkannya.",
                                "en": "When tasks pile up, ask your manager to rank them.",
                            },
                            "knowledge_reference_ids": ["kr_work_boss"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Jeda di waktu salat", "en": "A pause at prayer times"},
                            "description": {
                                "id": "Jadikan setiap salat sebagai istirahat dari layar.",
                                "en": "Make each prayer a break from the screen.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my supervisor criticises me in every meeting and the office feels unbearable",
                "id": "bosku galak dan kerjaan numpuk, tiap Senin rasanya pengen resign",
                "ar": "مديري في العمل يضغط علي كثيرا وأشعر بالاختناق في المكتب",
            },
            "journeys": {
                "en": "a program for surviving a toxic job",
                "id": "program mengelola tekanan di kantor",
                "ar": "برنامج للتعامل مع ضغوط الوظيفة",
            },
        },
    },
    # --- 40 ------------------------------------------------------------------------------
    {
        "topic": "homesickness",
        "knowledge": [
            {
                "id": "kr_homesick_6416",
                "category": "HADITH",
                "source": "HR. Bukhari no. 6416",
                "title": {
                    "id": "Jadilah di dunia seperti orang asing",
                    "en": "Be in this world like a stranger",
                },
                "content": {
                    "id": "Nabi memegang pundak Ibnu Umar dan bersabda: jadilah engkau di dunia seakan-akan orang asing atau seorang pengembara.",
                    "en": "The Prophet took Ibn Umar by the shoulder and said: be in this world as if you were a stranger or a traveller passing through.",
                },
                "content_ar": "كُنْ فِي الدُّنْيَا كَأَنَّكَ غَرِيبٌ أَوْ عَابِرُ سَبِيلٍ",
                "tags": ["travel", "homesickness", "dunya"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_homesick_rantau",
                "category": "STRATEGY",
                "source": "Pendampingan mahasiswa rantau",
                "title": {"id": "Bertahan di perantauan", "en": "Getting by far from home"},
                "content": {
                    "id": "Jadwalkan panggilan video dengan keluarga, masak satu masakan dari kampung halaman setiap minggu, dan temukan masjid atau komunitas sedaerah di kota barumu. Rindu rumah biasanya paling berat di bulan-bulan pertama.",
                    "en": "Schedule video calls with family, cook one dish from your hometown every week, and find a mosque or community from your region in the new city. Missing home is usually hardest in the first months.",
                },
                "tags": ["homesickness", "students", "migration"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_homesick",
                "goal_keyword": "merantau",
                "tags": ["homesickness", "students"],
                "match_count": 73,
                "full_json": {
                    "goal": {"id": "Betah di tanah rantau", "en": "Settle in far from home"},
                    "introduction": {
                        "id": "Dua minggu pertama di kota baru: menjaga hubungan dengan rumah sambil membangun rumah kedua.",
                        "en": "Your first two weeks in a new city: keeping ties with home while building a second one.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Orang asing di dunia",
                                "en": "A stranger in this world",
                            },
                            "description": {
                                "id": "Renungkan hadits tentang pengembara.",
                                "en": "Reflect on the hadith of the traveller.",
                            },
                            "knowledge_reference_ids": ["kr_homesick_6416"],
                        },
                        {
                            "day": 2,
                            "title": {
                                "id": "Jadwal menelepon rumah",
                                "en": "Calls home on a schedule",
                            },
                            "description": {
                                "id": "Tetapkan dua waktu panggilan video seminggu.",
                                "en": "Fix two video calls a week.",
                            },
                            "knowledge_reference_ids": ["kr_homesick_rantau"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Komunitas sedaerah", "en": "People from home"},
                            "description": {
                                "id": "Cari perkumpulan orang sekampung di kota ini.",
                                "en": "Find a group of people from your region in this city.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I moved abroad for university and I miss my family terribly",
                "id": "baru pertama kali ngekos jauh dari orang tua, kangen rumah banget",
                "ar": "أدرس في بلد بعيد وأشتاق إلى أهلي ووطني",
            },
            "journeys": {
                "en": "support for adjusting to life overseas while at university",
                "id": "program buat mahasiswa baru yang jauh dari kampung",
                "ar": "برنامج للطالب المغترب عن بلده",
            },
        },
    },
    # --- 41 ------------------------------------------------------------------------------
    {
        "topic": "guarding the gaze",
        "knowledge": [
            {
                "id": "kr_gaze_24_30",
                "category": "VERSE",
                "source": "QS. An-Nur 24:30",
                "title": {
                    "id": "Perintah menundukkan pandangan",
                    "en": "The command to lower the gaze",
                },
                "content": {
                    "id": "Katakanlah kepada laki-laki yang beriman, agar mereka menjaga pandangannya dan memelihara kemaluannya; yang demikian itu lebih suci bagi mereka. Sungguh, Allah Maha Mengetahui apa yang mereka perbuat.",
                    "en": "Tell the believing men to lower their gaze and guard their chastity; that is purer for them. Indeed, Allah is Aware of what they do.",
                },
                "content_ar": "قُل لِّلْمُؤْمِنِينَ يَغُضُّوا مِنْ أَبْصَارِهِمْ وَيَحْفَظُوا فُرُوجَهُمْ ۚ ذَٰلِكَ أَزْكَىٰ لَهُمْ ۗ إِنَّ اللَّهَ خَبِيرٌ بِمَا يَصْنَعُونَ",
                "tags": ["chastity", "gaze", "lust"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_gaze_filters",
                "category": "STRATEGY",
                "source": "Pemulihan kecanduan",
                "title": {
                    "id": "Memutus kebiasaan konten dewasa",
                    "en": "Breaking the habit of explicit content",
                },
                "content": {
                    "id": "Pasang filter di semua perangkat, jangan membawa ponsel ke kamar saat sendirian larut malam, dan kenali pemicunya: bosan, lelah, kesepian. Bila tergelincir, bertaubat lalu lanjutkan; satu kekalahan tidak menghapus perjuangan.",
                    "en": "Install filters on every device, keep the phone out of the bedroom late at night, and learn the triggers: boredom, tiredness, loneliness. If you slip, repent and carry on; one fall does not erase the struggle.",
                },
                "tags": ["addiction", "lust", "purity"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_gaze",
                "goal_keyword": "menjaga pandangan",
                "tags": ["purity", "addiction"],
                "match_count": 162,
                "full_json": {
                    "goal": {
                        "id": "Bebas dari kecanduan pornografi",
                        "en": "Break free from pornography addiction",
                    },
                    "introduction": {
                        "id": "Sembilan puluh hari menjaga mata dan hati, dengan langkah nyata dan taubat yang diperbarui.",
                        "en": "Ninety days of guarding eyes and heart, with practical steps and renewed repentance.",
                    },
                    "duration_days": 90,
                    "steps": [
                        {
                            "day": 1,
                            "title": {"id": "Perintah Allah", "en": "Allah's command"},
                            "description": {
                                "id": "Renungkan QS. An-Nur 24:30.",
                                "en": "Reflect on QS. An-Nur 24:30.",
                            },
                            "knowledge_reference_ids": ["kr_gaze_24_30"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Pasang filter", "en": "Install filters"},
                            "description": {
                                "id": "Lindungi setiap perangkat hari ini.",
                                "en": "Protect every device today.",
                            },
                            "knowledge_reference_ids": ["kr_gaze_filters"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Kenali pemicu", "en": "Know your triggers"},
                            "description": {
                                "id": "Catat kapan dorongan itu paling kuat.",
                                "en": "Note when the urge is strongest.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I keep watching things I shouldn't online late at night and feel dirty after",
                "id": "aku susah berhenti nonton video nggak senonoh, gimana caranya?",
                "ar": "أعاني من مشاهدة الأفلام الإباحية ولا أستطيع التوقف",
            },
            "journeys": {
                "en": "a long-term program to quit porn",
                "id": "program lepas dari kebiasaan nonton bokep",
                "ar": "برنامج للتعافي من إدمان المواد الإباحية",
            },
        },
    },
    # --- 42 ------------------------------------------------------------------------------
    {
        "topic": "gossip",
        "knowledge": [
            {
                "id": "kr_gossip_49_12",
                "category": "VERSE",
                "source": "QS. Al-Hujurat 49:12",
                "title": {
                    "id": "Jauhi prasangka dan jangan menggunjing",
                    "en": "Avoid suspicion and do not backbite",
                },
                "content": {
                    "id": "Wahai orang-orang yang beriman, jauhilah banyak prasangka, sesungguhnya sebagian prasangka itu dosa. Janganlah mencari-cari kesalahan orang lain dan janganlah sebagian kamu menggunjing sebagian yang lain.",
                    "en": "O you who believe, avoid much suspicion; indeed some suspicion is sin. Do not spy, and do not backbite one another.",
                },
                "content_ar": "يَا أَيُّهَا الَّذِينَ آمَنُوا اجْتَنِبُوا كَثِيرًا مِّنَ الظَّنِّ إِنَّ بَعْضَ الظَّنِّ إِثْمٌ ۖ وَلَا تَجَسَّسُوا وَلَا يَغْتَب بَّعْضُكُم بَعْضًا",
                "tags": ["ghibah", "speech"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_gossip_leave_group",
                "category": "STRATEGY",
                "source": "Adab berbicara",
                "title": {
                    "id": "Keluar dari obrolan ghibah",
                    "en": "Stepping out of a backbiting conversation",
                },
                "content": {
                    "id": "Saat obrolan mulai membicarakan aib orang, alihkan topik, sebut satu kebaikan orang itu, atau pamit dengan sopan. Bisukan grup chat yang isinya kebanyakan gunjingan.",
                    "en": "When talk turns to someone's faults, change the subject, mention one good thing about them, or excuse yourself politely. Mute chat groups that are mostly about other people's business.",
                },
                "tags": ["ghibah", "speech", "habits"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_gossip",
                "goal_keyword": "ghibah",
                "tags": ["ghibah", "speech"],
                "match_count": 52,
                "full_json": {
                    "goal": {
                        "id": "Menjaga lisan dari ghibah",
                        "en": "Guard your tongue from backbiting",
                    },
                    "introduction": {
                        "id": "Empat belas hari melatih lisan agar hanya berkata baik atau diam.",
                        "en": "Fourteen days of training the tongue to speak good or stay silent.",
                    },
                    "duration_days": 14,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Larangan menggunjing",
                                "en": "The prohibition of backbiting",
                            },
                            "description": {
                                "id": "Renungkan QS. Al-Hujurat 49:12.",
                                "en": "Reflect on QS. Al-Hujurat 49:12.",
                            },
                            "knowledge_reference_ids": ["kr_gossip_49_12"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Alihkan obrolan", "en": "Turn the conversation"},
                            "description": {
                                "id": "Siapkan satu kalimat untuk mengalihkan topik.",
                                "en": "Prepare one line to change the topic.",
                            },
                            "knowledge_reference_ids": ["kr_gossip_leave_group"],
                        },
                        {
                            "day": 3,
                            "title": {
                                "id": "Berkata baik atau diam",
                                "en": "Speak good or be silent",
                            },
                            "description": {
                                "id": "Sehari penuh tanpa membicarakan orang yang tidak hadir.",
                                "en": "A whole day without talking about anyone who is absent.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "my coworkers always talk behind people's backs and I join in",
                "id": "aku sering ikut ngomongin jelek orang lain di grup WA",
                "ar": "أتكلم عن الناس في غيابهم وأريد أن أتوقف",
            },
            "journeys": {
                "en": "challenge to stop spreading rumours about others",
                "id": "program berhenti julid dan nyinyir",
                "ar": "برنامج لحفظ اللسان عن الكلام في الناس",
            },
        },
    },
    # --- 43 ------------------------------------------------------------------------------
    {
        "topic": "purpose",
        "knowledge": [
            {
                "id": "kr_purpose_51_56",
                "category": "VERSE",
                "source": "QS. Adz-Dzariyat 51:56",
                "title": {"id": "Tujuan penciptaan manusia", "en": "Why humans were created"},
                "content": {
                    "id": "Dan Aku tidak menciptakan jin dan manusia melainkan agar mereka beribadah kepada-Ku.",
                    "en": "And I did not create the jinn and mankind except to worship Me.",
                },
                "content_ar": "وَمَا خَلَقْتُ الْجِنَّ وَالْإِنسَ إِلَّا لِيَعْبُدُونِ",
                "tags": ["purpose", "meaning"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_purpose_values",
                "category": "STRATEGY",
                "source": "Terapi penerimaan dan komitmen",
                "title": {"id": "Menemukan nilai hidup", "en": "Finding your values"},
                "content": {
                    "id": "Bayangkan apa yang ingin orang kenang tentangmu. Dari situ pilih tiga nilai (misalnya ilmu, keluarga, menolong), dan untuk masing-masing satu tindakan minggu ini. Makna tumbuh dari tindakan kecil yang selaras dengan nilai, bukan dari menunggu pencerahan.",
                    "en": "Imagine what you would like people to remember about you. From that choose three values (say knowledge, family, helping) and one action for each this week. Meaning grows from small acts in line with values, not from waiting for enlightenment.",
                },
                "tags": ["purpose", "values"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_purpose",
                "goal_keyword": "purpose",
                "tags": ["purpose", "meaning"],
                "match_count": 99,
                "full_json": {
                    "goal": {
                        "id": "Menemukan makna dan arah hidup",
                        "en": "Find meaning and direction in life",
                    },
                    "introduction": {
                        "id": "Tujuh hari bertanya untuk apa aku ada, dan menjawabnya dengan tindakan.",
                        "en": "Seven days of asking what you are here for, and answering with action.",
                    },
                    "duration_days": 7,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Untuk apa diciptakan",
                                "en": "What we were created for",
                            },
                            "description": {
                                "id": "Renungkan QS. Adz-Dzariyat 51:56.",
                                "en": "Reflect on QS. Adz-Dzariyat 51:56.",
                            },
                            "knowledge_reference_ids": ["kr_purpose_51_56"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Tiga nilai", "en": "Three values"},
                            "description": {
                                "id": "Pilih tiga nilai dan satu tindakan untuk masing-masing.",
                                "en": "Choose three values and one action for each.",
                            },
                            "knowledge_reference_ids": ["kr_purpose_values"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Warisan", "en": "Legacy"},
                            "description": {
                                "id": "Tulis satu paragraf tentang bagaimana kamu ingin dikenang.",
                                "en": "Write a paragraph on how you want to be remembered.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "what's the point of my life, I wake up every day feeling empty",
                "id": "aku merasa hidupku hampa dan nggak tahu buat apa sebenarnya aku ada",
                "ar": "ما الهدف من حياتي؟ أشعر بالفراغ واللاجدوى",
            },
            "journeys": {
                "en": "program to discover why I'm here and where I'm heading",
                "id": "program mencari arti hidup buat yang lagi kehilangan arah",
                "ar": "برنامج لاكتشاف معنى حياتي",
            },
        },
    },
    # --- 44 ------------------------------------------------------------------------------
    {
        "topic": "perfectionism",
        "knowledge": [
            {
                "id": "kr_perfection_39",
                "category": "HADITH",
                "source": "HR. Bukhari no. 39",
                "title": {"id": "Agama itu mudah", "en": "The religion is ease"},
                "content": {
                    "id": "Sesungguhnya agama itu mudah. Tidaklah seseorang memberat-beratkan agama melainkan ia akan dikalahkan. Maka berlaku luruslah, mendekatlah (kepada kesempurnaan), dan bergembiralah.",
                    "en": "The religion is easy, and no one overburdens himself in religion except that it overwhelms him. So be upright, come as close as you can, and receive glad tidings.",
                },
                "content_ar": "إِنَّ الدِّينَ يُسْرٌ، وَلَنْ يُشَادَّ الدِّينَ أَحَدٌ إِلَّا غَلَبَهُ، فَسَدِّدُوا وَقَارِبُوا وَأَبْشِرُوا",
                "tags": ["ease", "balance", "perfectionism"],
                "languages": ["id", "en", "ar"],
                "status": "VERIFIED",
            },
            {
                "id": "kr_perfection_good_enough",
                "category": "STRATEGY",
                "source": "CBT untuk perfeksionisme",
                "title": {"id": "Cukup baik itu cukup", "en": "Good enough is enough"},
                "content": {
                    "id": "Tetapkan standar 'cukup baik' sebelum mulai, batasi waktu untuk merevisi, dan kirim tugas saat batas itu tercapai. Catat apa yang benar-benar terjadi ketika ada yang kurang sempurna: biasanya jauh lebih ringan dari yang ditakutkan.",
                    "en": "Set a 'good enough' standard before you start, cap the time for revisions, and hand the work in when the cap is reached. Note what actually happens when something is imperfect: usually far milder than feared.",
                },
                "tags": ["perfectionism", "cbt"],
                "languages": ["id", "en"],
                "status": "VERIFIED",
            },
        ],
        "journeys": [
            {
                "id": "tpl_perfection",
                "goal_keyword": "perfectionism",
                "tags": ["perfectionism", "balance"],
                "match_count": 61,
                "full_json": {
                    "goal": {
                        "id": "Melepaskan tuntutan untuk selalu sempurna",
                        "en": "Let go of having to be flawless",
                    },
                    "introduction": {
                        "id": "Sepuluh hari berlatih cukup baik, dalam kerja maupun ibadah.",
                        "en": "Ten days of practising good enough, at work and in worship.",
                    },
                    "duration_days": 10,
                    "steps": [
                        {
                            "day": 1,
                            "title": {
                                "id": "Mendekat, bukan sempurna",
                                "en": "Come close, not perfect",
                            },
                            "description": {
                                "id": "Renungkan hadits bahwa agama itu mudah.",
                                "en": "Reflect on the hadith that the religion is ease.",
                            },
                            "knowledge_reference_ids": ["kr_perfection_39"],
                        },
                        {
                            "day": 2,
                            "title": {"id": "Batas revisi", "en": "A revision cap"},
                            "description": {
                                "id": "Tentukan batas waktu merevisi satu tugas.",
                                "en": "Set a time limit for revising one task.",
                            },
                            "knowledge_reference_ids": ["kr_perfection_good_enough"],
                        },
                        {
                            "day": 3,
                            "title": {"id": "Eksperimen kecil", "en": "A small experiment"},
                            "description": {
                                "id": "Kirim sesuatu yang 'cukup baik' dan catat akibatnya.",
                                "en": "Send something 'good enough' and note what follows.",
                            },
                        },
                    ],
                },
            }
        ],
        "queries": {
            "knowledge": {
                "en": "I redo my work again and again because any small flaw feels like failure",
                "id": "aku nggak bisa puas sama hasil kerjaku sendiri, selalu merasa kurang rapi",
                "ar": "لا أرضى عن عملي أبدا وأعيده مرات كثيرة خوفا من الخطأ",
            },
            "journeys": {
                "en": "a program for people who can't stand making mistakes",
                "id": "program untuk yang terlalu menuntut diri sendiri harus tanpa cela",
                "ar": "برنامج للتخلص من المثالية الزائدة",
            },
        },
    },
]

# Rows near a topic (shared words, a different need) that answer no query, and rows that must
# never be found: a REJECTED reference (not synced), an inactive and an ARCHIVED template
# (the journey search asks for active templates, as the API does by default).
DISTRACTORS: dict[str, list[dict[str, Any]]] = {
    "knowledge": [
        {
            "id": "kr_x_debt_contract_2_282",
            "category": "VERSE",
            "source": "QS. Al-Baqarah 2:282",
            "title": {
                "id": "Perintah mencatat utang piutang",
                "en": "Writing down a loan contract",
            },
            "content": {
                "id": "Wahai orang-orang yang beriman, apabila kamu bermuamalah tidak secara tunai untuk waktu yang ditentukan, hendaklah kamu menuliskannya, dan hadirkan dua orang saksi. Ayat terpanjang dalam Al-Qur'an ini mengatur akad pinjaman.",
                "en": "O you who believe, when you contract a debt for a fixed term, write it down, and bring two witnesses. The longest verse of the Qur'an sets out how a loan agreement is recorded.",
            },
            "content_ar": "يَا أَيُّهَا الَّذِينَ آمَنُوا إِذَا تَدَايَنتُم بِدَيْنٍ إِلَىٰ أَجَلٍ مُّسَمًّى فَاكْتُبُوهُ",
            "tags": ["muamalah", "contracts", "debt"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_fasting_sick_2_184",
            "category": "VERSE",
            "source": "QS. Al-Baqarah 2:184",
            "title": {
                "id": "Keringanan puasa bagi yang sakit dan musafir",
                "en": "Fasting exemption for the sick and travellers",
            },
            "content": {
                "id": "Barang siapa di antara kamu sakit atau dalam perjalanan, maka wajib mengganti puasa sebanyak hari yang ditinggalkan pada hari-hari yang lain. Ketentuan fikih tentang qadha dan fidyah.",
                "en": "Whoever among you is ill or on a journey, then an equal number of other days are to be made up. The ruling on making up missed fasts and paying fidyah.",
            },
            "content_ar": "فَمَن كَانَ مِنكُم مَّرِيضًا أَوْ عَلَىٰ سَفَرٍ فَعِدَّةٌ مِّنْ أَيَّامٍ أُخَرَ",
            "tags": ["fasting", "fiqh", "ramadan"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_breastfeeding_2_233",
            "category": "VERSE",
            "source": "QS. Al-Baqarah 2:233",
            "title": {"id": "Masa menyusui dua tahun penuh", "en": "Nursing for two full years"},
            "content": {
                "id": "Para ibu hendaklah menyusui anak-anaknya selama dua tahun penuh, bagi yang ingin menyempurnakan penyusuan. Kewajiban ayah menanggung nafkah dan pakaian mereka dengan cara yang patut.",
                "en": "Mothers may nurse their children two complete years for whoever wishes to complete the nursing. The father bears their provision and clothing according to what is acceptable.",
            },
            "content_ar": "وَالْوَالِدَاتُ يُرْضِعْنَ أَوْلَادَهُنَّ حَوْلَيْنِ كَامِلَيْنِ",
            "tags": ["breastfeeding", "fiqh", "family"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_inheritance_4_11",
            "category": "VERSE",
            "source": "QS. An-Nisa 4:11",
            "title": {
                "id": "Pembagian warisan untuk anak dan orang tua",
                "en": "Inheritance shares of children and parents",
            },
            "content": {
                "id": "Allah mensyariatkan bagimu tentang pembagian warisan untuk anak-anakmu: bagian seorang anak laki-laki sama dengan bagian dua anak perempuan; dan untuk kedua ibu bapak masing-masing seperenam.",
                "en": "Allah instructs you concerning your children: for the male, the share of two females; and for each of the parents, a sixth of the estate.",
            },
            "content_ar": "يُوصِيكُمُ اللَّهُ فِي أَوْلَادِكُمْ ۖ لِلذَّكَرِ مِثْلُ حَظِّ الْأُنثَيَيْنِ",
            "tags": ["inheritance", "fiqh", "parents"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_seeking_knowledge_2699",
            "category": "HADITH",
            "source": "HR. Muslim no. 2699",
            "title": {"id": "Keutamaan menuntut ilmu", "en": "The virtue of seeking knowledge"},
            "content": {
                "id": "Barang siapa menempuh jalan untuk mencari ilmu, Allah akan memudahkan baginya jalan menuju surga.",
                "en": "Whoever takes a path in search of knowledge, Allah makes easy for him a path to Paradise.",
            },
            "content_ar": "مَنْ سَلَكَ طَرِيقًا يَلْتَمِسُ فِيهِ عِلْمًا سَهَّلَ اللَّهُ لَهُ بِهِ طَرِيقًا إِلَى الْجَنَّةِ",
            "tags": ["knowledge", "study"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_visiting_sick_2568",
            "category": "HADITH",
            "source": "HR. Muslim no. 2568",
            "title": {
                "id": "Pahala menjenguk orang sakit",
                "en": "The reward of visiting the sick",
            },
            "content": {
                "id": "Orang yang menjenguk saudaranya yang sakit senantiasa berada di taman surga sampai ia pulang. Adab menjenguk: datang sebentar, mendoakan, dan tidak memberatkan keluarga pasien.",
                "en": "Whoever visits a sick brother remains in the harvest of Paradise until he returns. Etiquette of visiting: keep it short, pray for the patient, and do not burden the family.",
            },
            "content_ar": "عَائِدُ الْمَرِيضِ فِي مَخْرَفَةِ الْجَنَّةِ حَتَّى يَرْجِعَ",
            "tags": ["visiting", "adab", "sickness"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_qailulah",
            "category": "STRATEGY",
            "source": "Sunnah qailulah",
            "title": {
                "id": "Tidur siang sejenak (qailulah)",
                "en": "The short midday nap (qailulah)",
            },
            "content": {
                "id": "Tidur siang sekitar dua puluh menit sebelum atau sesudah Zuhur menyegarkan tubuh untuk ibadah malam dan pekerjaan sore. Jangan lebih dari setengah jam agar tidak pusing saat bangun.",
                "en": "A nap of about twenty minutes around the midday prayer refreshes the body for night worship and afternoon work. Keep it under half an hour to avoid waking groggy.",
            },
            "tags": ["nap", "sunnah", "energy"],
            "languages": ["id", "en"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_zakat_savings",
            "category": "STRATEGY",
            "source": "Panduan zakat mal",
            "title": {"id": "Menghitung zakat tabungan", "en": "Calculating zakat on savings"},
            "content": {
                "id": "Tabungan yang mencapai nisab setara 85 gram emas dan tersimpan satu tahun wajib dizakati 2,5 persen. Utang yang jatuh tempo boleh dikurangkan sebelum menghitung.",
                "en": "Savings that reach the nisab of 85 grams of gold and are held for a lunar year owe 2.5 percent zakat. Debts that are due may be deducted before calculating.",
            },
            "tags": ["zakat", "money", "fiqh"],
            "languages": ["id", "en"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_marriage_guardian",
            "category": "HADITH",
            "source": "HR. Abu Dawud no. 2085",
            "title": {"id": "Tidak sah nikah tanpa wali", "en": "No marriage without a guardian"},
            "content": {
                "id": "Tidak ada pernikahan kecuali dengan wali. Syarat sah akad nikah: wali, dua saksi, ijab kabul, dan mahar.",
                "en": "There is no marriage except with a guardian. Conditions of a valid marriage contract: a guardian, two witnesses, offer and acceptance, and a dowry.",
            },
            "content_ar": "لَا نِكَاحَ إِلَّا بِوَلِيٍّ",
            "tags": ["nikah", "fiqh", "marriage"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_anger_for_allah_6126",
            "category": "HADITH",
            "source": "HR. Bukhari no. 6126",
            "title": {
                "id": "Nabi tidak pernah membalas untuk dirinya sendiri",
                "en": "The Prophet never took revenge for himself",
            },
            "content": {
                "id": "Rasulullah tidak pernah membalas untuk kepentingan dirinya sendiri, kecuali bila larangan Allah dilanggar, maka beliau membalas karena Allah. Tentang kapan sikap tegas dibenarkan dalam syariat.",
                "en": "The Messenger of Allah never took revenge for his own sake, except when the sanctity of Allah was violated; then he acted for Allah. On when firmness is justified in the law.",
            },
            "content_ar": "وَمَا انْتَقَمَ رَسُولُ اللَّهِ صَلَّى اللَّهُ عَلَيْهِ وَسَلَّمَ لِنَفْسِهِ فِي شَيْءٍ قَطُّ، إِلَّا أَنْ تُنْتَهَكَ حُرْمَةُ اللَّهِ فَيَنْتَقِمَ بِهَا لِلَّهِ",
            "tags": ["sirah", "justice"],
            "languages": ["id", "en", "ar"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_shop_bookkeeping",
            "category": "STRATEGY",
            "source": "Pelatihan UMKM",
            "title": {
                "id": "Jadwal pembukuan untuk pemilik warung",
                "en": "A bookkeeping schedule for small shop owners",
            },
            "content": {
                "id": "Catat penjualan setiap tutup toko, pisahkan uang usaha dan uang pribadi, dan rekap stok setiap Jumat. Pembukuan sederhana yang rutin memudahkan mengajukan modal.",
                "en": "Record sales at every closing, keep business and personal money apart, and count stock every Friday. Simple, regular bookkeeping makes it easier to apply for capital.",
            },
            "tags": ["business", "finance"],
            "languages": ["id", "en"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_phone_in_mosque",
            "category": "STRATEGY",
            "source": "Adab masjid",
            "title": {
                "id": "Adab menggunakan ponsel di masjid",
                "en": "Phone etiquette in the mosque",
            },
            "content": {
                "id": "Matikan nada dering sebelum masuk masjid, jangan memotret jamaah yang sedang salat, dan gunakan aplikasi mushaf dengan layar redup saat tadarus.",
                "en": "Silence the ringtone before entering the mosque, do not photograph people praying, and use a Qur'an app with a dimmed screen during recitation.",
            },
            "tags": ["mosque", "adab", "phone"],
            "languages": ["id", "en"],
            "status": "VERIFIED",
        },
        {
            "id": "kr_x_rejected_grounding_copy",
            "category": "STRATEGY",
            "source": "duplicate entry",
            "title": {
                "id": "Duplikat teknik grounding",
                "en": "Duplicate of the grounding technique",
            },
            "content": {
                "id": "Ditolak peninjau karena duplikat: sebutkan lima hal yang kamu lihat untuk meredakan cemas.",
                "en": "Rejected by reviewers as a duplicate: name five things you see to ease anxiety.",
            },
            "tags": ["anxiety"],
            "languages": ["id", "en"],
            "status": "REJECTED",
        },
    ],
    "journeys": [
        {
            "id": "tpl_x_ramadan",
            "goal_keyword": "ramadan",
            "tags": ["ramadan", "fasting"],
            "match_count": 310,
            "full_json": {
                "goal": {"id": "Persiapan Ramadan 30 hari", "en": "Prepare for Ramadan in 30 days"},
                "introduction": {
                    "id": "Menata jadwal tidur, makan sahur dan target tilawah sebelum bulan puasa.",
                    "en": "Arrange sleep, suhoor and recitation goals before the month of fasting.",
                },
                "steps": [
                    {
                        "day": 1,
                        "title": {"id": "Target tilawah", "en": "Recitation goal"},
                        "description": {
                            "id": "Tentukan berapa juz per hari.",
                            "en": "Decide how many parts a day.",
                        },
                    },
                    {
                        "day": 2,
                        "title": {"id": "Puasa sunnah", "en": "Voluntary fasts"},
                        "description": {
                            "id": "Mulai puasa Senin Kamis.",
                            "en": "Begin Monday and Thursday fasts.",
                        },
                    },
                ],
            },
        },
        {
            "id": "tpl_x_tajwid",
            "goal_keyword": "tajwid",
            "tags": ["quran", "learning"],
            "match_count": 95,
            "full_json": {
                "goal": {"id": "Belajar tajwid dari nol", "en": "Learn tajwid from scratch"},
                "introduction": {
                    "id": "Empat puluh hari memperbaiki bacaan Al-Qur'an bersama guru.",
                    "en": "Forty days of improving your Qur'an recitation with a teacher.",
                },
                "steps": [
                    {
                        "day": 1,
                        "title": {"id": "Makharijul huruf", "en": "Points of articulation"},
                        "description": {
                            "id": "Latih pengucapan huruf hijaiyah.",
                            "en": "Practise the Arabic letters.",
                        },
                    },
                    {
                        "day": 2,
                        "title": {"id": "Hukum nun mati", "en": "Rules of noon sakinah"},
                        "description": {
                            "id": "Pelajari izhar dan idgham.",
                            "en": "Learn izhar and idgham.",
                        },
                    },
                ],
            },
        },
        {
            "id": "tpl_x_umrah_savings",
            "goal_keyword": "umrah savings",
            "tags": ["finance", "umrah"],
            "match_count": 57,
            "full_json": {
                "goal": {"id": "Menabung untuk umrah", "en": "Save up for umrah"},
                "introduction": {
                    "id": "Rencana tabungan dua tahun agar berangkat umrah tanpa berutang.",
                    "en": "A two-year savings plan to travel for umrah without borrowing.",
                },
                "steps": [
                    {
                        "day": 1,
                        "title": {"id": "Hitung biaya", "en": "Work out the cost"},
                        "description": {
                            "id": "Bandingkan paket dan biaya perjalanan.",
                            "en": "Compare packages and travel costs.",
                        },
                    },
                    {
                        "day": 2,
                        "title": {"id": "Rekening khusus", "en": "A dedicated account"},
                        "description": {
                            "id": "Buka tabungan terpisah dengan setoran otomatis.",
                            "en": "Open a separate account with automatic deposits.",
                        },
                    },
                ],
            },
        },
        {
            "id": "tpl_x_newborn_sleep",
            "goal_keyword": "newborn sleep",
            "tags": ["baby", "parenting"],
            "match_count": 140,
            "full_json": {
                "goal": {
                    "id": "Pola tidur bayi baru lahir",
                    "en": "Sleep patterns for your newborn",
                },
                "introduction": {
                    "id": "Panduan dua minggu tentang jam tidur bayi, menyusui malam dan posisi tidur yang aman.",
                    "en": "A two-week guide to baby sleep hours, night feeds and safe sleeping positions.",
                },
                "steps": [
                    {
                        "day": 1,
                        "title": {"id": "Posisi aman", "en": "Safe position"},
                        "description": {
                            "id": "Tidurkan bayi telentang di kasur yang rata.",
                            "en": "Lay the baby on its back on a flat mattress.",
                        },
                    },
                    {
                        "day": 2,
                        "title": {"id": "Siang dan malam", "en": "Day and night"},
                        "description": {
                            "id": "Bedakan suasana terang siang dan redup malam.",
                            "en": "Keep days bright and nights dim.",
                        },
                    },
                ],
            },
        },
        {
            "id": "tpl_x_fitness",
            "goal_keyword": "fitness",
            "tags": ["health", "exercise"],
            "match_count": 83,
            "full_json": {
                "goal": {
                    "id": "Bugar dalam 30 hari untuk yang sibuk",
                    "en": "Get fit in 30 days when you are busy",
                },
                "introduction": "Short workouts between prayers: strength, walking and stretching.",
                "steps": [
                    {
                        "day": 1,
                        "title": "Walk after Isha",
                        "description": "A brisk twenty-minute walk.",
                    },
                    {
                        "day": 2,
                        "title": "Bodyweight basics",
                        "description": "Squats, push-ups and planks, three rounds.",
                    },
                ],
            },
        },
        {
            "id": "tpl_x_anxiety_old",
            "goal_keyword": "anxiety",
            "tags": ["anxiety"],
            "is_active": False,
            "status": "PUBLISHED",
            "match_count": 12,
            "full_json": {
                "goal": "Calm your worries (old version, replaced)",
                "introduction": {"en": "The first version of the anxiety journey, kept inactive."},
                "steps": [],
            },
        },
        {
            "id": "tpl_x_burnout_archived",
            "goal_keyword": "burnout",
            "tags": ["burnout"],
            "status": "ARCHIVED",
            "match_count": 3,
            "full_json": {"goal": "Recover from exhaustion (archived draft)"},
        },
    ],
}

# A reference written the way users write it, and the one row that must come first. Near
# misses are in the set on purpose: 2:286 beside 2:282, 2:186, 2:216; Bukhari 6116 beside 6114.
EXACT_QUERIES: list[dict[str, str]] = [
    {"text": "QS. 2:216", "source": "knowledge", "expected": "kr_future_2_216"},
    {"text": "2:286", "source": "knowledge", "expected": "kr_burnout_2_286"},
    {"text": "Al-Baqarah 286", "source": "knowledge", "expected": "kr_burnout_2_286"},
    {"text": "ar-ra'd 28", "source": "knowledge", "expected": "kr_anxiety_13_28"},
    {"text": "surat Az-Zumar ayat 53", "source": "knowledge", "expected": "kr_repent_39_53"},
    {"text": "QS 94:5", "source": "knowledge", "expected": "kr_hope_94_5"},
    {"text": "Ibrahim ayat 7", "source": "knowledge", "expected": "kr_gratitude_14_7"},
    {"text": "HR. Bukhari 6116", "source": "knowledge", "expected": "kr_anger_6116"},
    {"text": "bukhari 5641", "source": "knowledge", "expected": "kr_illness_5641"},
    {"text": "hadits muslim 2664", "source": "knowledge", "expected": "kr_regret_2664"},
    {"text": "Tirmidzi 2140", "source": "knowledge", "expected": "kr_doubt_dua_2140"},
    {"text": "HR Tirmidzi no. 3563", "source": "knowledge", "expected": "kr_debt_dua_3563"},
    {"text": "Abu Dawud 4903", "source": "knowledge", "expected": "kr_envy_4903"},
    {"text": "اللهم اكفني بحلالك عن حرامك", "source": "knowledge", "expected": "kr_debt_dua_3563"},
    {"text": "اللهم إني أستخيرك بعلمك", "source": "knowledge", "expected": "kr_decision_istikhara"},
    {"text": "باسمك اللهم أموت وأحيا", "source": "knowledge", "expected": "kr_sleep_dua_6324"},
    {"text": "رب اشرح لي صدري", "source": "knowledge", "expected": "kr_speaking_20_25"},
    {
        "text": "لا إله إلا أنت سبحانك إني كنت من الظالمين",
        "source": "knowledge",
        "expected": "kr_panic_dua_yunus",
    },
    {"text": "يا مقلب القلوب", "source": "knowledge", "expected": "kr_doubt_dua_2140"},
    {"text": "birrul walidain", "source": "journeys", "expected": "tpl_parents"},
    {"text": "digital detox", "source": "journeys", "expected": "tpl_phone"},
    {"text": "istiqamah", "source": "journeys", "expected": "tpl_worship"},
    {"text": "merantau", "source": "journeys", "expected": "tpl_homesick"},
    {"text": "jodoh", "source": "journeys", "expected": "tpl_spouse"},
    {"text": "overthinking", "source": "journeys", "expected": "tpl_regret"},
    {"text": "panic attacks", "source": "journeys", "expected": "tpl_panic"},
]
