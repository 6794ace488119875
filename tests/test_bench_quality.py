"""The search-quality benchmark (bench/quality/): its evaluation set, its checks, its metrics,
and a smoke run of ``python -m bench.quality`` on two topics, so that it cannot rot."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from bench.quality.evalset import LANGUAGES, EvalSetError, evalset_load
from bench.quality.metrics import first_rank, metrics_compute, summarize, targets_evaluate
from bench.quality.overlap import query_overlaps
from bench.quality.report import render

ROOT = Path(__file__).resolve().parent.parent
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _write_set(path: Path, body: str) -> Path:
    path.write_text("from __future__ import annotations\n" + body)
    return path


TINY_SET = """
NAME = "tiny"
TOPICS = [
    {
        "topic": "sleep",
        "knowledge": [
            {
                "id": "kr_sleep",
                "category": "STRATEGY",
                "source": "Sleep hygiene",
                "title": {"en": "Wind-down routine for better sleep"},
                "content": {"en": "Put screens away an hour before bed and keep a fixed bedtime."},
            }
        ],
        "journeys": [{"id": "tpl_sleep", "goal_keyword": "sleep", "full_json": {"goal": "Rest"}}],
        "queries": {"knowledge": {"en": __QUERY__}, "journeys": {"en": "nights without rest"}},
    }
]
DISTRACTORS = {"knowledge": [], "journeys": []}
EXACT_QUERIES = __EXACT__
"""


def _tiny(tmp_path: Path, *, query: str, exact: list[dict[str, str]] | None = None) -> Path:
    body = TINY_SET.replace("__QUERY__", repr(query)).replace("__EXACT__", repr(exact or []))
    return _write_set(tmp_path / "tiny.py", body)


def test_the_repository_set_has_what_issue_15_asks_for() -> None:
    evalset = evalset_load()

    assert len(evalset.topics) >= 40
    rows = {row["id"]: row for source in ("knowledge", "journeys") for row in evalset.rows(source)}
    paraphrases = [query for query in evalset.queries if query.kind == "paraphrase"]
    for topic in evalset.topics:
        mine = [query for query in paraphrases if query.topic == topic]
        for source in ("knowledge", "journeys"):
            assert {q.language for q in mine if q.source == source} == set(LANGUAGES), topic
        relevant = {row_id for query in mine for row_id in query.relevant}
        categories = {rows[row_id].get("category") for row_id in relevant}
        assert "STRATEGY" in categories, topic
        assert categories & {"VERSE", "HADITH", "DUA"}, topic
        assert any(row_id in {r["id"] for r in evalset.journey_rows} for row_id in relevant), topic
    # Every verse, hadith and du'a carries its Arabic text.
    scriptural = [row for row in evalset.knowledge_rows if row["category"] != "STRATEGY"]
    assert all(row["content_ar"] and ARABIC.search(row["content_ar"]) for row in scriptural)
    assert sum(query.kind == "exact" for query in evalset.queries) >= 15
    # Realistic row shapes, as the converters meet them in the real tables.
    titles = [row["title"] for row in evalset.knowledge_rows]
    assert any(isinstance(title, str) and not title.startswith("{") for title in titles)
    assert any(isinstance(title, str) and title.startswith("{") for title in titles)
    assert any(row["languages"] == ["id"] for row in evalset.knowledge_rows)
    assert any(
        isinstance(row["content"], dict) and not row["content"].get("en")
        for row in evalset.knowledge_rows
    )


def test_no_paraphrase_query_of_the_repository_set_copies_its_target() -> None:
    flagged = [finding.as_dict() for finding in query_overlaps(evalset_load()) if finding.flagged]

    assert flagged == []


def test_the_overlap_check_flags_a_query_that_copies_its_row(tmp_path: Path) -> None:
    copied = evalset_load(_tiny(tmp_path, query="wind-down routine for better sleep"))
    paraphrased = evalset_load(_tiny(tmp_path, query="I lie awake until dawn"))

    finding = next(f for f in query_overlaps(copied) if f.query_id.startswith("sleep/knowledge"))
    assert finding.flagged
    assert finding.row_id == "kr_sleep"
    assert set(finding.shared) == {"wind", "down", "routi", "bette", "sleep"}
    assert not any(f.flagged for f in query_overlaps(paraphrased))


def test_a_malformed_set_is_refused_with_the_reason(tmp_path: Path) -> None:
    unknown = [{"text": "QS 1:1", "source": "knowledge", "expected": "kr_missing"}]
    with pytest.raises(EvalSetError, match="no knowledge row 'kr_missing'"):
        evalset_load(_tiny(tmp_path, query="tired", exact=unknown))

    rejected = TINY_SET.replace(
        '"source": "Sleep hygiene",', '"source": "x", "status": "REJECTED",'
    )
    path = _write_set(
        tmp_path / "rejected.py", rejected.replace("__QUERY__", "'x'").replace("__EXACT__", "[]")
    )
    with pytest.raises(EvalSetError, match="kr_sleep can never be found"):
        evalset_load(path)

    with pytest.raises(EvalSetError, match="no evaluation set at"):
        evalset_load(tmp_path / "absent.py")


def test_limit_topics_keeps_the_distractors_and_the_reachable_exact_queries() -> None:
    full, two = evalset_load(), evalset_load(limit_topics=2)

    assert two.topics == full.topics[:2]
    distractors = {row["id"] for row in full.knowledge_rows if row["id"].startswith("kr_x_")}
    assert distractors <= {row["id"] for row in two.knowledge_rows}
    kept = {row["id"] for row in two.knowledge_rows} | {row["id"] for row in two.journey_rows}
    exact = [query for query in two.queries if query.kind == "exact"]
    assert exact and all(query.relevant[0] in kept for query in exact)
    assert len(exact) < sum(query.kind == "exact" for query in full.queries)


def test_ranks_hits_and_mrr() -> None:
    assert first_rank(["a", "b", "c"], ["c", "z"]) == 3
    assert first_rank(["a", "b"], ["z"]) is None
    assert summarize([1, 3, None, 6]) == {
        "n": 4,
        "hit@1": 0.25,
        "hit@3": 0.5,
        "hit@5": 0.5,
        "mrr": round((1 + 1 / 3 + 1 / 6) / 4, 3),
    }

    evalset = evalset_load(limit_topics=1)
    # Every query answered by its first relevant row: every paraphrase and exact hit@1 is 1.
    perfect = {query.id: [query.relevant[0], "other"] for query in evalset.queries}
    metrics = metrics_compute(evalset.queries, perfect)
    assert metrics["paraphrase"]["knowledge"]["id"]["hit@1"] == 1.0
    assert all(target["met"] for target in targets_evaluate(metrics))
    # Nothing relevant returned: every target missed.
    missed = metrics_compute(evalset.queries, {query.id: ["other"] for query in evalset.queries})
    assert not any(target["met"] for target in targets_evaluate(missed))


@pytest.mark.processes
@pytest.mark.model
@pytest.mark.django_db
def test_the_benchmark_runs_on_two_topics_and_finds_a_perfect_match(tmp_path: Path) -> None:
    from bench.quality.dataset import TOPICS

    row = TOPICS[0]["knowledge"][0]
    perfect = row["content"]["en"]  # the row's own words: it must come first
    dataset = _write_set(
        tmp_path / "smoke.py",
        "from bench.quality.dataset import DISTRACTORS, TOPICS\n"
        "NAME = 'smoke'\n"
        f"EXACT_QUERIES = [{{'text': {perfect!r}, 'source': 'knowledge', 'expected': {row['id']!r}}}]\n",
    )
    command = [
        sys.executable,
        "-m",
        "bench.quality",
        f"--dataset={dataset}",
        "--limit-topics=2",
        "--config=default",
        "--json",
    ]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)

    assert finished.returncode == 0, finished.stderr[-4000:]
    report: dict[str, Any] = json.loads(finished.stdout)  # exactly one JSON object on stdout
    assert [check for check in report["checks"] if not check["ok"]] == []
    assert report["dataset"]["topics"] == 2
    config = report["configs"]["default"]
    assert config["settings"]["EMBEDDING_MODEL"]
    evalset = evalset_load(dataset, limit_topics=2)
    eligible = sum(len(evalset.eligible_ids(source)) for source in ("knowledge", "journeys"))
    assert config["sync"]["documents"] == eligible
    assert config["sync"]["counts"]["knowledge"]["upserted"] == len(
        evalset.eligible_ids("knowledge")
    )
    for source in ("knowledge", "journeys"):
        for language in LANGUAGES:
            summary = config["metrics"]["paraphrase"][source][language]
            assert summary["n"] == 2 and 0 <= summary["mrr"] <= 1, (source, language)
    assert [target["target"] for target in config["targets"]][:3] == [
        "knowledge hit@5 en",
        "knowledge hit@5 id",
        "knowledge hit@5 ar",
    ]
    (exact,) = [query for query in config["queries"] if query["id"].startswith("exact/")]
    assert exact["rank"] == 1, exact
    assert config["metrics"]["exact"]["all"] == {
        "n": 1,
        "hit@1": 1.0,
        "hit@3": 1.0,
        "hit@5": 1.0,
        "mrr": 1.0,
    }
    assert len(config["queries"]) == len(evalset.queries)

    table = render(report)
    assert "targets (issue 15)" in table and "knowledge hit@5 ar" in table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [report["scratch_database"]]
        )
        assert cursor.fetchone()[0] == 0, "the scratch database was not dropped"


def test_a_configuration_naming_a_setting_halasync_does_not_read_is_not_evaluated() -> None:
    from bench.quality.config_run import config_evaluate

    job = {
        "overrides": {"SEARCH_STRATEGYY": "rrf"},  # a typo would otherwise measure the default
        "reported_settings": ["EMBEDDING_MODEL"],
        "eligible_ids": {"knowledge": [], "journeys": []},
        "queries": [{"id": "q", "text": "sleep", "source": "knowledge"}],
        "limit": 10,
    }

    result = config_evaluate(job)

    assert [check["ok"] for check in result["checks"]] == [False]
    assert "SEARCH_STRATEGYY" in result["checks"][0]["detail"]
    assert result["ranked"] == {} and "sync" not in result
