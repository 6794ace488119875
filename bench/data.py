"""Synthetic source rows of realistic size, and the changes the benchmark applies to them.

Knowledge references: a title of ~6 words and a content of ~60 words in English and
Indonesian, 3 tags, Arabic text on a third of them. Journey templates (10% of the rows):
a goal, an introduction of ~40 words and 4 steps, each in both languages. Generated from a
seeded random generator, so two runs with the same N read the same rows. A few rows are in
an excluded status (REJECTED / ARCHIVED), as in real tables.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections, transaction

EN_WORDS = (
    "allah mercy patience heart calm anxiety hope prayer remember breathe gratitude family "
    "work sleep night morning trust fear worry grief loss strength faith peace forgive kind "
    "anger control habit daily small step journey healing rest soul mind body friend help "
    "listen quiet tears joy light dark storm ease hardship burden capacity reward promise "
    "mother father child home travel study exam money health walk water fasting charity"
).split()
ID_WORDS = (
    "allah rahmat sabar hati tenang cemas harapan doa ingat napas syukur keluarga kerja tidur "
    "malam pagi percaya takut khawatir duka kehilangan kekuatan iman damai maaf baik marah "
    "kendali kebiasaan harian kecil langkah perjalanan sembuh istirahat jiwa pikiran tubuh "
    "teman tolong dengar sunyi air mata gembira cahaya gelap badai mudah sulit beban pahala "
    "janji ibu ayah anak rumah belajar ujian uang sehat jalan puasa sedekah"
).split()
AR_WORDS = "الله رحمة صبر قلب سكينة رجاء دعاء ذكر شكر إيمان سلام نور يسر عسر أجر".split()
TAGS = (
    "anxiety grief anger sleep gratitude patience hope family work stress loneliness "
    "motivation regret fear health dhikr dua forgiveness"
).split()
CATEGORIES = ("VERSE", "HADITH", "STRATEGY", "DUA", "STORY")
KNOWLEDGE_STATUSES = ("VERIFIED",) * 14 + ("PENDING", "DRAFT", "DRAFT", "PENDING", "VERIFIED")
JOURNEY_STATUSES = ("PUBLISHED",) * 17 + ("DRAFT", "DRAFT")
EXCLUDED_EVERY = 50  # every 50th row is REJECTED / ARCHIVED: 2% excluded

# Rows are stamped in the past; every change made by the benchmark moves the main
# application's clock forward, so that incremental syncs see exactly those changes. All
# of it stays before the database's own clock: a row stamped in the future is read again
# by every incremental sync (it never moves the watermark), which is not what is measured.
BASE_TIME = datetime(2000, 1, 1, tzinfo=UTC)
INSERT_CHUNK = 2_000


def _row_stamp(number: int) -> datetime:
    # Ten minutes apart: more than SYNC_OVERLAP_SECONDS, so an incremental sync re-reads
    # only the rows written near its watermark, as with a real table.
    return BASE_TIME + timedelta(minutes=10 * number)


def journey_share(rows: int) -> int:
    """How many of ``rows`` are journey templates (10%)."""
    return rows // 10


def _words(rng: random.Random, vocabulary: list[str], count: int) -> str:
    text = " ".join(rng.choice(vocabulary) for _ in range(count))
    return text[0].upper() + text[1:]


def _sentences(rng: random.Random, vocabulary: list[str], count: int) -> str:
    """About ``count`` words in sentences of 8 to 14 words."""
    parts: list[str] = []
    left = count
    while left > 0:
        size = min(left, rng.randint(8, 14))
        parts.append(_words(rng, vocabulary, size) + ".")
        left -= size
    return " ".join(parts)


def knowledge_row(number: int, rng: random.Random) -> dict[str, Any]:
    excluded = number % EXCLUDED_EVERY == EXCLUDED_EVERY - 1
    return {
        "id": f"bench_ref_{number:07d}",
        "category": rng.choice(CATEGORIES),
        "source": f"Source {rng.randint(1, 114)}:{rng.randint(1, 286)}",
        "title": {
            "en": _words(rng, EN_WORDS, rng.randint(5, 7)),
            "id": _words(rng, ID_WORDS, rng.randint(5, 7)),
        },
        "content": {
            "en": _sentences(rng, EN_WORDS, rng.randint(50, 70)),
            "id": _sentences(rng, ID_WORDS, rng.randint(50, 70)),
        },
        "content_ar": _words(rng, AR_WORDS, 12) if number % 3 == 0 else None,
        "tags": rng.sample(TAGS, 3),
        "languages": ["id", "en"],
        "status": "REJECTED" if excluded else rng.choice(KNOWLEDGE_STATUSES),
        "searchable_text": None,
        "created_at": BASE_TIME,
        "updated_at": _row_stamp(number),
    }


def journey_row(number: int, rng: random.Random) -> dict[str, Any]:
    excluded = number % EXCLUDED_EVERY == EXCLUDED_EVERY - 1

    def both(words: int) -> dict[str, str]:
        return {
            "en": _sentences(rng, EN_WORDS, words),
            "id": _sentences(rng, ID_WORDS, words),
        }

    steps = [
        {
            "day": day,
            "title": {
                "en": _words(rng, EN_WORDS, 4),
                "id": _words(rng, ID_WORDS, 4),
            },
            "description": both(20),
            "knowledge_reference_ids": [f"bench_ref_{rng.randint(0, 9999):07d}"],
        }
        for day in range(1, 5)
    ]
    return {
        "id": f"bench_tpl_{number:07d}",
        "goal_keyword": _words(rng, EN_WORDS, 2).lower(),
        "tags": rng.sample(TAGS, 3),
        "languages": ["id", "en"],
        "is_active": number % 7 != 0,
        "status": "ARCHIVED" if excluded else rng.choice(JOURNEY_STATUSES),
        "match_count": rng.randint(0, 500),
        "searchable_text": None,
        "full_json": {
            "goal": _words(rng, EN_WORDS, 6),
            "introduction": both(40),
            "duration_days": len(steps),
            "steps": steps,
        },
        "created_at": BASE_TIME,
        "updated_at": _row_stamp(number),
    }


def _chunks(start: int, stop: int) -> Iterator[range]:
    for first in range(start, stop, INSERT_CHUNK):
        yield range(first, min(stop, first + INSERT_CHUNK))


def rows_insert(*, start: int, stop: int, alias: str = "default") -> None:
    """Insert rows number ``start`` .. ``stop - 1`` of the synthetic table (10% journeys).

    Row numbers are global: growing a table from N to 10xN rows inserts N .. 10xN - 1,
    and the first N rows stay exactly as they were.
    """
    from journeys.models import JourneyTemplate
    from knowledge.models import KnowledgeReference

    for numbers in _chunks(start, stop):
        knowledge: list[KnowledgeReference] = []
        journeys: list[JourneyTemplate] = []
        for number in numbers:
            rng = random.Random(number)
            if number % 10 == 9:
                journeys.append(JourneyTemplate(**journey_row(number, rng)))
            else:
                knowledge.append(KnowledgeReference(**knowledge_row(number, rng)))
        with transaction.atomic(using=alias):
            KnowledgeReference.objects.using(alias).bulk_create(knowledge, batch_size=500)
            JourneyTemplate.objects.using(alias).bulk_create(journeys, batch_size=500)
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")


class AppClock:
    """The main application's clock: every change is stamped later than the one before
    (and later than every generated row)."""

    def __init__(self) -> None:
        # After 1M rows ten minutes apart (19 years), and years before today.
        self.now = BASE_TIME + timedelta(days=365 * 20)

    def tick(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now


def _spread(ids: list[str], count: int) -> list[str]:
    """``count`` ids spread evenly over ``ids`` (so changes land in many read batches)."""
    if count >= len(ids):
        return list(ids)
    step = len(ids) / count
    return [ids[int(index * step)] for index in range(count)]


def eligible_ids(model: Any, excluded: tuple[str, ...]) -> list[str]:
    return list(
        model.objects.exclude(status__in=excluded).order_by("id").values_list("id", flat=True)
    )


def match_count_change(*, count: int, clock: AppClock) -> list[str]:
    """A metadata-only change: bump ``match_count`` of ``count`` eligible journey templates."""
    from django.db.models import F

    from journeys.models import JourneyTemplate

    ids = _spread(eligible_ids(JourneyTemplate, ("ARCHIVED",)), count)
    JourneyTemplate.objects.filter(id__in=ids).update(
        match_count=F("match_count") + 1, updated_at=clock.tick()
    )
    return ids


def content_change(*, count: int, clock: AppClock) -> list[str]:
    """A text change: rewrite the English content of ``count`` eligible knowledge
    references (their vectors must be recomputed)."""
    from knowledge.models import KnowledgeReference

    ids = _spread(eligible_ids(KnowledgeReference, ("REJECTED",)), count)
    return content_rewrite(ids=ids, clock=clock)


def content_change_first(*, count: int, clock: AppClock) -> list[str]:
    """A text change of the first ``count`` eligible knowledge references in id order: with
    ``count`` = SYNC_BATCH_SIZE, one whole read batch must be embedded, as in a cold or
    ``--force`` sync (the memory peak of embedding)."""
    from knowledge.models import KnowledgeReference

    return content_rewrite(ids=eligible_ids(KnowledgeReference, ("REJECTED",))[:count], clock=clock)


def content_rewrite(*, ids: list[str], clock: AppClock) -> list[str]:
    """Rewrite the English content of these knowledge references, as the app would."""
    from knowledge.models import KnowledgeReference

    stamp = clock.tick()
    for number, row in enumerate(KnowledgeReference.objects.filter(id__in=ids)):
        rng = random.Random(f"{row.id}:{stamp.isoformat()}")
        content = dict(row.content)
        content["en"] = _sentences(rng, EN_WORDS, rng.randint(50, 70))
        KnowledgeReference.objects.filter(id=row.id).update(
            content=content, updated_at=stamp + timedelta(milliseconds=number)
        )
    return ids
