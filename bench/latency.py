"""Latency phases: single-record sync and search, many calls each in a warm process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench import data
from bench.harness import Bench, log
from bench.measure import disk_written_bytes, stopwatch, summary_ms

SEARCH_QUERIES = (
    "how to calm my anxious heart",
    "dua when I am grieving a loss",
    "I cannot sleep at night",
    "controlling anger with my family",
    "patience during hardship",
    "gratitude journal every evening",
    "hope after failing an exam",
    "breathing exercise for panic",
    "forgive someone who hurt me",
    "stress at work and money worries",
    "feeling lonely far from home",
    "remembrance of Allah brings peace",
    "motivation to start small daily habits",
    "fear of the future",
    "ketenangan hati saat cemas",
    "doa ketika sedih",
    "sabar menghadapi ujian",
    "regret about the past",
    "healing after a long illness",
    "strength for a mother caring for a child",
)
SEARCH_FILTER = {"category": "VERSE", "tag": "anxiety"}


def phase_single(bench: Bench) -> None:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from syncer.services.records import sync_record
    from syncer.sources import KNOWLEDGE

    calls = bench.config.single_calls
    ids = data._spread(data.eligible_ids(KNOWLEDGE.model, KNOWLEDGE.excluded_statuses), calls)

    def measure(
        label: str, expected: str, before: Callable[[str], None], call: Callable[[str], str]
    ) -> None:
        log(f"single-record sync, {label}: {len(ids)} calls")
        seconds: list[float] = []
        actions: dict[str, int] = {}
        call(ids[0])  # first call of its kind pays for imports and caches
        written = disk_written_bytes()
        for record_id in ids:
            before(record_id)
            with stopwatch() as elapsed:
                action = call(record_id)
            seconds.append(elapsed())
            actions[action] = actions.get(action, 0) + 1
        written = disk_written_bytes() - written
        bench.check(
            f"single record ({label}): every call {expected}",
            actions == {expected: len(ids)},
            actions,
        )
        # Chroma's and PostgreSQL's writes together (the setup writes of ``before`` too,
        # which are small: one row each).
        results[label] = {
            **summary_ms(seconds),
            "disk_kb_per_call": round(written / len(ids) / 1024),
        }

    def service(record_id: str) -> str:
        outcome = sync_record(source=KNOWLEDGE.name, record_id=record_id, trigger="cli")
        return outcome.action

    user = get_user_model().objects.create_superuser("bench", "bench@example.invalid", None)
    client = APIClient()
    client.force_authenticate(user)

    def api(record_id: str) -> str:
        response = client.post(f"/api/v1/sync/knowledge-reference/{record_id}")
        if response.status_code != 200:
            return f"HTTP {response.status_code}"  # a refusal (429, 503) shows in the check
        return response.json().get("action")

    def rewrite(record_id: str) -> None:
        data.content_rewrite(ids=[record_id], clock=bench.clock)

    def touch(record_id: str) -> None:
        # Saved again without a text change: only the updated_at metadata differs.
        KNOWLEDGE.model.objects.filter(pk=record_id).update(updated_at=bench.clock.tick())

    results: dict[str, Any] = {}
    with _test_host():
        measure("unchanged", "unchanged", lambda _: None, service)
        measure("metadata_changed", "metadata_updated", touch, service)
        measure("changed_text", "upserted", rewrite, service)
        measure("changed_text_api", "upserted", rewrite, api)
    # The floor under "changed_text": the model alone, on the same documents one by one.
    texts = [KNOWLEDGE.to_document(row).text for row in KNOWLEDGE.model.objects.filter(pk__in=ids)]
    results["encode_one_document"] = _encode_latency(texts)
    bench.results["single_record"] = results


def _encode_latency(texts: list[str], *, queries: bool = False) -> dict[str, float]:
    """p50/p95 of the backend's own encoding of one text at a time (as a passage, or as a
    search query)."""
    from syncer.embeddings import embedding_backend

    backend = embedding_backend()
    seconds: list[float] = []
    for text in texts:
        with stopwatch() as elapsed:
            backend.embed_queries([text]) if queries else backend.embed_documents([text])
        seconds.append(elapsed())
    return summary_ms(seconds)


def phase_search(bench: Bench) -> None:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from syncer.services.search import SearchFilters, search_documents
    from syncer.sources import JOURNEYS, KNOWLEDGE

    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        user = get_user_model().objects.create_user("bench", "bench@example.invalid", None)
    client = APIClient()
    client.force_authenticate(user)
    calls = bench.config.search_calls
    queries = [SEARCH_QUERIES[i % len(SEARCH_QUERIES)] for i in range(calls)]

    refused: dict[int, int] = {}  # API answers other than 200, by status

    def api(query: str, filters: dict[str, str]) -> list[dict[str, Any]]:
        response = client.get(
            "/api/v1/search/knowledge-references", {"q": query, "limit": 10, **filters}
        )
        if response.status_code != 200:
            # Counted apart: a refusal (a 429 from the rate limit, a 503) is not "no hits".
            refused[response.status_code] = refused.get(response.status_code, 0) + 1
            return []
        return response.json()["results"]

    def service(query: str, filters: dict[str, str]) -> list[dict[str, Any]]:
        return search_documents(
            query=query, sources=[KNOWLEDGE], filters=SearchFilters(**filters), limit=10
        )

    # Journey templates searched alone also rank by the references they cite: one more
    # Chroma query (syncer/services/search.py, _cited_fusion).
    def api_journeys(query: str, filters: dict[str, str]) -> list[dict[str, Any]]:
        response = client.get("/api/v1/search/journey-templates", {"q": query, "limit": 10})
        if response.status_code != 200:
            refused[response.status_code] = refused.get(response.status_code, 0) + 1
            return []
        return response.json()["results"]

    def service_journeys(query: str, filters: dict[str, str]) -> list[dict[str, Any]]:
        return search_documents(query=query, sources=[JOURNEYS], filters=SearchFilters(), limit=10)

    results: dict[str, Any] = {"filter": SEARCH_FILTER}
    filter_matches = (
        KNOWLEDGE.model.objects.exclude(status__in=KNOWLEDGE.excluded_statuses)
        .filter(category=SEARCH_FILTER["category"], tags__contains=[SEARCH_FILTER["tag"]])
        .exists()
    )
    with _test_host():
        for via, call, cases in (
            ("api", api, (("no_filter", {}), ("filter", SEARCH_FILTER))),
            ("service", service, (("no_filter", {}), ("filter", SEARCH_FILTER))),
            ("api", api_journeys, (("journeys", {}),)),
            ("service", service_journeys, (("journeys", {}),)),
        ):
            for label, filters in cases:
                call(queries[0], filters)  # warm-up
                refused.clear()
                seconds: list[float] = []
                respected = True
                found = 0
                for query in queries:
                    with stopwatch() as elapsed:
                        hits = call(query, filters)
                    seconds.append(elapsed())
                    found += bool(hits)
                    if filters:
                        respected &= all(
                            hit["metadata"].get("category") == filters["category"]
                            and filters["tag"] in hit["metadata"].get("tags", [])
                            for hit in hits
                        )
                expect_hits = filter_matches if filters else True
                bench.check(
                    f"search {via} {label}: results found, filter respected",
                    (found == len(queries) if expect_hits else found == 0)
                    and respected
                    and not refused,
                    {
                        "queries_with_hits": found,
                        "filter_respected": respected,
                        "refused_by_status": dict(refused),
                    },
                )
                results[f"{via}_{label}"] = summary_ms(seconds)
                log(f"search {via} {label}: {results[f'{via}_{label}']}")
    results["encode_query"] = _encode_latency(
        queries, queries=True
    )  # the floor: embedding the query
    bench.results["search"] = results


@contextmanager
def _test_host() -> Iterator[None]:
    """Let Django's test client (host "testserver") through ALLOWED_HOSTS."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        yield
