"""``manage.py sync search``: one vocabulary for sources (--source or --type; knowledge,
journeys or journey), hits labelled alike in text and JSON, and filters that cannot
apply to the chosen source refused as usage errors (exit 2), like the API's 400."""

from __future__ import annotations

import contextlib
import io
import json
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.usefixtures("chroma")


def search(*args: str) -> str:
    out = io.StringIO()
    call_command("sync", "search", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def synced(make_knowledge: Any, make_journey: Any) -> None:
    make_knowledge(id="ref_sleep", title={"en": "Wind-down routine for better sleep"})
    make_knowledge(id="ref_dua", category="DUA", title={"en": "Dua before sleeping"})
    make_journey(id="tpl_sleep", goal_keyword="sleep", full_json={"goal": "Sleep better"})
    call_command("sync", "full", "-v", "0", stdout=io.StringIO())


@pytest.mark.parametrize(
    "option, value",
    [
        ("--type", "journey"),
        ("--source", "journeys"),
        ("--type", "journeys"),
        ("--source", "journey"),
    ],
)
def test_both_spellings_choose_the_journeys(synced: None, option: str, value: str) -> None:
    data = json.loads(search("sleep", option, value, "--json"))
    assert [hit["id"] for hit in data["results"]] == ["tpl_sleep"]
    assert {hit["type"] for hit in data["results"]} == {"journeys"}


def test_text_labels_hits_as_json_types_them(synced: None) -> None:
    data = json.loads(search("sleep", "--limit", "3", "--json"))
    text = search("sleep", "--limit", "3")

    labelled = re.findall(r"^\s*\d+\. [0-9.]+\s+(\S+)\s+(\S+)", text, flags=re.MULTILINE)
    assert labelled == [(hit["type"], hit["id"]) for hit in data["results"]]
    assert {hit["type"] for hit in data["results"]} == {"knowledge", "journeys"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--type", "journey", "--category", "DUA"], "--category filters knowledge references"),
        (["--source", "journeys", "--category", "DUA"], "--category filters knowledge references"),
        (["--type", "knowledge", "--include-inactive"], "--include-inactive concerns journey"),
    ],
)
def test_a_filter_the_source_cannot_have_is_a_usage_error(
    db: None, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        search("sleep", *args)
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_other_commands_take_both_spellings_too(make_journey: Any) -> None:
    make_journey(id="tpl_only")
    out = io.StringIO()
    call_command("sync", "incremental", "--type", "journey", "--json", stdout=out)
    run = json.loads(out.getvalue())
    assert run["sources"] == ["journeys"] and run["counts"]["journeys"]["upserted"] == 1


@pytest.mark.parametrize("option", ["--category", "--status", "--tag", "--language"])
@pytest.mark.parametrize("value", ["", "  ", "a\x00b"])
def test_an_empty_filter_is_a_usage_error_not_ignored(db: None, option: str, value: str) -> None:
    # `--tag "$TAG"` with TAG unset searched everything, silently (the API answers 400
    # "may not be blank" for ?tag=, and refuses NUL characters).
    with pytest.raises(CommandError) as error:
        search("sleep", option, value)
    assert error.value.returncode == 2
    assert option in str(error.value)


@pytest.mark.parametrize(
    "args",
    [["--limit", "0"], ["--type", "journey", "--category", "DUA"], ["--tag", ""], ["   "]],
)
def test_usage_errors_print_their_json_with_json(db: None, args: list[str]) -> None:
    # As `watch --interval 0 --json` and `schedule --json` do: one JSON object on stdout.
    query = [] if args == ["   "] else ["sleep"]
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sync", "search", *query, *args, "--json", stdout=out, stderr=io.StringIO())
    assert error.value.returncode == 2
    assert json.loads(out.getvalue()) == {"error": str(error.value)}


@pytest.mark.parametrize(
    "args",
    [
        ["full", "--source", "knowledge", "--source", "journeys"],
        ["incremental", "--source", "knowledge", "--type", "journey"],
        ["verify", "--type", "journeys", "--type", "knowledge"],
        ["search", "sleep", "--source", "knowledge", "--type", "journeys"],
    ],
)
def test_a_source_given_twice_is_a_usage_error(args: list[str]) -> None:
    # argparse kept the last one: `sync full --source knowledge --source journeys` synced
    # the journeys only, silently (the API refuses a repeated parameter with a 400).
    from syncer.management.commands.sync import Command

    command = Command()
    command._called_from_command_line = True  # argparse's exit, as from a shell
    parser = command.create_parser("manage.py", "sync")
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_, contextlib.redirect_stderr(stderr):
        parser.parse_args(args)
    assert exit_.value.code == 2
    assert "--source/--type given twice" in stderr.getvalue()
